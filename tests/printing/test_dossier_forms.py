"""The dossier forms of TT 01/2018/TT-VPCP (and their TT 03/2025 numbers) as PDF.

Sources: TT 01/2018/TT-VPCP Mẫu 01–06; TT 03/2025/TT-VPCP Phụ lục I (from 15/9/2025:
apology renamed, Mẫu 05 stop notice inserted, routing sheet 06, register 07);
``shared/domain/forms.md``.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.printing import dossier_forms, editions, register as register_form
from motcua.dossiers.models import Dossier
from motcua.worktime.calendar import VN_TZ
from tests.printing.conftest import (
    APPLICANT,
    act,
    is_a4_landscape,
    is_a4_portrait,
    nfc,
    pdf_reader,
    pdf_text,
    qr_modules_in,
    qr_modules_of,
    user,
)

pytestmark = pytest.mark.db_agnostic  # PostgreSQL cannot change it (docs/testing.md)

SUPPLEMENT_REASON = "Thiếu bản sao Giấy khai sinh có chứng thực; tờ khai chưa ghi đủ nơi cư trú trước đây."
REFUSAL_REASON = "Hồ sơ nộp không đúng thẩm quyền giải quyết của Ủy ban nhân dân thị trấn Yên Thế."
APOLOGY_REASON = "Cần xác minh thông tin hôn nhân tại nơi cư trú trước đây của người yêu cầu ở tỉnh Lào Cai."


def get_pdf(client, username: str | None, name: str, code: str):
    if username:
        client.force_login(user(username))
    started = time.perf_counter()
    response = client.get(reverse(f"printing:{name}", args=[code]))
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code == 200:
        pages = len(pdf_reader(response.content).pages)
        print(f"{name}: {pages} page(s), {elapsed:.1f} ms ({elapsed / pages:.1f} ms/page)")
    return response


@pytest.fixture
def dossier(make_dossier) -> Dossier:
    """Taken in at the counter of Thị trấn Yên Thế two days ago."""
    return make_dossier(arrived_at=timezone.now() - dt.timedelta(days=2),
                        data={"received_papers": ["Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"]})


# ---------------------------------------------------------------- receipt (Mẫu 01)

def test_receipt_shows_code_applicant_documents_times_and_fee(client, dossier):
    """TT 01/2018 Mẫu 01: applicant, request, documents, times in "giờ, phút, ngày", delivery."""
    response = get_pdf(client, "motcua.yt", "receipt", dossier.code)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pdf_reader(response.content)
    assert all(is_a4_portrait(page) for page in reader.pages)
    text = pdf_text(response.content)
    for expected in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", dossier.code, APPLICANT["full_name"], APPLICANT["address"],
        dossier.procedure.name, "Thành phần hồ sơ nộp gồm", "Tờ khai", "Số lượng hồ sơ: 01 bộ",
        "Thời gian nhận hồ sơ:", "Thời gian trả kết quả giải quyết hồ sơ:", "Tại Bộ phận Một cửa",
        "Phí, lệ phí:", "Nguyễn Thị Hoa",  # the counter officer who took it in
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND THỊ TRẤN YÊN THẾ",
    ):
        assert nfc(expected) in text, expected
    received = dossier.received_at.astimezone(VN_TZ)
    assert f"{received:%H} giờ {received:%M} phút, ngày {received:%d/%m/%Y}" in text
    due = dossier.original_due_at.astimezone(VN_TZ)
    assert f"{due:%H} giờ {due:%M} phút, ngày {due:%d/%m/%Y}" in text


def test_receipt_qr_code_encodes_the_public_tracking_url(client, dossier):
    # Printed through the web with MOTCUA_PUBLIC_URL unset: the address the request came to.
    url = "http://testserver" + reverse("portal:track_code", args=[dossier.code])

    content = get_pdf(client, "motcua.yt", "receipt", dossier.code).content
    page = pdf_reader(content).pages[0]
    assert qr_modules_of(url) in qr_modules_in(page)  # the image's modules are the URL's QR code
    links = [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", []) if "/A" in a.get_object()]
    assert url in links


def test_receipt_numbers_the_dossier_in_the_units_register_book(client, make_dossier):
    """Mẫu 01: "Vào Sổ theo dõi hồ sơ, Quyển số … Số thứ tự …"."""
    first = make_dossier(arrived_at=timezone.now() - dt.timedelta(days=3))
    second = make_dossier(arrived_at=timezone.now() - dt.timedelta(days=2))
    make_dossier(unit="YB.LY.MX", counter="motcua.mx")  # another unit's book
    assert register_form.register_number(first) < register_form.register_number(second)
    text = pdf_text(get_pdf(client, "motcua.yt", "receipt", second.code).content)
    year = second.received_at.astimezone(VN_TZ).year
    assert f"Quyển số: {year}, Số thứ tự: {register_form.register_number(second)}" in text


def test_online_dossier_has_no_receipt_until_a_counter_officer_accepts_it(client, demo):
    from motcua.dossiers.intake import receive_dossier

    online = receive_dossier(actor=user("congdan"), procedure_code="1.004873", unit_code="YB.LY.YT",
                             channel="online", applicant=APPLICANT)
    response = get_pdf(client, "motcua.yt", "receipt", online.code)
    assert response.status_code == 404
    assert "chưa được tiếp nhận" in response.content.decode()
    act("motcua.yt", online.code, "accept")
    response = get_pdf(client, "congdan", "receipt", online.code)  # the owner prints their own receipt
    assert response.status_code == 200
    assert nfc("Trực tuyến") in pdf_text(response.content)


# ---------------------------------------------------------------- supplement, refusal, apology

def test_supplement_request_gives_the_reason_from_the_latest_request(client, dossier):
    """TT 01/2018 Mẫu 02; NĐ 61/2018 Art. 19: one written request listing everything to add."""
    act("motcua.yt", dossier.code, "request_supplement", note="Lý do cũ đã được bổ sung.")
    act("motcua.yt", dossier.code, "supplement", note="Đã nộp bổ sung")
    act("motcua.yt", dossier.code, "request_supplement", note=SUPPLEMENT_REASON)
    response = get_pdf(client, "motcua.yt", "supplement_request", dossier.code)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert nfc("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ") in text
    assert nfc(SUPPLEMENT_REASON) in text
    assert nfc("Lý do cũ") not in text
    assert dossier.code in text and nfc(APPLICANT["full_name"]) in text
    assert nfc("Bản chính") in text and nfc("NGƯỜI HƯỚNG DẪN") in text


def test_refusal_gives_the_reason_of_the_refuse_action(client, demo):
    """TT 01/2018 Mẫu 03: the online dossier refused at intake, with the note as the reason."""
    from motcua.dossiers.intake import receive_dossier

    online = receive_dossier(actor=user("congdan"), procedure_code="1.004873", unit_code="YB.LY.YT",
                             channel="online", applicant=APPLICANT)
    assert get_pdf(client, "motcua.yt", "refusal", online.code).status_code == 404
    act("motcua.yt", online.code, "refuse", note=REFUSAL_REASON)
    response = get_pdf(client, "motcua.yt", "refusal", online.code)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert nfc("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ") in text
    assert nfc(REFUSAL_REASON) in text
    assert nfc("không tiếp nhận, giải quyết hồ sơ này") in text
    assert get_pdf(client, "congdan", "refusal", online.code).status_code == 200
    # A refused dossier was never received: no receipt, no control sheet.
    assert get_pdf(client, "motcua.yt", "receipt", online.code).status_code == 404


def test_apology_gives_reason_and_new_date_from_the_reschedule(client, dossier):
    """TT 01/2018 Mẫu 04 (NĐ 61/2018 Art. 19: apology and one new appointment)."""
    response = get_pdf(client, "lanhdao.yt", "apology", dossier.code)
    assert response.status_code == 404
    assert "chưa có văn bản xin lỗi" in response.content.decode()

    old_due = dossier.due_at
    new_due = (old_due + dt.timedelta(days=7)).astimezone(VN_TZ).replace(hour=17, minute=0, second=0, microsecond=0)
    act("lanhdao.yt", dossier.code, "reschedule", due_at=new_due.isoformat(), note=APOLOGY_REASON)
    response = get_pdf(client, "lanhdao.yt", "apology", dossier.code)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert nfc(APOLOGY_REASON) in text
    old_local = old_due.astimezone(VN_TZ)
    assert f"{old_local:%H} giờ {old_local:%M} phút, ngày {old_local:%d/%m/%Y}" in text
    assert f"17 giờ 00 phút, ngày {new_due:%d/%m/%Y}" in text
    assert nfc("Lê Văn Hùng") in text  # the leader who signs
    # Received after 15/9/2025: the 2025 form, "Văn bản xin lỗi và đề nghị gia hạn".
    assert nfc("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT") in text
    assert nfc("Mẫu số 04 – Phụ lục I, Thông tư số 03/2025/TT-VPCP") in text


# ---------------------------------------------------------------- form numbers by date

@pytest.mark.parametrize(("day", "number", "circular"), [
    (dt.date(2025, 9, 12), "05", "Thông tư số 01/2018/TT-VPCP"),
    (dt.date(2025, 9, 15), "06", "Phụ lục I, Thông tư số 03/2025/TT-VPCP"),
])
def test_form_number_follows_the_set_in_force_on_the_receipt_date(client, make_dossier, day, number, circular):
    """TT 03/2025 applies from 15/9/2025: the routing sheet is Mẫu 05 before, Mẫu 06 from then."""
    arrived = dt.datetime.combine(day, dt.time(9, 0), tzinfo=VN_TZ)
    dossier = make_dossier(arrived_at=arrived)
    assert dossier.received_at.astimezone(VN_TZ).date() == day
    text = pdf_text(get_pdf(client, "motcua.yt", "control_sheet", dossier.code).content)
    assert nfc(f"Mẫu số {number} – {circular}") in text


def test_apology_title_before_15_september_2025_is_the_2018_one():
    assert editions.form_heading("apology", dt.date(2025, 9, 14))["title"] == "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    assert editions.form_heading("apology", dt.date(2025, 9, 15))["title"] == (
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết")
    assert editions.form_heading("register", dt.date(2025, 9, 14))["number"] == "06"
    assert editions.form_heading("register", dt.date(2025, 9, 15))["number"] == "07"


# ---------------------------------------------------------------- control sheet (Mẫu 05/06)

def test_control_sheet_has_a_row_per_hand_over_with_its_result(client, dossier):
    """Mẫu 05: unit, time, giver and receiver, trước hạn / đúng hạn / quá hạn per hand-over."""
    act("motcua.yt", dossier.code, "assign", assignee="chuyenvien.yt")
    act("chuyenvien.yt", dossier.code, "transfer", to_unit="YB.LY", note="Chuyển UBND huyện thẩm định")
    rows = dossier_forms.handover_rows(Dossier.objects.get(pk=dossier.pk))
    assert [r["note"].split(":")[0] for r in rows] == ["Tiếp nhận hồ sơ", "Phân công xử lý", "Chuyển xử lý liên thông"]
    assert rows[0]["giver"] == APPLICANT["full_name"] and rows[0]["receiver"] == "Nguyễn Thị Hoa"
    assert rows[1]["giver"] == "Nguyễn Thị Hoa" and rows[1]["receiver"] == "Trần Văn Nam"
    assert rows[2]["unit"] == "Thị trấn Yên Thế" and rows[2]["receiver"] == "Bộ phận Một cửa Huyện Lục Yên"
    assert {r["result"] for r in rows} <= {"Trước hạn", "Đúng hạn", "Quá hạn"}

    response = get_pdf(client, "motcua.yt", "control_sheet", dossier.code)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert nfc("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ") in text
    assert nfc("Chuyển UBND huyện thẩm định") in text and nfc("Trần Văn Nam") in text
    # The district, which now holds it, prints the same sheet.
    assert get_pdf(client, "motcua.ly", "control_sheet", dossier.code).status_code == 200


def test_hand_over_result_counts_days_as_the_report_does():
    """CONTRACT §5: late after due_at; on time on the due day; early on an earlier day."""
    due = dt.datetime(2026, 5, 6, 17, 0, tzinfo=VN_TZ)
    assert dossier_forms.handover_result(due - dt.timedelta(days=1), due) == "Trước hạn"
    assert dossier_forms.handover_result(due.replace(hour=8), due) == "Đúng hạn"
    assert dossier_forms.handover_result(due, due) == "Đúng hạn"
    assert dossier_forms.handover_result(due + dt.timedelta(minutes=1), due) == "Quá hạn"


def test_a_hand_over_after_the_due_time_is_late(make_dossier):
    arrived = timezone.now() - dt.timedelta(days=30)
    dossier = make_dossier(arrived_at=arrived)
    act("motcua.yt", dossier.code, "assign", assignee="chuyenvien.yt")
    rows = dossier_forms.handover_rows(Dossier.objects.get(pk=dossier.pk))
    assert rows[0]["result"] == "Trước hạn" and rows[1]["result"] == "Quá hạn"


# ---------------------------------------------------------------- register (Mẫu 06/07)

def register_url(unit="YB.LY.YT", start="2026-01-01", end="2026-12-31"):
    return reverse("printing:register") + f"?unit={unit}&from={start}&to={end}"


def test_register_lists_the_units_received_dossiers_on_a4_landscape(client, make_dossier):
    """Mẫu 06 (2018) / 07 (2025): one line per dossier received, columns as forms.md lists."""
    now = timezone.now()
    mine = [make_dossier(arrived_at=now - dt.timedelta(days=10 - i)) for i in range(3)]
    other = make_dossier(unit="YB.LY.MX", counter="motcua.mx", arrived_at=now - dt.timedelta(days=5))
    day = now.astimezone(VN_TZ).date()
    client.force_login(user("motcua.yt"))
    started = time.perf_counter()
    response = client.get(register_url(start=f"{day - dt.timedelta(days=20)}", end=f"{day}"))
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200
    reader = pdf_reader(response.content)
    print(f"register: {len(reader.pages)} page(s), {elapsed:.1f} ms")
    assert all(is_a4_landscape(page) for page in reader.pages)
    text = pdf_text(response.content)
    assert nfc("SỔ THEO DÕI HỒ SƠ") in text
    for column in ("Mã hồ sơ", "Số lượng (bộ)", "Họ tên, địa chỉ, số điện thoại chủ hồ sơ", "Ngày nhận hồ sơ",
                   "Hẹn trả kết quả", "Ngày trả / nhận kết quả", "Bên giao / Bên nhận (ký)", "Ghi chú"):
        assert nfc(column) in text, column
    for dossier in mine:
        assert dossier.code in text
    assert other.code not in text
    assert nfc(APPLICANT["full_name"]) in text
    rows = register_form.register_rows(mine[0].unit, day - dt.timedelta(days=20), day)
    assert [r["number"] for r in rows] == [register_form.register_number(d) for d in mine]


def test_register_of_an_empty_period_says_so(client, demo):
    client.force_login(user("motcua.yt"))
    response = client.get(register_url(start="2026-02-01", end="2026-02-02"))
    assert response.status_code == 200
    assert nfc("Không có hồ sơ tiếp nhận trong kỳ") in pdf_text(response.content)


@pytest.mark.parametrize(("query", "message"), [
    ("?unit=YB.LY.YT&from=2026-13-01&to=2026-12-31", "Nhập ngày dạng YYYY-MM-DD"),
    ("?unit=YB.LY.YT&from=2026-05-01&to=2026-04-01", "Ngày bắt đầu phải trước ngày kết thúc"),
    ("?unit=YB.LY.YT&from=2024-01-01&to=2026-01-01", "Mỗi lần in sổ tối đa một năm"),
    ("?unit=YB.LY.YT", "Nhập ngày dạng YYYY-MM-DD"),
    # the ends of Python's calendar: an OverflowError (9999-12-31 + 1 day) on both databases,
    # year 1 on SQLite, before dates.parse_day bounded them
    ("?unit=YB.LY.YT&from=9999-12-31&to=9999-12-31", "Ngoài khoảng cho phép (từ năm 1900 đến năm 2200)"),
    ("?unit=YB.LY.YT&from=0001-01-01&to=0001-01-01", "Ngoài khoảng cho phép (từ năm 1900 đến năm 2200)"),
    ("?unit=YB.LY.YT&from=1899-12-31&to=1900-01-01", "Ngoài khoảng cho phép (từ năm 1900 đến năm 2200)"),
])
def test_register_rejects_a_bad_period_with_a_vietnamese_message(client, demo, query, message):
    client.force_login(user("motcua.yt"))
    response = client.get(reverse("printing:register") + query)
    assert response.status_code == 422
    assert message in response.content.decode()


def test_register_is_for_the_units_own_staff_inspectors_above_and_admins(client, demo):
    client.force_login(user("motcua.mx"))
    assert client.get(register_url()).status_code == 403
    client.force_login(user("congdan"))
    assert client.get(register_url()).status_code == 403
    for username in ("lanhdao.yt", "thanhtra.yb", "admin"):
        client.force_login(user(username))
        assert client.get(register_url()).status_code == 200, username
    client.force_login(user("thanhtra.yb"))
    assert client.get(register_url(unit="LC.NN.NM")).status_code == 403
    assert client.get(register_url(unit="KHONG.CO")).status_code == 404


# ---------------------------------------------------------------- access

FORM_NAMES = ("receipt", "supplement_request", "refusal", "apology", "control_sheet")


@pytest.mark.parametrize("name", FORM_NAMES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, dossier, name):
    response = client.get(reverse(f"printing:{name}", args=[dossier.code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("office:login"))


def test_anonymous_visitors_are_sent_to_login_for_the_register(client, demo):
    response = client.get(register_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("office:login"))


@pytest.mark.parametrize("username", ["motcua.mx", "lanhdao.nm", "congdan"])
def test_people_who_cannot_see_the_dossier_get_404(client, dossier, username):
    response = get_pdf(client, username, "receipt", dossier.code)
    assert response.status_code == 404
    assert dossier.code.encode() not in response.content or "Không tìm thấy" in response.content.decode()


def test_unknown_dossier_is_404(client, demo):
    assert get_pdf(client, "motcua.yt", "receipt", "YB.LY.YT-990101-9999").status_code == 404


def test_the_owner_cannot_print_the_internal_control_sheet(client, demo):
    from motcua.dossiers.intake import receive_dossier

    online = receive_dossier(actor=user("congdan"), procedure_code="1.004873", unit_code="YB.LY.YT",
                             channel="online", applicant=APPLICANT)
    act("motcua.yt", online.code, "accept")
    assert get_pdf(client, "congdan", "control_sheet", online.code).status_code == 404
    assert get_pdf(client, "chuyenvien.yt", "control_sheet", online.code).status_code == 200
    assert get_pdf(client, "thanhtra.yb", "control_sheet", online.code).status_code == 200


def test_the_receipt_of_an_online_filing_lists_the_papers_uploaded(client, make_dossier, settings, tmp_path):
    """Online, a paper is received when a file was uploaded for it (documents.papers)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.documents.services import upload_document

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    dossier = make_dossier(counter="congdan", channel="online", arrived_at=timezone.now() - dt.timedelta(days=1))
    upload_document(user("congdan"), dossier.code,
                    SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4 to khai", content_type="application/pdf"),
                    kind="Tờ khai cấp Giấy xác nhận tình trạng hôn nhân")
    act("motcua.yt", dossier.code, "accept")
    text = pdf_text(get_pdf(client, "motcua.yt", "receipt", dossier.code).content)
    section = text[text.index("Thành phần hồ sơ nộp gồm"):text.index("Số lượng hồ sơ")]
    assert "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân" in section
    assert "ly hôn" not in section and "Giấy tờ tùy thân" not in section
