"""The procedure page, its printable sheet and its QR code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.portal.qr_decode import decode_svg
from tests.portal.test_catalog_pages import text_of

pytestmark = pytest.mark.django_db


def test_birth_registration_page_shows_what_a_citizen_needs(client, demo):
    """Same-day procedure with the 15:00 cut-off, free when on time (domain/procedures.md:
    Đăng ký khai sinh, 1.001193; CONTRACT §3: the cut-off is a property of the procedure)."""
    from motcua.catalog.models import Procedure

    response = client.get(reverse("portal:procedure", args=["1.001193"]))
    assert response.status_code == 200
    page = text_of(response)
    assert "Đăng ký khai sinh" in page
    assert "Cấp xã" in page
    assert "Theo quy định: Trong ngày" in page
    assert "Nộp sau 15:00 thì hồ sơ được tính là nhận vào ngày làm việc tiếp theo" in page
    assert "Miễn lệ phí khi đăng ký đúng hạn" in page
    assert "Trực tuyến toàn trình" in page
    assert "Tại Bộ phận Một cửa" in page and "Qua bưu chính công ích" in page and "Bản điện tử" in page
    p = Procedure.objects.get(code="1.001193")
    for document in p.documents.all():
        assert document.name in page
        assert document.get_copy_type_display() in page
    assert "Bắt buộc" in page and "Tùy trường hợp" in page and "Số lượng: 1 bản" in page
    for step in p.steps:
        assert step in page
    for law in p.legal_basis:
        assert law in page
    assert p.result in page
    assert f'src="{reverse("portal:procedure_qr", args=["1.001193"])}"' in response.content.decode()
    assert "http://testserver/thu-tuc/1.001193/" in page  # the address the request came to


def test_fee_lines_are_in_dong_with_dot_separators(client, demo):
    """TT 226/2016/TT-BTC: 2.000 đ a page for copy certification (domain/procedures.md)."""
    page = text_of(client.get(reverse("portal:procedure", args=["2.000815"])))
    assert "2.000 đ/trang" in page and "1.000 đ/trang" in page  # (text_of folds the no-break space)
    assert "Cấp huyện, Cấp xã" in page
    assert "Trực tuyến một phần" in page


def test_a_fee_of_zero_with_a_note_shows_the_note_not_free(client, demo):
    """0 đ with a fee note means "set by the province / not entered", never "free"."""
    from motcua.catalog.models import Procedure

    Procedure.objects.filter(code="1.004873").update(fee_amount=0, fee_note="Mức thu do HĐND cấp tỉnh quyết định.")
    Procedure.objects.get(code="1.004873").fee_lines.all().delete()
    page = text_of(client.get(reverse("portal:procedure", args=["1.004873"])))
    assert "Mức thu do HĐND cấp tỉnh quyết định." in page
    assert "Miễn phí" not in page
    listed = text_of(client.get(reverse("portal:procedures"), {"q": "xac nhan tinh trang hon nhan"}))
    assert "Lệ phí: Mức thu do HĐND cấp tỉnh quyết định." in listed


def test_no_fee_and_no_note_reads_free(client, demo):
    from motcua.catalog.models import Procedure

    Procedure.objects.filter(code="1.004873").update(fee_amount=0, fee_note="")
    Procedure.objects.get(code="1.004873").fee_lines.all().delete()
    assert "Miễn phí" in text_of(client.get(reverse("portal:procedure", args=["1.004873"])))


def test_a_committed_shorter_time_is_shown_beside_the_law_time(client, demo):
    from motcua.catalog.models import Procedure, ProcedureCommitment, Unit

    marriage = Procedure.objects.get(code="1.004873")
    ProcedureCommitment.objects.create(
        unit=Unit.objects.get(code="YB"), procedure=marriage, time_value=2, time_unit="working_days",
        decision="Quyết định 1234/QĐ-UBND", valid_from=dt.date(2024, 1, 1),
    )
    page = text_of(client.get(reverse("portal:procedure", args=["1.004873"])))
    assert "Theo quy định: 03 ngày làm việc" in page
    assert "Cam kết rút ngắn: 02 ngày làm việc" in page
    assert "Tỉnh Yên Bái (Quyết định 1234/QĐ-UBND)" in page


def test_an_expired_commitment_is_not_shown(client, demo):
    from motcua.catalog.models import Procedure, ProcedureCommitment, Unit

    ProcedureCommitment.objects.create(
        unit=Unit.objects.get(code="YB"), procedure=Procedure.objects.get(code="1.004873"), time_value=1,
        valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2020, 12, 31),
    )
    assert "Cam kết rút ngắn" not in text_of(client.get(reverse("portal:procedure", args=["1.004873"])))


def test_interlinked_procedure_names_the_levels_involved(client, demo):
    from motcua.catalog.models import Procedure

    Procedure.objects.filter(code="1.004873").update(interlinked=True, interlinked_levels=["commune", "district"])
    page = text_of(client.get(reverse("portal:procedure", args=["1.004873"])))
    assert "Thủ tục một cửa liên thông: Cấp xã, Cấp huyện" in page


def test_an_unknown_procedure_is_the_friendly_404_page(client, demo):
    response = client.get(reverse("portal:procedure", args=["9.999999"]))
    assert response.status_code == 404
    page = text_of(response)
    assert "Không tìm thấy trang" in page and "Về trang chủ" in page
    assert client.get(reverse("portal:procedure_qr", args=["9.999999"])).status_code == 404
    assert client.get(reverse("portal:procedure_print", args=["9.999999"])).status_code == 404


def test_the_qr_code_decodes_to_the_public_page_address(client, demo):
    response = client.get(reverse("portal:procedure_qr", args=["1.001193"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert decode_svg(svg) == "http://testserver" + reverse("portal:procedure", args=["1.001193"])


def test_the_qr_code_follows_the_configured_public_address(client, demo, settings):
    settings.PUBLIC_URL = "https://dichvucong.laichau.gov.vn"
    svg = client.get(reverse("portal:procedure_qr", args=["2.000815"])).content.decode()
    assert decode_svg(svg) == "https://dichvucong.laichau.gov.vn/thu-tuc/2.000815/"


def test_print_sheet_has_the_facts_and_qr_but_no_navigation(client, demo):
    response = client.get(reverse("portal:procedure_print", args=["1.001193"]))
    assert response.status_code == 200
    html = response.content.decode()
    page = text_of(response)
    assert "<header class=\"top\"" not in html and "<nav" not in html
    assert "print.css" in html
    assert f'src="{reverse("portal:procedure_qr", args=["1.001193"])}"' in html
    assert "Đăng ký khai sinh" in page and "Giấy chứng sinh" in page and "Trong ngày" in page
    assert "Nộp sau 15:00" in page
    assert "http://testserver/thu-tuc/1.001193/" in page


def test_the_amount_to_pay_is_stated_in_dong_from_the_fee_lines(client, demo):
    """Issue 17 §2: the page said "Lệ phí do HĐND cấp tỉnh quyết định" and no amount. The amount
    comes from the fee lines (``payments.fees.fee_for``: what an order would ask), or plainly free."""
    from motcua.catalog.models import FeeLine, Procedure

    procedure = Procedure.objects.get(code="1.004873")
    FeeLine.objects.create(procedure=procedure, name="Lệ phí cấp giấy xác nhận", amount=15000, per="bản")
    page = text_of(client.get(reverse("portal:procedure", args=["1.004873"])))
    assert "Số tiền phải nộp: 15.000 đồng" in page
    Procedure.objects.filter(code="1.004873").update(fee_note="")
    procedure.fee_lines.all().delete()
    page = text_of(client.get(reverse("portal:procedure", args=["1.004873"])))
    assert "Miễn phí" in page and "Số tiền phải nộp" not in page


def test_a_note_without_an_amount_says_the_amount_is_not_entered(client, demo):
    page = text_of(client.get(reverse("portal:procedure", args=["1.004873"])))
    assert "Lệ phí do HĐND cấp tỉnh quyết định" in page
    assert "Chưa có số tiền cụ thể trên hệ thống" in page and "Miễn phí" not in page
