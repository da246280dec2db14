"""Signing with pyHanko against the loopback PKI: PAdES B-LT, and every refusal in plain words."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest

from motcua.signing import demo_pki
from motcua.signing.base import KeySpec, SigningRefused
from motcua.signing.keys import installation_key
from motcua.signing.pades import Appearance, sign_pdf
from tests.signing.conftest import a_pdf

AGENCY = Appearance(role="agency", agency="UBND xã Minh Xuân", verify_url="http://127.0.0.1:8000/xac-thuc/abc/")


def p12(pki, label):
    return KeySpec("pkcs12", {"path": str(pki.pki.p12(label)), "password": demo_pki.PASSWORD}, label=label)


def test_signed_pdf_is_pades_b_lt(pki):
    from pyhanko.pdf_utils.reader import PdfFileReader

    signed = sign_pdf(a_pdf(), installation_key(), AGENCY)
    reader = PdfFileReader(io.BytesIO(signed))
    (signature,) = reader.embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert signature.sig_object["/Location"] == "UBND xã Minh Xuân"
    # B-T: a timestamp token from the TSA; B-LT: the revocation information in the DSS
    assert "signature_time_stamp_token" in {a["type"].native for a in signature.signer_info["unsigned_attrs"]}
    dss = reader.root["/DSS"]
    assert len(dss["/OCSPs"]) + len(dss.get("/CRLs", [])) >= 1
    assert len(dss["/Certs"]) >= 2
    # The visible box: at the top right of page 1 (MOTCUA_SIGNING_AGENCY_BOX's default)
    llx, lly, urx, ury = (round(float(v)) for v in signature.sig_field["/Rect"])
    assert (urx, ury) == (595 - 20, 842 - 20)
    assert signature.sig_field["/P"] == reader.root["/Pages"]["/Kids"][0]


def test_expired_certificate_is_refused(pki):
    with pytest.raises(SigningRefused) as refused:
        sign_pdf(a_pdf(), p12(pki, "expired"), AGENCY)
    assert refused.value.code == "cert_expired"
    assert "hết hạn" in refused.value.message
    assert not refused.value.retry


def test_not_yet_valid_certificate_is_refused(pki):
    with pytest.raises(SigningRefused) as refused:
        sign_pdf(a_pdf(), p12(pki, "future"), AGENCY)
    assert refused.value.code == "cert_not_yet_valid"


def test_revoked_certificate_is_refused(pki):
    pki.revoke("leader-revocable")
    with pytest.raises(SigningRefused) as refused:
        sign_pdf(a_pdf(), p12(pki, "leader-revocable"), AGENCY)
    assert refused.value.code == "cert_revoked"
    assert "thu hồi" in refused.value.message


def test_wrong_password_is_refused(pki):
    spec = KeySpec("pkcs12", {"path": str(pki.pki.p12("agency")), "password": "sai"})
    with pytest.raises(SigningRefused) as refused:
        sign_pdf(a_pdf(), spec, AGENCY)
    assert refused.value.code == "wrong_pin"


def test_timestamp_authority_down_is_retried(pki):
    pki.down = True
    with pytest.raises(SigningRefused) as refused:
        sign_pdf(a_pdf(), installation_key(), AGENCY)
    assert refused.value.retry
    assert refused.value.code in {"tsa_down", "revocation_unavailable"}


def test_pdfsig_reads_the_signature_as_valid(pki, tmp_path):
    if shutil.which("pdfsig") is None:
        pytest.skip("poppler-utils (pdfsig) is not installed")
    path = tmp_path / "signed.pdf"
    path.write_bytes(sign_pdf(a_pdf(), installation_key(), AGENCY))
    out = subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, text=True, timeout=60).stdout
    assert "Signature is Valid" in out
    assert "ETSI.CAdES.detached" in out
    assert demo_pki.SIGNERS["agency"] in out
