"""Intake at the counter: procedure search, checklist, due date before saving, save, errors."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from motcua.dossiers.models import Dossier, DossierEvent

from .conftest import MARRIAGE

INTAKE = "/can-bo/tiep-nhan/"
ID_PAPER = ("Giấy tờ tùy thân của người yêu cầu (hộ chiếu, thẻ căn cước, căn cước công dân hoặc giấy tờ có ảnh "
            "do cơ quan có thẩm quyền cấp, còn giá trị sử dụng)")
VALID = {"unit": "YB.LY.YT", "procedure": MARRIAGE, "channel": "direct", "delivery": "counter",
         "full_name": "Vi Thị Hằng", "id_number": "015190001234", "phone": "0912 345 678",
         "email": "", "address": "Thôn 5, Yên Thế", "papers": ["Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", ID_PAPER]}


def local(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "d/m/Y")


def test_intake_page_lists_the_units_procedures(login):
    html = login("motcua.yt").get(INTAKE).content.decode()
    assert "Tiếp nhận hồ sơ" in html and "Thị trấn Yên Thế" in html
    assert 'name="procedure"' in html and 'name="id_number"' in html


@pytest.mark.parametrize("username", ["chuyenvien.yt", "lanhdao.yt"])
def test_only_counter_officers_take_dossiers_in(login, username):
    """CONTRACT §2: counter officers take in direct and postal dossiers."""
    assert login(username).get(INTAKE).status_code == 403
    assert login(username).post(INTAKE, VALID).status_code == 403
    assert Dossier.objects.count() == 0


def test_live_search_finds_a_procedure_without_diacritics(login):
    response = login("motcua.yt").get(reverse("office:intake_procedures"),
                                      {"unit": "YB.LY.YT", "q": "tinh trang hon nhan"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Cấp Giấy xác nhận tình trạng hôn nhân" in html and f'value="{MARRIAGE}"' in html


def test_live_search_only_offers_the_units_level(login):
    """A commune counter is not offered a district-only procedure."""
    from motcua.catalog.models import Procedure

    district_only = Procedure.objects.filter(levels__level="district").exclude(levels__level="commune").first()
    assert district_only is not None
    html = login("motcua.yt").get(reverse("office:intake_procedures"),
                                  {"unit": "YB.LY.YT", "q": district_only.name}).content.decode()
    assert f'value="{district_only.code}"' not in html


def test_preview_shows_the_checklist_and_the_computed_due_date(login):
    """CONTRACT §3: the due date follows the unit's calendar; shown before saving."""
    from motcua.catalog.models import Procedure, Unit
    from motcua.dossiers.deadlines import compute_deadline

    response = login("motcua.yt").get(reverse("office:intake_preview"), {"unit": "YB.LY.YT", "procedure": MARRIAGE},
                                      HTTP_HX_REQUEST="true")
    html = response.content.decode()
    expected = compute_deadline(Procedure.objects.get(code=MARRIAGE), Unit.objects.get(code="YB.LY.YT"), timezone.now())
    assert "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân" in html and 'name="papers"' in html
    assert "Hẹn trả kết quả" in html and local(expected.due_at) in html


def test_intake_creates_the_dossier_and_goes_to_its_page_with_the_due_date(login):
    client = login("motcua.yt")
    response = client.post(INTAKE, VALID, follow=True)
    dossier = Dossier.objects.get()
    assert response.redirect_chain[-1][0] == reverse("office:dossier", args=[dossier.code])
    html = response.content.decode()
    assert f"Đã tiếp nhận hồ sơ {dossier.code}" in html and local(dossier.due_at) in html
    assert dossier.status == "received" and dossier.channel == "direct" and dossier.source == "counter"
    assert dossier.applicant_name == "Vi Thị Hằng" and dossier.applicant_phone == "0912345678"
    assert dossier.data == {"received_papers": VALID["papers"]}
    assert DossierEvent.objects.filter(dossier=dossier, action="receive").count() == 1


def test_postal_intake_with_delivery_by_post(login):
    login("motcua.yt").post(INTAKE, {**VALID, "channel": "postal", "delivery": "post"})
    dossier = Dossier.objects.get()
    assert (dossier.channel, dossier.source, dossier.delivery) == ("postal", "post", "post")


def test_invalid_intake_keeps_what_was_typed_shows_errors_and_writes_nothing(login):
    client = login("motcua.yt")
    response = client.post(INTAKE, {**VALID, "id_number": "12345", "phone": "", "email": "khong-phai-email"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Số định danh cá nhân (căn cước) phải gồm đúng 12 chữ số." in html
    assert "Vui lòng nhập số điện thoại." in html
    assert "Địa chỉ thư điện tử không hợp lệ." in html
    assert 'value="Vi Thị Hằng"' in html and 'value="12345"' in html and 'value="Thôn 5, Yên Thế"' in html
    assert f'value="{MARRIAGE}" checked' in html  # the chosen procedure stays chosen
    assert 'aria-invalid="true"' in html
    assert Dossier.objects.count() == 0 and DossierEvent.objects.count() == 0


def test_intake_without_a_procedure_asks_to_choose_one(login):
    response = login("motcua.yt").post(INTAKE, {**VALID, "procedure": ""})
    assert response.status_code == 422
    assert "Vui lòng chọn một thủ tục trong danh sách." in response.content.decode()
    assert Dossier.objects.count() == 0


def test_a_procedure_of_another_level_cannot_be_posted(login):
    from motcua.catalog.models import Procedure

    district_only = Procedure.objects.filter(levels__level="district").exclude(levels__level="commune").first()
    response = login("motcua.yt").post(INTAKE, {**VALID, "procedure": district_only.code})
    assert response.status_code == 422 and Dossier.objects.count() == 0


def test_counter_cannot_take_in_for_a_unit_they_do_not_belong_to(login):
    """The unit choice only offers the officer's own units; a forged one is refused."""
    response = login("motcua.yt").post(INTAKE, {**VALID, "unit": "YB.LY.MX"})
    assert response.status_code == 422 and Dossier.objects.count() == 0
    assert 'value="Vi Thị Hằng"' in response.content.decode()


def test_search_button_without_javascript_keeps_the_form_and_saves_nothing(login):
    response = login("motcua.yt").post(INTAKE, {**VALID, "procedure": "", "q": "hon nhan", "_search": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and Dossier.objects.count() == 0
    assert "Cấp Giấy xác nhận tình trạng hôn nhân" in html and 'value="Vi Thị Hằng"' in html
    assert "Vui lòng" not in html
