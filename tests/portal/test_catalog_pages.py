"""The public catalog pages as a citizen sees them (Django test client, real database)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's visible text, tags stripped and spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(strong|em|b|i|span|a)\b[^>]*>", "", html)  # inline: no word break
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_home_offers_a_search_box_and_browsing_by_field_level_and_unit(client, demo):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="search" name="q"' in html
    assert f'action="{reverse("portal:procedures")}"' in html
    page = text_of(response)
    assert "Hộ tịch" in page and "Chứng thực" in page
    assert "Cấp xã" in page and "Cấp huyện" in page and "Cấp tỉnh" in page
    assert "Thị trấn Yên Thế" in page and "Phường Tân Phong" in page
    assert f'href="{reverse("portal:unit", args=["YB.LY.YT"])}"' in html
    assert f'href="{reverse("portal:procedures")}?field=HT"' in html
    assert f'href="{reverse("portal:procedures")}?level=commune"' in html


def test_search_without_diacritics_finds_birth_registration(client, demo):
    response = client.get(reverse("portal:procedures"), {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    first = re.search(r'<a class="title" href="([^"]+)">([^<]+)</a>', response.content.decode())
    assert first.groups() == (reverse("portal:procedure", args=["1.001193"]), "Đăng ký khai sinh")


def test_search_in_capitals_with_diacritics_finds_the_same(client, demo):
    response = client.get(reverse("portal:procedures"), {"q": "ĐĂNG KÝ KHAI SINH"})
    assert '<a class="title" href="/thu-tuc/1.001193/">Đăng ký khai sinh</a>' in response.content.decode()


BIRTH = 'href="/thu-tuc/1.001193/"'
COPY_CERTIFICATION = 'href="/thu-tuc/2.000815/"'


def test_list_shows_the_result_count(client, demo):
    from motcua.catalog.services import search_procedures

    everything = client.get(reverse("portal:procedures"))
    assert f"Tìm thấy {search_procedures('').count()} thủ tục" in text_of(everything)
    civil_status = client.get(reverse("portal:procedures"), {"field": "HT"})
    assert f"Tìm thấy {search_procedures('', field='HT').count()} thủ tục" in text_of(civil_status)


def test_field_filter_keeps_only_that_field(client, demo):
    html = client.get(reverse("portal:procedures"), {"field": "HT", "q": "ban"}).content.decode()
    assert COPY_CERTIFICATION not in html
    html = client.get(reverse("portal:procedures"), {"field": "CT", "q": "ban sao"}).content.decode()
    assert COPY_CERTIFICATION in html


def test_level_filter_keeps_only_that_level(client, demo):
    """Copy certification runs at commune and district level, birth registration at commune."""
    district = client.get(reverse("portal:procedures"), {"level": "district", "q": "chung thuc"}).content.decode()
    assert COPY_CERTIFICATION in district
    district = client.get(reverse("portal:procedures"), {"level": "district", "q": "khai sinh"}).content.decode()
    assert BIRTH not in district
    commune = client.get(reverse("portal:procedures"), {"level": "commune", "q": "khai sinh"}).content.decode()
    assert BIRTH in commune


def test_online_filter_keeps_only_that_online_level(client, demo):
    full = client.get(reverse("portal:procedures"), {"online": "full", "q": "khai sinh"}).content.decode()
    assert BIRTH in full
    none = client.get(reverse("portal:procedures"), {"online": "none", "q": "khai sinh"}).content.decode()
    assert BIRTH not in none


def test_nothing_found_explains_what_to_try(client, demo):
    response = client.get(reverse("portal:procedures"), {"q": "xyzzy khong co"})
    assert response.status_code == 200
    assert "Không tìm thấy thủ tục phù hợp" in text_of(response)


def test_unknown_filters_are_ignored_not_errors(client, demo):
    response = client.get(reverse("portal:procedures"),
                          {"q": "khai sinh", "level": "galaxy", "online": "x", "field": "NOPE", "unit": "ZZ"})
    assert response.status_code == 200
    assert BIRTH in response.content.decode()


def test_htmx_request_gets_only_the_results_fragment(client, demo):
    response = client.get(reverse("portal:procedures"), {"q": "khai sinh"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<header" not in html
    assert "Đăng ký khai sinh" in html
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, demo):
    response = client.get(reverse("portal:procedures"), {"q": "khai sinh"},
                          headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_list_works_without_javascript(client, demo):
    """Progressive enhancement: the filter form is a plain GET form with a submit button."""
    html = client.get(reverse("portal:procedures")).content.decode()
    assert re.search(r'<form[^>]*method="get"[^>]*action="/thu-tuc/"', html)
    assert '<button type="submit">' in html


@pytest.mark.parametrize("page", ["abc", "0", "999", "-1", "1.5"])
def test_a_bad_page_number_is_the_friendly_404_page(client, demo, page):
    response = client.get(reverse("portal:procedures"), {"page": page})
    assert response.status_code == 404
    assert "Không tìm thấy trang" in text_of(response)
    assert f'href="{reverse("portal:home")}"' in response.content.decode()


def test_paging_keeps_the_filters(client, demo):
    from motcua.catalog.models import Field, Level, Procedure, ProcedureLevel

    field = Field.objects.get(code="HT")
    for i in range(25):
        p = Procedure.objects.create(code=f"T.{i:03d}", name=f"Thủ tục thử nghiệm {i:03d}", field=field)
        ProcedureLevel.objects.create(procedure=p, level=Level.COMMUNE)
    first = client.get(reverse("portal:procedures"), {"q": "thu nghiem", "field": "HT"})
    assert "Tìm thấy 25 thủ tục" in text_of(first)
    assert "Trang 1/2" in text_of(first)
    assert "page=2" in first.content.decode() and "q=thu+nghiem" in first.content.decode()
    second = client.get(reverse("portal:procedures"), {"q": "thu nghiem", "field": "HT", "page": "2"})
    assert second.status_code == 200
    assert "Thủ tục thử nghiệm 024" in text_of(second)
    assert "Thủ tục thử nghiệm 000" not in text_of(second)


def test_unit_filter_limits_the_list_to_what_the_unit_does(client, demo):
    response = client.get(reverse("portal:procedures"), {"unit": "YB.LY", "q": "chung thuc"})
    assert "Huyện Lục Yên" in text_of(response)
    assert COPY_CERTIFICATION in response.content.decode()
    response = client.get(reverse("portal:procedures"), {"unit": "YB.LY", "q": "khai sinh"})
    assert BIRTH not in response.content.decode()


def test_pages_make_a_fixed_number_of_queries_whatever_the_catalog_size(client, demo):
    """No query per listed procedure (cheap phones, busy servers): the list, unit and
    procedure pages stay under a small constant number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for path in (reverse("portal:procedures"), reverse("portal:home"),
                 reverse("portal:unit", args=["YB.LY"]) + "?children=1",
                 reverse("portal:procedure", args=["1.001193"])):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        assert len(queries) <= 12, (path, len(queries))
