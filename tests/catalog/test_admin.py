"""The catalog admin: lists with filters and diacritics-free search, the whole-catalog JSON
export, and the import page that writes nothing when the file is invalid."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalog.importexport import export_catalog
from motcua.catalog.models import Procedure

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:catalog_procedure_changelist"


def upload(data, name="catalog.json") -> SimpleUploadedFile:
    content = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode("utf-8")
    return SimpleUploadedFile(name, content, content_type="application/json")


@pytest.mark.parametrize(
    "name", ["admin:catalog_unit_changelist", "admin:catalog_field_changelist", CHANGELIST,
             "admin:catalog_procedurecommitment_changelist"],
)
def test_every_catalog_list_opens(admin_client, demo, name):
    assert admin_client.get(reverse(name)).status_code == 200


def test_a_procedure_page_shows_its_levels_papers_and_fees(admin_client, demo):
    p = Procedure.objects.get(code="2.000815")
    html = admin_client.get(reverse("admin:catalog_procedure_change", args=[p.pk])).content.decode()
    assert "Bản chính giấy tờ, văn bản" in html
    assert "Phí chứng thực bản sao: trang thứ nhất và thứ hai" in html
    assert 'value="district" selected' in html and 'value="commune" selected' in html


def test_the_procedure_list_filters_by_field_online_level_and_level(admin_client, demo):
    url = reverse(CHANGELIST)
    html = admin_client.get(url, {"level": "province"}).content.decode()
    assert "Cấp Phiếu lý lịch tư pháp" in html and "Đăng ký khai sinh" not in html
    html = admin_client.get(url, {"field__id__exact": Procedure.objects.get(code="2.000884").field_id}).content.decode()
    assert "Chứng thực chữ ký" in html and "Đăng ký kết hôn" not in html
    html = admin_client.get(url, {"online_level__exact": "none"}).content.decode()
    assert "Chứng thực chữ ký" in html and "Cấp bản sao trích lục hộ tịch" not in html


def test_the_admin_search_ignores_diacritics(admin_client, demo):
    html = admin_client.get(reverse(CHANGELIST), {"q": "dang ky ket hon"}).content.decode()
    assert "Đăng ký kết hôn" in html and "Đăng ký khai sinh<" not in html
    html = admin_client.get(reverse(CHANGELIST), {"q": "Đăng ký kết hôn"}).content.decode()
    assert "Đăng ký kết hôn" in html


def test_the_list_links_to_export_and_import(admin_client, demo):
    html = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert reverse("admin:catalog_procedure_export") in html
    assert reverse("admin:catalog_procedure_import") in html
    assert "Xuất danh mục (JSON)" in html and "Nhập danh mục (JSON)" in html


def test_export_downloads_the_whole_catalog(admin_client, demo):
    r = admin_client.get(reverse("admin:catalog_procedure_export"))
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/json")
    assert "attachment" in r["Content-Disposition"]
    assert json.loads(r.content.decode("utf-8")) == export_catalog()


def test_export_selected_action_downloads_only_the_chosen_entries(admin_client, demo):
    chosen = Procedure.objects.filter(code__in=["1.001612", "MC-XD-001"])
    r = admin_client.post(reverse(CHANGELIST), {"action": "export_selected", "_selected_action": [p.pk for p in chosen]})
    data = json.loads(r.content.decode("utf-8"))
    assert sorted(p["code"] for p in data["procedures"]) == ["1.001612", "MC-XD-001"]
    assert sorted(f["code"] for f in data["fields"]) == ["HKD", "XD"]
    assert sorted(c["procedure"] for c in data["commitments"]) == ["1.001612", "MC-XD-001"]


def test_import_page_loads_a_valid_file(admin_client, demo):
    data = export_catalog()
    entry = next(p for p in data["procedures"] if p["code"] == "MC-XD-002")
    entry["processing_time"]["value"] = 4
    r = admin_client.post(reverse("admin:catalog_procedure_import"), {"file": upload(data)})
    assert r.status_code == 302 and r["Location"] == reverse(CHANGELIST)
    assert Procedure.objects.get(code="MC-XD-002").processing_time_value == 4
    page = admin_client.get(r["Location"]).content.decode()
    assert "Đã nạp 10 lĩnh vực, 40 thủ tục, 3 cam kết." in page


def test_import_page_shows_every_problem_and_writes_nothing(admin_client, demo):
    before = export_catalog()
    data = export_catalog()
    data["procedures"][0]["fee_amount"] = -1
    data["procedures"][1]["name"] = "Tên mới (không được ghi)"
    data["procedures"][2]["levels"] = []
    r = admin_client.post(reverse("admin:catalog_procedure_import"), {"file": upload(data)})
    assert r.status_code == 200
    html = r.content.decode()
    assert "procedures[0].fee_amount" in html and "procedures[2].levels" in html
    assert "không ghi gì" in html
    assert export_catalog() == before


def test_import_dry_run_checks_without_writing(admin_client, demo):
    data = export_catalog()
    data["procedures"][0]["name"] = "Tên thử"
    r = admin_client.post(reverse("admin:catalog_procedure_import"), {"file": upload(data), "dry_run": "on"})
    assert r.status_code == 200
    assert "Tệp hợp lệ: 40 thủ tục" in r.content.decode()
    assert not Procedure.objects.filter(name="Tên thử").exists()


def test_import_page_rejects_a_file_that_is_not_json(admin_client, demo):
    r = admin_client.post(reverse("admin:catalog_procedure_import"), {"file": upload(b"\xff\x00 not json")})
    assert r.status_code == 200
    assert "không phải JSON hợp lệ" in r.content.decode()


def test_catalog_admin_pages_need_a_staff_login(client, demo):
    for name in ("admin:catalog_procedure_export", "admin:catalog_procedure_import"):
        r = client.get(reverse(name))
        assert r.status_code == 302 and reverse("admin:login") in r["Location"]


class FormControls(HTMLParser):
    """The form controls of a page a person fills in, and the names assistive technology
    reads for each (axe's rule "label", critical): a ``<label for>``, an enclosing
    ``<label>``, ``aria-label``, ``aria-labelledby`` or ``title``."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.in_label = 0
        self.hidden_template = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.in_label += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        # Django's empty inline row ("__prefix__") is a template copied by script, not shown.
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit", "button"} \
                and "__prefix__" not in (attrs.get("name") or ""):
            self.controls.append({**attrs, "_in_label": self.in_label > 0})

    def handle_endtag(self, tag):
        if tag == "label":
            self.in_label -= 1


def unlabelled(html: str) -> list[str]:
    parser = FormControls()
    parser.feed(html)
    return [c.get("name") or c.get("id") or "?" for c in parser.controls
            if not (c["_in_label"] or c.get("id") in parser.label_for or c.get("aria-label")
                    or c.get("aria-labelledby") or c.get("title"))]


def test_every_input_of_the_procedure_page_has_a_label(admin_client, demo):
    """Issue 17 §4: the inline rows (levels, papers, fees, shorter times) and their delete
    boxes had no label at all (axe: critical); each now says what it is and for which row."""
    p = Procedure.objects.get(code="2.000815")
    html = admin_client.get(reverse("admin:catalog_procedure_change", args=[p.pk])).content.decode()
    parser = FormControls()
    parser.feed(html)
    assert len(parser.controls) > 25
    assert unlabelled(html) == []
    assert 'aria-label="Thành phần hồ sơ 1: Tên giấy tờ"' in html and 'aria-label="Phí, lệ phí 2: xóa"' in html
