"""The whole citizen journey of issue 8 on a 360 × 740 phone, in headless Chromium.

A farmer signs up with his phone number, finds "xac nhan tinh trang hon nhan" typed without
diacritics, fills the online form and uploads a PDF, leaves, resumes the draft from "Hồ sơ
của tôi", submits and gets the receipt. The commune's officers (each in their own browser)
accept it and ask for a supplement; he uploads it from his dossier page; they process and
approve it and upload the electronic result; he downloads it (the very bytes uploaded) and
rates. Screenshots: ``test-artifacts/citizen-journey-*.png``.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_office_journey import act, officer, status_of  # noqa: F401  (the officers' browsers)
from tests.files.conftest import media_dir  # noqa: F401  (uploads in a fresh folder)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
MARITAL = "1.004873"
PHONE_NUMBER = "0912 000 873"
PASSWORD = "lua-chin-vang-2026"


def pdf(label: str) -> bytes:
    """A small valid PDF whose bytes say what it is."""
    return (b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\n% " + label.encode() + b"\n"
            + bytes(range(256)) * 8 + b"\ntrailer<<>>\n%%EOF\n")


def shot(page, screenshot, name: str):
    screenshot(page, f"citizen-journey-{name}")
    wide = page.evaluate("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
                         "document.documentElement.clientWidth + 1).map(e => e.tagName + '#' + e.id + '.' + e.className)")
    assert page.evaluate(NO_SIDEWAYS), f"{name}: the page scrolls sideways at 360 px: {wide}"


def test_citizen_files_online_supplements_downloads_the_result_and_rates(live_server, page, officer, screenshot):  # noqa: F811
    from playwright.sync_api import expect

    from motcua.demo.catalog import seed_demo
    from motcua.documents.models import DossierFile
    from motcua.dossiers.models import Dossier, Rating
    from motcua.filing.models import Draft

    seed_demo()
    base = live_server.url
    main = page.locator("main")

    # 1. Sign up with a phone number.
    page.goto(base + "/tai-khoan/dang-ky/")
    page.get_by_label("Họ và tên").fill("Hoàng Văn Chín")
    page.get_by_label("Số điện thoại").fill(PHONE_NUMBER)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    shot(page, screenshot, "1-sign-up")
    page.get_by_role("button", name="Đăng ký").click()
    # Every sign-up gets the same answer (issue 17 §6); then the citizen logs in.
    page.wait_for_url(re.compile(r"/tai-khoan/dang-ky/da-gui/$"))
    expect(main).to_contain_text("Đã nhận đăng ký")
    main.get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Số điện thoại, thư điện tử hoặc tên đăng nhập").fill(PHONE_NUMBER)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_url(re.compile(r"/tai-khoan/$"))
    expect(main).to_contain_text("Tài khoản của tôi")
    from motcua.accounts.models import User

    citizen = User.objects.get(full_name="Hoàng Văn Chín")
    assert citizen.role == "citizen" and citizen.phone == "0912000873"

    # 2. Find the procedure without diacritics.
    page.goto(base + "/")
    search = page.get_by_role("searchbox").first
    search.fill("xac nhan tinh trang hon nhan")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/thu-tuc/\?q=xac\+nhan"))
    result = page.get_by_role("link", name="Cấp Giấy xác nhận tình trạng hôn nhân", exact=True)
    expect(result).to_be_visible()
    shot(page, screenshot, "2-search")
    result.click()
    page.wait_for_url(re.compile(rf"/thu-tuc/{re.escape(MARITAL)}/$"))

    # 3. The online form: applicant, purpose of use, a PDF.
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.click()
    page.wait_for_url(re.compile(r"/nop-ho-so/$"))
    shot(page, screenshot, "3a-start")
    page.get_by_role("button", name="Bắt đầu").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/nguoi-nop/$"))
    expect(page.locator("#f-full_name")).to_have_value("Hoàng Văn Chín")  # from the account
    page.locator("#f-id_number").fill("015088004321")
    page.locator("#f-address").fill("Thôn Khau Ca, thị trấn Yên Thế")
    page.locator("#f-unit").select_option(label="Thị trấn Yên Thế")
    shot(page, screenshot, "3b-applicant")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/to-khai/$"))
    page.get_by_label("Mục đích sử dụng giấy xác nhận").fill("Để đăng ký kết hôn")
    page.get_by_label("Tình trạng hôn nhân hiện tại").select_option("Chưa kết hôn")
    page.get_by_label("Số bản cần cấp").fill("1")
    shot(page, screenshot, "3c-form")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/giay-to/$"))
    id_paper = pdf("can cuoc")
    page.locator("#file-1").set_input_files({"name": "can-cuoc.pdf", "mimeType": "application/pdf", "buffer": id_paper})
    page.get_by_role("button", name="Tải lên và ở lại trang này").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/giay-to/$"))
    expect(main).to_contain_text("Đã có: can-cuoc.pdf")
    shot(page, screenshot, "3d-papers")
    draft = Draft.objects.get(user=citizen)
    assert draft.data["purpose"] == "Để đăng ký kết hôn" and draft.papers.get().size == len(id_paper)

    # 4. Leave, come back later and resume the draft from "Hồ sơ của tôi".
    page.goto(base + "/")
    page.goto(base + "/ho-so-cua-toi/")
    expect(main).to_contain_text("Hồ sơ đang soạn (chưa nộp)")
    shot(page, screenshot, "4a-draft-listed")
    page.get_by_role("link", name="Tiếp tục nộp hồ sơ").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/giay-to/$"))  # where he stopped
    expect(main).to_contain_text("can-cuoc.pdf")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/nhan-ket-qua/$"))
    page.get_by_label("Bản điện tử").check()
    shot(page, screenshot, "4b-delivery")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/xem-lai/$"))
    review = main.inner_text()
    for text in ("Hoàng Văn Chín", "Thị trấn Yên Thế", "Để đăng ký kết hôn", "can-cuoc.pdf", "Bản điện tử"):
        assert text in review, text
    shot(page, screenshot, "4c-review")

    # 5. Submit: the receipt with the code.
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url(re.compile(r"/ho-so-cua-toi/[^/]+/bien-nhan/$"))
    code = page.locator(".receipt .code").inner_text()
    dossier = Dossier.objects.get(code=code)
    assert dossier.owner == citizen and dossier.channel == "online" and dossier.status == "submitted"
    assert dossier.delivery == "electronic" and dossier.data["purpose"] == "Để đăng ký kết hôn"
    expect(main).to_contain_text("Đã nộp hồ sơ")
    expect(main).to_contain_text("Hẹn trả kết quả")
    page.wait_for_function("() => { const i = document.querySelector('.receipt img'); return i.complete && i.naturalWidth > 0; }")
    shot(page, screenshot, "5-receipt")
    assert not Draft.objects.filter(user=citizen).exists()
    assert DossierFile.objects.get(dossier=dossier).size == len(id_paper)

    # 6. The counter officer accepts it and asks for a supplement; the citizen uploads it.
    counter = officer("motcua.yt")
    counter.goto(f"{base}/can-bo/ho-so/{code}/")
    assert "can-cuoc.pdf" in counter.locator("#papers").inner_text()
    act(counter, "accept")
    assert status_of(counter) == "received"
    act(counter, "request_supplement", note="Đề nghị bổ sung trích lục khai tử của vợ cũ.")
    assert status_of(counter) == "awaiting_supplement"

    page.goto(f"{base}/ho-so-cua-toi/")
    row = page.locator(".dossier-row", has_text=code)
    expect(row).to_contain_text("Chờ bổ sung hồ sơ")
    expect(row).to_contain_text("Bổ sung giấy tờ theo yêu cầu")
    row.get_by_role("link", name=code).click()
    page.wait_for_url(re.compile(rf"/ho-so-cua-toi/{re.escape(code)}/$"))
    expect(page.locator("#bo-sung")).to_contain_text("Đề nghị bổ sung trích lục khai tử của vợ cũ.")
    supplement = pdf("trich luc khai tu")
    page.locator("#s-kind").select_option(label="Giấy tờ chứng minh việc ly hôn hoặc vợ/chồng đã chết")
    page.locator("#s-file").set_input_files({"name": "trich-luc.pdf", "mimeType": "application/pdf", "buffer": supplement})
    shot(page, screenshot, "6a-supplement-asked")
    page.get_by_role("button", name="Gửi bổ sung").click()
    page.wait_for_url(re.compile(rf"/ho-so-cua-toi/{re.escape(code)}/$"))
    expect(main).to_contain_text("Đã gửi giấy tờ bổ sung")
    expect(main).to_contain_text("Tình trạng: Đã tiếp nhận")
    expect(main).to_contain_text("Bạn đã bổ sung giấy tờ")
    shot(page, screenshot, "6b-supplemented")
    dossier.refresh_from_db()
    assert dossier.status == "received"
    added = DossierFile.objects.get(dossier=dossier, name="trich-luc.pdf")
    assert added.size == len(supplement) and added.uploaded_by == citizen

    # 7. Assigned, proposed, approved by the right roles; the electronic result uploaded.
    counter.reload()
    assert "trich-luc.pdf" in counter.locator("#papers").inner_text()
    act(counter, "assign", select={"assignee": "chuyenvien.yt"})
    specialist = officer("chuyenvien.yt")
    specialist.goto(f"{base}/can-bo/ho-so/{code}/")
    act(specialist, "propose", note="Đủ điều kiện cấp giấy xác nhận.")
    leader = officer("lanhdao.yt")
    leader.goto(f"{base}/can-bo/ho-so/{code}/")
    act(leader, "approve")
    assert status_of(leader) == "approved"
    result = pdf("giay xac nhan tinh trang hon nhan so 12/2026")
    specialist.reload()
    specialist.locator("#up-kind").select_option(label="Kết quả giải quyết (bản điện tử)")
    specialist.locator("#up-file").set_input_files({"name": "giay-xac-nhan.pdf", "mimeType": "application/pdf",
                                                    "buffer": result})
    specialist.locator("#papers").get_by_role("button", name="Tải lên").click()
    specialist.wait_for_load_state("load")
    assert "giay-xac-nhan.pdf" in specialist.locator("#papers").inner_text()
    counter.reload()
    act(counter, "return_result", select={"delivery": "electronic"})
    assert status_of(counter) == "result_returned"

    # 8. The citizen downloads the result (the bytes uploaded) and rates.
    page.goto(f"{base}/ho-so-cua-toi/{code}/")
    expect(main).to_contain_text("Tình trạng: Đã trả kết quả")
    expect(main).to_contain_text("Kết quả giải quyết đã có bản điện tử")
    shot(page, screenshot, "8a-result")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Tải kết quả")).click()
    download = download_info.value
    assert download.suggested_filename == "giay-xac-nhan.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == result
    page.get_by_label("Rất hài lòng").check()
    page.get_by_label("Góp ý (không bắt buộc)").fill("Không phải đi lại, cảm ơn cán bộ.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.wait_for_url(re.compile(rf"/ho-so-cua-toi/{re.escape(code)}/$"))
    expect(main).to_contain_text("Cảm ơn bạn đã đánh giá.")
    expect(main).to_contain_text("Đánh giá của bạn")
    expect(page.get_by_role("button", name="Gửi đánh giá")).to_have_count(0)
    shot(page, screenshot, "8b-rated")
    rating = Rating.objects.get(dossier=dossier)
    assert rating.score == 3 and rating.comment == "Không phải đi lại, cảm ơn cán bộ."
    timeline = page.locator(".timeline").inner_text()
    for words in ("Hồ sơ đã được gửi trực tuyến", "Bộ phận Một cửa đã tiếp nhận hồ sơ", "Cơ quan đề nghị bạn bổ sung giấy tờ",
                  "Bạn đã bổ sung giấy tờ", "Hồ sơ đã được giải quyết xong", "Kết quả đã được trả cho bạn",
                  "Bạn đã đánh giá mức độ hài lòng"):
        assert words in timeline, words
    assert not re.search(r"\b(request_supplement|return_result|upload_document)\b", timeline)
