"""Issue 17 §2 at 360 px in Chromium: the citizens' dead ends, one journey.

The procedure page states the fee, offers the declaration's blank form to download (its type and
size beside the link), and how required fields are marked; a field error is red
with aria-invalid; a file over the limit is caught in the browser before anything is sent (the
limit is written beside the field); an empty supplement is refused with a message and the
officer's list of papers is on the page. Screenshots: ``test-artifacts/dead-ends-*.png``."""

from __future__ import annotations

import re

import pytest

from tests.files.conftest import media_dir  # noqa: F401  (uploads in a fresh folder)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
MARITAL = "1.004873"
PASSWORD = "lua-chin-vang-2026"


def shot(page, screenshot, name: str):
    screenshot(page, f"dead-ends-{name}")
    assert page.evaluate(NO_SIDEWAYS), f"{name}: the page scrolls sideways at 360 px"


def test_citizens_dead_ends_on_a_phone(live_server, page, screenshot, settings, media_dir):  # noqa: F811
    from playwright.sync_api import expect

    from motcua.accounts.models import Role, User
    from motcua.demo.catalog import seed_demo
    from motcua.catalog.models import FeeLine, Procedure
    from motcua.dossiers import actions, intake
    from motcua.dossiers.models import Dossier
    from motcua.filing.models import DraftPaper

    seed_demo()
    settings.UPLOAD_MAX_BYTES = 1024 * 1024  # 1 MB: a file just over it crosses to the browser quickly
    FeeLine.objects.create(procedure=Procedure.objects.get(code=MARITAL), name="Lệ phí cấp giấy xác nhận", amount=15000, per="bản")
    User.objects.create_user("cd-17x", password=PASSWORD, role=Role.CITIZEN, full_name="Vàng Thị Dua", phone="0912000175",
                             id_number="015190000175", address="Bản Khau Lình")
    base = live_server.url
    main = page.locator("main")

    # The procedure page: the amount in đồng; the declaration's blank form, downloaded on the phone.
    page.goto(f"{base}/thu-tuc/{MARITAL}/")
    expect(page.locator("#fee-total")).to_contain_text("Số tiền phải nộp: 15.000 đồng")
    form_name = "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"
    blank = page.get_by_role("link", name=re.compile(rf"^Tải mẫu\s*:\s*{form_name}$"))
    expect(blank).to_be_visible()
    box = blank.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["height"] >= 24  # a finger's target, on screen
    with page.expect_download() as info:
        blank.click()
    download = info.value
    assert download.suggested_filename == f"{form_name}.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    page.reload()
    expect(page.locator(".blank-form").first).to_contain_text(re.compile(r"PDF · \d+ KB · mẫu trống do Motcua tạo"))
    shot(page, screenshot, "1-procedure")

    page.goto(base + "/tai-khoan/dang-nhap/")
    page.get_by_label("Số điện thoại, thư điện tử hoặc tên đăng nhập").fill("0912000175")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{base}/thu-tuc/{MARITAL}/nop-ho-so/")
    page.get_by_role("button", name=re.compile("Bắt đầu|Tiếp tục")).first.click()

    # Step 1: required fields marked; a wrong ID number is a red error, aria-invalid.
    expect(main).to_contain_text("Mục có dấu * là bắt buộc.")
    page.locator("#f-id_number").fill("123")
    page.locator("#f-unit").select_option("YB.LY.YT")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    field = page.locator("#f-id_number")
    expect(field).to_have_attribute("aria-invalid", "true")
    error = page.locator("#e-id_number")
    expect(error).to_be_visible()
    assert error.evaluate("e => getComputedStyle(e).color") == "rgb(178, 34, 34)"   # var(--red)
    assert field.evaluate("e => getComputedStyle(e).borderTopColor") == "rgb(178, 34, 34)"
    shot(page, screenshot, "2-field-error")
    field.fill("015190000175")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.locator("#f-purpose").fill("Để đăng ký kết hôn")
    page.locator("#f-marital_status").select_option("Chưa kết hôn")
    page.locator("#f-copies").fill("1")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    # Step 3: the limit beside each file field; a file over it is refused before sending.
    page.wait_for_url(re.compile(r"/giay-to/$"))
    file_input = page.locator("input[type=file]").first
    limit = int(file_input.get_attribute("data-max-bytes"))
    expect(main).to_contain_text("Tối đa 1 MB")
    requests = []
    page.on("request", lambda r: requests.append(r) if r.method == "POST" else None)
    file_input.set_input_files({"name": "anh-chup.pdf", "mimeType": "application/pdf",
                                "buffer": b"%PDF-1.7\n" + b"x" * (limit + 10)})
    message = page.locator(f"#size-{file_input.get_attribute('id')}")
    expect(message).to_contain_text("Tệp “anh-chup.pdf” lớn hơn giới hạn 1 MB")
    expect(file_input).to_have_attribute("aria-invalid", "true")
    assert file_input.evaluate("e => e.files.length") == 0
    shot(page, screenshot, "3-oversize-caught")
    with page.expect_navigation():
        page.get_by_role("button", name="Tải lên và ở lại trang này").click()
    assert requests and all(len(r.post_data_buffer or b"") < limit for r in requests)  # the big file never left
    assert not DraftPaper.objects.exists()

    # The supplement: the officer names the paper; an empty one is refused with a message.
    citizen = User.objects.get(username="cd-17x")
    dossier = intake.receive_dossier(actor=citizen, procedure_code=MARITAL, unit_code="YB.LY.YT", channel="online",
                                       applicant={"full_name": "Vàng Thị Dua", "id_number": "015190000175",
                                                  "phone": "0912000175"})
    counter = User.objects.get(username="motcua.yt")
    actions.apply_action(counter, dossier.code, "accept")
    paper = Procedure.objects.get(code=MARITAL).documents.order_by("order", "id").first().name
    actions.apply_action(counter, dossier.code, "request_supplement", {"note": "Thiếu tờ khai có chữ ký.", "papers": [paper]})
    page.goto(f"{base}/ho-so-cua-toi/{dossier.code}/")
    section = page.locator("#bo-sung")
    expect(section.locator("#requested-papers")).to_contain_text(paper)
    section.get_by_role("button", name="Gửi bổ sung").click()
    expect(main).to_contain_text("Bổ sung cần ít nhất một giấy tờ hoặc một ghi chú")
    expect(main).not_to_contain_text("Đã gửi giấy tờ bổ sung")
    assert Dossier.objects.get(pk=dossier.pk).status == "awaiting_supplement"
    shot(page, screenshot, "4-empty-supplement")
    section.locator("#s-note").fill("Đã nộp tờ khai bản giấy tại Bộ phận Một cửa.")
    section.get_by_role("button", name="Gửi bổ sung").click()
    expect(main).to_contain_text("Đã gửi giấy tờ bổ sung")
    assert Dossier.objects.get(pk=dossier.pk).status == "received"
