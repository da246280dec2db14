"""The one verification behind POST /api/v1/verify, /xac-thuc/ (upload and QR link) and `motcua verify`."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.signing import demo_pki
from motcua.signing.keys import installation_key
from motcua.signing.pades import Appearance, sign_pdf
from tests.signing.conftest import a_pdf
from tests.signing.test_verify import encrypted_pdf, scripted_pdf, tamper

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(pki):
    return sign_pdf(a_pdf(), installation_key(), Appearance(role="agency", agency="UBND xã Minh Xuân"))


def post_file(client, path, data: bytes, name="ket-qua.pdf"):
    return client.post(path, {"file": SimpleUploadedFile(name, data, "application/pdf")})


def test_api_gives_the_contract_body(client, signed):
    response = post_file(client, "/api/v1/verify", signed)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"signed", "signatures", "issued"}
    assert body["signed"] is True and body["issued"] is None
    (sig,) = body["signatures"]
    assert set(sig) == {"signer", "signed_at", "intact", "trusted", "revoked", "timestamped"}
    assert sig["signer"] == demo_pki.SIGNERS["agency"]
    assert (sig["intact"], sig["trusted"], sig["revoked"], sig["timestamped"]) == (True, True, False, True)
    changed = post_file(client, "/api/v1/verify", tamper(signed)).json()
    assert changed["signatures"][0]["intact"] is False and changed["signatures"][0]["trusted"] is False


@pytest.mark.parametrize("data, status, code", [
    (b"%PDF-1.4\n\x00broken", 422, "pdf_unreadable"),
    (encrypted_pdf(), 422, "pdf_encrypted"),
    (scripted_pdf(), 422, "pdf_javascript"),
    (b"GIF89a" + bytes(20), 415, "unsupported_media_type"),
])
def test_api_refuses_bad_pdfs_with_the_error_body(client, pki, data, status, code):
    response = post_file(client, "/api/v1/verify", data)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and "file" in error["fields"]


def test_api_without_a_file_is_400_not_500(client, pki):
    response = client.post("/api/v1/verify", {})
    assert response.status_code in (400, 422)
    assert response.json()["error"]["fields"]["file"]


def test_the_page_says_it_in_vietnamese(client, signed):
    page = post_file(client, "/xac-thuc/", signed).content.decode()
    assert "Chữ ký số hợp lệ" in page and demo_pki.SIGNERS["agency"] in page
    assert "không bị sửa sau khi ký" in page and "Có dấu thời gian" in page
    changed = post_file(client, "/xac-thuc/", tamper(signed)).content.decode()
    assert "KHÔNG hợp lệ" in changed and "đã bị thay đổi sau khi ký" in changed
    bad = post_file(client, "/xac-thuc/", scripted_pdf())
    assert bad.status_code == 422 and "JavaScript" in bad.content.decode()


def test_the_qr_link_shows_title_unit_date_status_and_nothing_personal(client, pki, online_dossier, media_dir):
    from django.utils import timezone

    from motcua.documents.models import DossierFile
    from motcua.signing.models import IssuedDocument, IssuedVersion

    dossier = online_dossier()
    signed = sign_pdf(a_pdf(), installation_key(), Appearance(role="agency"))
    import hashlib

    record = DossierFile.objects.create(dossier=dossier, kind="result", name="ket-qua-Nguyen-Van-An.pdf", file="x.pdf",
                                        sha256=hashlib.sha256(signed).hexdigest(), size=len(signed),
                                        content_type="application/pdf", is_result=True)
    document = IssuedDocument.objects.create(file=record, dossier=dossier, unit=dossier.current_unit,
                                             title=f"Kết quả giải quyết thủ tục “{dossier.procedure.name}”",
                                             issued_at=timezone.now())
    IssuedVersion.objects.create(document=document, sha256=record.sha256, signed_by="agency")
    page = client.get(f"/xac-thuc/{document.token}/").content.decode()
    assert dossier.procedure.name in page and dossier.current_unit.name in page and "Đã cấp, đã ký số bởi cơ quan" in page
    for personal in ("Nguyễn Văn An", "Nguyen-Van-An", "015090001234", "0912345678", dossier.applicant_email):
        assert personal not in page
    same = post_file(client, f"/xac-thuc/{document.token}/", signed).content.decode()
    assert "Đây đúng là văn bản của mã xác thực này" in same and "Hệ thống đã cấp đúng tệp này" in same
    other = post_file(client, f"/xac-thuc/{document.token}/", tamper(signed)).content.decode()
    assert "KHÁC với văn bản" in other
    assert client.get("/xac-thuc/khong-co-ma-nay/").status_code == 404
    api = post_file(client, "/api/v1/verify", signed).json()
    assert api["issued"]["code"] == dossier.code and api["issued"]["unit"] == dossier.current_unit.name
    assert api["issued"]["issued_at"].endswith("+07:00")


def test_the_command_line_exit_codes(signed, tmp_path, settings):
    from django.core.management import call_command

    good = tmp_path / "good.pdf"
    good.write_bytes(signed)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(tamper(signed))
    unsigned = tmp_path / "unsigned.pdf"
    unsigned.write_bytes(a_pdf())
    import io

    out = io.StringIO()
    call_command("verify", str(good), stdout=out)
    assert "HỢP LỆ / VALID" in out.getvalue() and demo_pki.SIGNERS["agency"] in out.getvalue()
    for path in (bad, unsigned):
        with pytest.raises(SystemExit) as exited:
            call_command("verify", str(path), stdout=io.StringIO())
        assert exited.value.code == 1


def test_the_command_line_says_one_line_for_a_bad_file(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"not a pdf")
    done = subprocess.run([sys.executable, "-m", "motcua", "verify", str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "PDF" in done.stderr and "Traceback" not in done.stderr
