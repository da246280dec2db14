"""Friendly error pages, the Vietnamese number filters and the English translation."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from motcua.portal import views
from motcua.portal.templatetags.motcua import duration, vn_number, vnd
from tests.portal.test_catalog_pages import text_of


@pytest.mark.parametrize("value, expected", [
    (0, "0\u00a0đ"), (2000, "2.000\u00a0đ"), (200000, "200.000\u00a0đ"), (1234567, "1.234.567\u00a0đ"),
    ("8000", "8.000\u00a0đ"), (None, ""), ("abc", ""),
])
def test_money_is_written_in_dong_with_dot_groups(value, expected):
    assert vnd(value) == expected


def test_numbers_use_dots_for_thousands_and_a_comma_for_decimals():
    assert vn_number(135) == "135"
    assert vn_number(12345) == "12.345"
    assert vn_number(2.5) == "2,5"
    assert vn_number(-1000) == "-1.000"


def test_processing_times_read_as_published():
    assert duration(3, "working_days") == "03 ngày làm việc"
    assert duration(15, "working_days") == "15 ngày làm việc"
    assert duration("0.5", "working_days") == "0,5 ngày làm việc"
    assert duration(4, "working_hours") == "4 giờ làm việc"
    assert duration(0, "same_day") == "Trong ngày"


@pytest.mark.django_db
@pytest.mark.parametrize("handler, status, title", [
    (views.bad_request, 400, "Yêu cầu không hợp lệ"),
    (views.permission_denied, 403, "Bạn không có quyền xem trang này"),
    (views.page_not_found, 404, "Không tìm thấy trang"),
])
def test_error_pages_are_friendly_vietnamese(rf: RequestFactory, handler, status, title):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/bat-ky/")
    request.user = AnonymousUser()
    response = handler(request, Exception("detail"))
    assert response.status_code == status
    page = text_of(response)
    assert title in page and "Về trang chủ" in page
    assert "detail" not in page and "Traceback" not in page


def test_the_500_page_renders_without_touching_the_database(rf):
    """No ``db`` fixture: any query here would fail the test."""
    response = views.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in text_of(response)


@pytest.mark.django_db
def test_an_unknown_address_is_the_friendly_404_page(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in text_of(response)


@pytest.mark.django_db
def test_the_language_switch_gives_english_pages(client, demo):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("portal:home")})
    assert response.status_code == 302
    home = text_of(client.get(reverse("portal:home")))
    assert "What procedure do you need?" in home
    assert "Track a dossier" in home
    detail = text_of(client.get(reverse("portal:procedure", args=["1.001193"])))
    assert "Papers to bring" in detail and "Processing time" in detail
    missing = client.get(reverse("portal:procedure", args=["0.000000"]))
    assert "Page not found" in text_of(missing)


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_the_visitor_switches(client, demo):
    """Vietnamese first: Accept-Language does not choose the page language; the switch does."""
    home = text_of(client.get(reverse("portal:home"), headers={"Accept-Language": "en-US,en;q=0.9"}))
    assert "Bạn cần làm thủ tục gì?" in home
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    home = text_of(client.get(reverse("portal:home"), headers={"Accept-Language": "vi"}))
    assert "What procedure do you need?" in home
