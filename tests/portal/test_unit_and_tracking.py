"""The unit page (catalog figures, QR poster link) and dossier tracking (no personal data)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.portal.conftest import APPLICANT
from tests.portal.test_catalog_pages import text_of

pytestmark = pytest.mark.django_db


def _matrix_cells(html: str) -> list[list[str]]:
    table = re.search(r'<table class="matrix">.*?</table>', html, flags=re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, flags=re.S)] for r in rows]


def test_unit_page_reports_the_catalog_matrix_as_officials_count(client, demo):
    """A procedure at two levels counts once at each level (CONTRACT §2, /procedures/stats)."""
    from motcua.catalog.models import Unit
    from motcua.catalog.services import procedure_stats

    response = client.get(reverse("portal:unit", args=["YB.LY"]), {"children": "1"})
    assert response.status_code == 200
    stats = procedure_stats(Unit.objects.get(code="YB.LY"), children=True)
    cells = _matrix_cells(response.content.decode())
    assert cells[0][1:] == ["Không trực tuyến", "Trực tuyến một phần", "Trực tuyến toàn trình", "Tổng"]
    by_label = {row[0]: row[1:] for row in cells[1:]}
    assert by_label["Cấp huyện"] == [str(stats["matrix"]["district"][ol]) for ol in ("none", "partial", "full")] + [
        str(stats["by_level"]["district"])]
    assert by_label["Cấp xã"] == [str(stats["matrix"]["commune"][ol]) for ol in ("none", "partial", "full")] + [
        str(stats["by_level"]["commune"])]
    assert by_label["Tổng"][-1] == str(stats["total"])
    assert stats["by_level"]["district"] >= 1 and stats["by_level"]["commune"] >= 1


def test_unit_page_lists_its_procedures_and_links_the_qr_poster(client, demo):
    response = client.get(reverse("portal:unit", args=["YB.LY.YT"]))
    html = response.content.decode()
    page = text_of(response)
    assert "Thị trấn Yên Thế" in page and "Huyện Lục Yên" in page  # the breadcrumb
    assert "Đăng ký khai sinh" in page
    assert f'href="{reverse("portal:unit_poster", args=["YB.LY.YT"])}"' in html
    assert "Bảng mã QR để niêm yết (PDF)" in page


def test_a_commune_directly_under_its_province_has_a_unit_page(client, demo):
    """Two-level local government since 1/7/2025 (NQ 202/2025/QH15; domain/procedures.md)."""
    response = client.get(reverse("portal:unit", args=["LC.TP"]))
    assert response.status_code == 200
    assert "Phường Tân Phong" in text_of(response) and "Đăng ký khai sinh" in text_of(response)


def test_an_unknown_unit_is_the_friendly_404_page(client, demo):
    response = client.get(reverse("portal:unit", args=["XX.YY"]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in text_of(response)


def test_tracking_shows_status_procedure_and_times(client, counter_dossier):
    from django.utils import timezone

    response = client.get(reverse("portal:track_code", args=[counter_dossier.code]))
    assert response.status_code == 200
    page = text_of(response)
    assert counter_dossier.code in page
    assert "Đã tiếp nhận" in page
    assert "Đăng ký khai sinh" in page and "Thị trấn Yên Thế" in page
    local = timezone.localtime
    assert local(counter_dossier.received_at).strftime("%H:%M, %d/%m/%Y") in page
    assert local(counter_dossier.due_at).strftime("%H:%M, %d/%m/%Y") in page


def test_tracking_by_form_field_finds_the_same_dossier(client, counter_dossier):
    response = client.get(reverse("portal:track"), {"code": f"  {counter_dossier.code.lower()} "})
    assert response.status_code == 200
    assert "Đã tiếp nhận" in text_of(response)


def test_tracking_never_shows_personal_data(client, counter_dossier):
    html = client.get(reverse("portal:track_code", args=[counter_dossier.code])).content.decode()
    for secret in (APPLICANT["id_number"], APPLICANT["phone"], APPLICANT["full_name"], APPLICANT["email"],
                   APPLICANT["address"], "0912 345 678", "Ngọc"):
        assert secret not in html


def test_an_unknown_dossier_code_gets_a_friendly_message(client, demo):
    response = client.get(reverse("portal:track"), {"code": "KHONG-CO-0001"})
    assert response.status_code == 404
    page = text_of(response)
    assert "Không tìm thấy hồ sơ có mã “KHONG-CO-0001”" in page
    assert "Vui lòng kiểm tra lại mã" in page


def test_the_empty_tracking_page_is_a_form(client, db):
    response = client.get(reverse("portal:track"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()
