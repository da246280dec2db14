"""A signed electronic result from approval to a stranger's check, at 360 px, in headless Chromium,
with make run's demo PKI (MOTCUA_SIGNING_DEMO: made under the data folder, its TSA, OCSP and CRLs
served by the live server at /xac-thuc/demo-pki/).

The leader approves on a phone, the worker signs with the leader's certificate; the counter
returns the result, the worker signs with the agency's; the citizen downloads it; a stranger
opens the QR code's link (title, unit, date, status — nothing personal), uploads the file to
/xac-thuc/ and sees it valid and issued by the system, then uploads a copy with one byte changed
and is told it was changed after signing. Screenshots: ``test-artifacts/signed-result-*.png``.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.e2e.test_office_journey import act, officer, status_of  # noqa: F401  (the officers' browsers)
from tests.files.conftest import advance, media_dir, online_dossier  # noqa: F401
from tests.signing.conftest import a_pdf
from tests.signing.test_verify import tamper

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
PHONE = {"width": 360, "height": 740}


def test_leader_approves_result_signed_citizen_downloads_stranger_verifies(live_server, browser, officer, online_dossier,
                                                                           settings, tmp_path, screenshot):
    from motcua.accounts.models import User
    from motcua.documents import services as documents
    from motcua.documents.models import DossierFile
    from motcua.dossiers import actions
    from motcua.server.worker import run_due_tasks
    from motcua.signing import demo_pki
    from motcua.signing.models import IssuedDocument

    settings.SIGNING_DEMO = True
    settings.PUBLIC_URL = live_server.url
    settings.DATA_DIR = tmp_path / "data"
    settings.SIGNING_P12 = settings.SIGNING_PKCS11_MODULE = settings.TSA_URL = settings.TRUST_ROOTS = ""
    base = live_server.url
    dossier = online_dossier()
    dossier = advance(dossier, ("motcua.yt", "assign", {"assignee": "chuyenvien.yt"}))
    documents.upload_document(User.objects.get(username="chuyenvien.yt"), dossier.code,
                              SimpleUploadedFile("giay-khai-sinh.pdf", a_pdf(), "application/pdf"), kind="result")
    advance(dossier, ("chuyenvien.yt", "propose", {}))

    # The leader approves on a phone; the worker signs with the leader's certificate.
    leader = officer("lanhdao.yt", phone=True)
    leader.goto(f"{base}/can-bo/ho-so/{dossier.code}/")
    act(leader, "approve")
    assert status_of(leader) == "approved"
    run_due_tasks(schedule=False)
    leader.reload()
    papers = leader.locator("#papers").inner_text()
    assert "Lãnh đạo ký: đã ký số" in papers, papers
    screenshot(leader, "signed-result-1-leader-360")
    assert leader.evaluate(NO_SIDEWAYS)

    actions.apply_action(User.objects.get(username="motcua.yt"), dossier.code, "return_result", {"delivery": "electronic"})
    run_due_tasks(schedule=False)
    record = DossierFile.objects.get(dossier=dossier, is_result=True)
    issued = IssuedDocument.objects.get(file=record)

    # The citizen downloads it.
    citizen_context = browser.new_context(viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    citizen = citizen_context.new_page()
    citizen.goto(base + "/tai-khoan/dang-nhap/")
    citizen.get_by_label("Số điện thoại, thư điện tử hoặc tên đăng nhập").fill("congdan")
    citizen.get_by_label("Mật khẩu").fill("motcua-demo")
    citizen.get_by_role("button", name="Đăng nhập", exact=True).click()
    citizen.wait_for_load_state("load")
    citizen.goto(f"{base}/ho-so-cua-toi/{dossier.code}/")
    assert "Kết quả điện tử đã được ký số" in citizen.locator("main").inner_text()
    with citizen.expect_download() as download_info:
        citizen.get_by_role("link", name=re.compile("Tải kết quả")).click()
    with open(download_info.value.path(), "rb") as handle:
        signed = handle.read()
    citizen_context.close()
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(signed)
    changed = tmp_path / "ket-qua-sua.pdf"
    changed.write_bytes(tamper(signed))

    # A stranger opens the QR code's link: title, unit, date and status; nothing personal.
    stranger_context = browser.new_context(viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    stranger = stranger_context.new_page()
    stranger.goto(f"{base}/xac-thuc/{issued.token}/")
    card = stranger.locator("#issued-document").inner_text()
    assert dossier.procedure.name in card and dossier.current_unit.name in card
    assert "Đã cấp, đã ký số bởi người có thẩm quyền và cơ quan" in card
    for personal in ("Nguyễn Văn An", "015090001234", "0912345678", "giay-khai-sinh"):
        assert personal not in stranger.content()
    screenshot(stranger, "signed-result-2-qr-link-360")
    assert stranger.evaluate(NO_SIDEWAYS)
    stranger.locator("#verify-file").set_input_files(str(path))
    stranger.get_by_role("button", name="Kiểm tra").click()
    stranger.wait_for_load_state("load")
    result = stranger.locator("#verify-result")
    text = result.inner_text()
    assert result.get_attribute("data-valid") == "true", text
    assert "Đây đúng là văn bản của mã xác thực này" in text and "Hệ thống đã cấp đúng tệp này" in text
    assert demo_pki.SIGNERS["leader"] in text and demo_pki.SIGNERS["agency"] in text
    screenshot(stranger, "signed-result-3-valid-360")
    assert stranger.evaluate(NO_SIDEWAYS)

    # … and a copy with one byte changed, at /xac-thuc/.
    stranger.goto(f"{base}/xac-thuc/")
    stranger.locator("#verify-file").set_input_files(str(changed))
    stranger.get_by_role("button", name="Kiểm tra").click()
    stranger.wait_for_load_state("load")
    result = stranger.locator("#verify-result")
    text = result.inner_text()
    assert result.get_attribute("data-valid") == "false"
    assert "Chữ ký số KHÔNG hợp lệ" in text and "Tệp đã bị thay đổi sau khi ký" in text
    assert "không có trong sổ" in text
    screenshot(stranger, "signed-result-4-changed-360")
    assert stranger.evaluate(NO_SIDEWAYS)
    stranger_context.close()
