"""Verification: sign → valid; revoke → revoked; tamper one byte → changed; bad PDFs → clear 4xx."""

from __future__ import annotations

import io

import pikepdf
import pytest

from motcua.errors import DomainError
from motcua.signing import demo_pki
from motcua.signing.keys import installation_key
from motcua.signing.pades import Appearance, sign_pdf
from motcua.signing.verify import verify_pdf
from tests.signing.conftest import a_pdf
from tests.signing.test_pades import p12

pytestmark = pytest.mark.django_db
AGENCY = Appearance(role="agency", agency="UBND xã Minh Xuân")


@pytest.fixture
def signed(pki):
    return sign_pdf(a_pdf(), installation_key(), AGENCY)


def tamper(data: bytes) -> bytes:
    """One byte changed inside the signed part (the page's size: 842 → 843)."""
    at = data.index(b"842")
    return data[:at] + b"843" + data[at + 3:]


def test_a_signed_result_verifies_valid(signed):
    result = verify_pdf(signed)
    assert result.signed and result.all_good
    (sig,) = result.signatures
    assert sig.signer == demo_pki.SIGNERS["agency"]
    assert (sig.intact, sig.trusted, sig.revoked, sig.timestamped) == (True, True, False, True)
    assert sig.revocation_checked and sig.problem == ""
    body = result.contract()
    assert body["signatures"][0]["signed_at"].endswith("+07:00")
    assert body["issued"] is None  # not in the register


def test_two_signatures_both_verify(pki):
    once = sign_pdf(a_pdf(), p12(pki, "leader"), Appearance(role="leader"))
    twice = sign_pdf(once, installation_key(), AGENCY)
    result = verify_pdf(twice)
    assert [s.signer for s in result.signatures] == [demo_pki.SIGNERS["leader"], demo_pki.SIGNERS["agency"]]
    assert all(s.intact and s.trusted for s in result.signatures)


def test_revoked_after_signing_says_revoked(pki):
    data = sign_pdf(a_pdf(), p12(pki, "leader-revocable"), Appearance(role="leader"))
    assert verify_pdf(data).all_good
    pki.revoke("leader-revocable")
    result = verify_pdf(data)
    (sig,) = result.signatures
    assert sig.revoked and not sig.trusted and sig.intact
    assert "thu hồi" in sig.problem
    assert not result.all_good


def test_one_byte_changed_says_changed(signed):
    result = verify_pdf(tamper(signed))
    (sig,) = result.signatures
    assert not sig.intact
    assert "thay đổi sau khi ký" in sig.problem
    assert not result.all_good


def test_an_unsigned_pdf_is_not_signed(pki):
    result = verify_pdf(a_pdf())
    assert not result.signed and result.signatures == [] and not result.all_good


def test_untrusted_roots_are_not_trusted(signed, settings, tmp_path):
    other = demo_pki.generate(tmp_path / "other", "http://127.0.0.1:9")
    settings.TRUST_ROOTS = str(other.roots)
    (sig,) = verify_pdf(signed, check_now=False).signatures
    assert sig.intact and not sig.trusted and not sig.chains
    assert "chuỗi tin cậy" in sig.problem


def encrypted_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="u"))
    return out.getvalue()


def scripted_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')"))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize("data, status, code", [
    (b"%PDF-1.7\n garbage \x00\x01", 422, "pdf_unreadable"),
    (encrypted_pdf(), 422, "pdf_encrypted"),
    (scripted_pdf(), 422, "pdf_javascript"),
    (b"\x89PNG\r\n\x1a\n" + bytes(40), 415, "unsupported_media_type"),
])
def test_bad_pdfs_are_refused_clearly(pki, data, status, code):
    with pytest.raises(DomainError) as refused:
        verify_pdf(data)
    assert (refused.value.status, refused.value.code) == (status, code)
    assert refused.value.message
