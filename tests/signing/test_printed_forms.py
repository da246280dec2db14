"""The printed forms (receipt, supplement request, refusal, apology: Mẫu 01–04) are signed by the
agency where the unit turns "ký số các mẫu in" on (issue 19 §1 "Who signs"): with the key that
signs results, on download, kept in the cache; a signing failure still serves the unsigned form
(200), records it and tells the administrators. Without the switch the forms are as before."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from motcua.signing import demo_pki
from tests.printing.conftest import APPLICANT, act, make_dossier, nfc, pdf_text, user  # noqa: F401  (make_dossier: a fixture)

pytestmark = pytest.mark.django_db

UNIT = "YB.LY.YT"
TITLES = {
    "receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "supplement_request": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "refusal": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "apology": "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
}


def switch(on: bool, unit: str = UNIT):
    """An administrator sets the unit's "ký số các mẫu in" (a row without its own key: the installation's)."""
    from motcua.catalog.models import Unit
    from motcua.signing.models import Signer

    Signer.objects.update_or_create(unit=Unit.objects.get(code=unit), defaults={"sign_printed_forms": on})


@pytest.fixture
def form_of(make_dossier):
    """``form_of(name)``: the code of a dossier of Thị trấn Yên Thế that has form ``name``."""

    def make(form: str) -> str:
        if form == "refusal":
            from motcua.dossiers.intake import receive_dossier

            online = receive_dossier(actor=user("congdan"), procedure_code="1.004873", unit_code=UNIT,
                                     channel="online", applicant=APPLICANT)
            act("motcua.yt", online.code, "refuse", note="Hồ sơ nộp không đúng thẩm quyền giải quyết.")
            return online.code
        dossier = make_dossier(arrived_at=timezone.now() - dt.timedelta(days=2))
        if form == "supplement_request":
            act("motcua.yt", dossier.code, "request_supplement", note="Thiếu bản sao Giấy khai sinh có chứng thực.")
        elif form == "apology":
            new_due = (dossier.due_at + dt.timedelta(days=7)).replace(microsecond=0)
            act("lanhdao.yt", dossier.code, "reschedule", due_at=new_due.isoformat(), note="Cần xác minh thêm.")
        return dossier.code

    return make


def download(client, form: str, code: str, username: str = "motcua.yt"):
    client.force_login(user(username))
    return client.get(reverse(f"printing:{form}", args=[code]))


@pytest.mark.parametrize("form", list(TITLES))
def test_switch_on_each_form_is_signed_by_the_agency_and_verifies(client, pki, form_of, form, tmp_path):
    from motcua.signing.models import FormSignature
    from motcua.signing.verify import verify_pdf

    switch(True)
    code = form_of(form)
    response = download(client, form, code)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    result = verify_pdf(response.content)
    assert result.all_good
    (signature,) = result.signatures
    assert signature.signer == demo_pki.SIGNERS["agency"]
    assert (signature.intact, signature.trusted, signature.revoked, signature.timestamped) == (True, True, False, True)
    # Motcua issued this exact file: the form, its unit and dossier
    assert (result.issued.code, result.issued.title, result.issued.unit) == (code, TITLES[form], "Thị trấn Yên Thế")
    # Someone else downloads the same signed form, from the cache: signed once
    assert download(client, form, code, "lanhdao.yt").content == response.content
    assert FormSignature.objects.filter(dossier__code=code, form=form, signed=True).count() == 1
    if shutil.which("pdfsig"):
        path = tmp_path / f"{form}.pdf"
        path.write_bytes(response.content)
        out = subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, text=True, timeout=60).stdout
        assert "Signature is Valid" in out and demo_pki.SIGNERS["agency"] in out


def test_a_signed_form_verifies_at_the_public_page_and_the_api(client, pki, form_of):
    switch(True)
    code = form_of("receipt")
    signed = download(client, "receipt", code).content
    client.logout()
    body = client.post("/api/v1/verify", {"file": SimpleUploadedFile("giay-tiep-nhan.pdf", signed, "application/pdf")}).json()
    assert body["signed"] is True and body["signatures"][0]["signer"] == demo_pki.SIGNERS["agency"]
    assert body["signatures"][0]["trusted"] is True and body["signatures"][0]["intact"] is True
    assert body["issued"]["code"] == code and body["issued"]["title"] == TITLES["receipt"]
    page = client.post("/xac-thuc/", {"file": SimpleUploadedFile("giay-tiep-nhan.pdf", signed, "application/pdf")})
    text = page.content.decode()
    assert page.status_code == 200
    assert demo_pki.SIGNERS["agency"] in text and "Hệ thống đã cấp đúng tệp này" in text and code in text


def unsigned(content: bytes) -> bool:
    from motcua.signing.verify import verify_pdf

    return content[:5] == b"%PDF-" and not verify_pdf(content, check_now=False).signed


def test_switch_off_the_forms_are_as_before(client, pki, form_of):
    from motcua.signing.models import FormSignature

    code = form_of("receipt")
    response = download(client, "receipt", code)  # no row for the unit
    assert response.status_code == 200 and unsigned(response.content)
    switch(True, unit="YB.LY")  # the district turns it on, the town's own row keeps it off
    switch(False)
    again = download(client, "receipt", code)
    assert again.status_code == 200 and unsigned(again.content)
    assert pdf_text(again.content) == pdf_text(response.content)
    assert not FormSignature.objects.exists()


def test_the_nearest_units_switch_decides(demo):
    from motcua.catalog.models import Unit
    from motcua.signing.keys import printed_forms_signed

    town = Unit.objects.get(code=UNIT)
    assert printed_forms_signed(town) is False
    switch(True, unit=town.parent.code)
    assert printed_forms_signed(town) is True  # inherited from the unit above
    switch(False)
    assert printed_forms_signed(town) is False  # the town's own row decides for it


def test_the_control_sheet_is_never_signed(client, pki, form_of):
    from motcua.signing.models import FormSignature

    switch(True)
    code = form_of("receipt")
    response = download(client, "control_sheet", code)
    assert response.status_code == 200 and unsigned(response.content)
    assert not FormSignature.objects.exists()


@pytest.mark.parametrize("broken, code_of_failure", [
    ("services_down", "revocation_unavailable"),  # the TSA, OCSP and CRLs do not answer
    ("key_missing", "key_unavailable"),  # the PKCS#12 file is not there
])
def test_signer_broken_the_unsigned_form_is_served_the_failure_recorded_and_told(client, pki, form_of, settings, broken,
                                                                                 code_of_failure):
    from motcua.notifications.models import Notification
    from motcua.accounts.models import User
    from motcua.signing.models import FormSignature

    User.objects.filter(username__in=["lanhdao.yt", "admin"]).update(email="canbo@example.vn")
    switch(True)
    code = form_of("receipt")
    if broken == "services_down":
        pki.down = True
    else:
        settings.SIGNING_P12 = "/khong/co/tep.p12"
    response = download(client, "receipt", code)
    assert response.status_code == 200 and unsigned(response.content)
    assert nfc("GIẤY TIẾP NHẬN HỒ SƠ") in pdf_text(response.content)
    (attempt,) = FormSignature.objects.all()
    assert (attempt.signed, attempt.error_code, attempt.form, attempt.sha256) == (False, code_of_failure, "receipt", "")
    assert attempt.error
    told = Notification.objects.filter(kind="signing_failed")
    assert {n.user.username for n in told} >= {"lanhdao.yt", "admin"}
    message = told.first()
    assert "Thị trấn Yên Thế" in message.subject and code in message.body and attempt.error in message.body
    # The next download does not wait for the service again (paused), nor e-mails again
    sent = told.count()
    again = download(client, "receipt", code, "lanhdao.yt")
    assert again.status_code == 200 and unsigned(again.content)
    assert FormSignature.objects.count() == 1 and told.count() == sent
