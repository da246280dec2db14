"""The same signing through PKCS#11, with the agency's key on a SoftHSM2 token (as on a USB
token or a provincial HSM): sign → verify valid; a wrong PIN refused in plain words."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from motcua.signing import demo_pki
from motcua.signing.base import SigningRefused
from motcua.signing.keys import installation_key
from motcua.signing.pades import Appearance, sign_pdf
from motcua.signing.verify import verify_pdf
from tests.signing.conftest import a_pdf

pytestmark = pytest.mark.django_db
MODULE = "/usr/lib/softhsm/libsofthsm2.so"
PIN, SO_PIN, TOKEN = "123456", "654321", "motcua-test"


@pytest.fixture(scope="module")
def softhsm(loopback_pki, tmp_path_factory):
    if shutil.which("softhsm2-util") is None or not Path(MODULE).exists():
        pytest.skip("SoftHSM2 is not installed (apt-get install softhsm2): PKCS#11 signing not tested here")
    import os

    from cryptography.hazmat.primitives import serialization

    home = tmp_path_factory.mktemp("softhsm")
    (home / "tokens").mkdir()
    conf = home / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {home / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)  # read by the library itself when it is loaded
    run = lambda *args: subprocess.run(["softhsm2-util", *args], check=True, capture_output=True, timeout=60)  # noqa: E731
    run("--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", SO_PIN)
    key = serialization.load_pem_private_key((loopback_pki.pki.directory / "keys" / "agency.key.pem").read_bytes(), None)
    pkcs8 = home / "agency.pk8"
    pkcs8.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()))
    run("--import", str(pkcs8), "--token", TOKEN, "--label", "agency", "--id", "01", "--pin", PIN)
    pkcs8.unlink()
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    lib = pkcs11.lib(MODULE)
    with lib.get_token(token_label=TOKEN).open(rw=True, user_pin=PIN) as session:
        for label, ident in (("agency", b"\x01"), ("interm", b"\x02")):
            cert = loopback_pki.arch.get_cert(label)
            session.create_object({
                Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True, Attribute.LABEL: label, Attribute.ID: ident,
                Attribute.SUBJECT: cert.subject.dump(), Attribute.VALUE: cert.dump(),
            })
    return home


@pytest.fixture
def on_token(pki, softhsm, settings):
    settings.SIGNING_P12 = ""
    settings.SIGNING_PKCS11_MODULE, settings.SIGNING_PKCS11_TOKEN = MODULE, TOKEN
    settings.SIGNING_PKCS11_PIN, settings.SIGNING_PKCS11_KEY = PIN, "agency"
    return pki


def test_a_key_on_a_pkcs11_token_signs_pades_b_lt(on_token):
    assert installation_key().backend == "pkcs11"
    signed = sign_pdf(a_pdf(), installation_key(), Appearance(role="agency", agency="UBND xã Minh Xuân"))
    result = verify_pdf(signed)
    assert result.all_good
    (sig,) = result.signatures
    assert sig.signer == demo_pki.SIGNERS["agency"] and sig.timestamped and sig.intact and sig.trusted


def test_a_wrong_pin_is_refused_in_plain_words(on_token, settings):
    settings.SIGNING_PKCS11_PIN = "000000"
    with pytest.raises(SigningRefused) as refused:
        sign_pdf(a_pdf(), installation_key(), Appearance(role="agency"))
    assert refused.value.code == "wrong_pin" and "PIN" in refused.value.message


def test_a_missing_key_label_is_named(on_token, settings):
    settings.SIGNING_PKCS11_KEY = "khong-co"
    with pytest.raises(SigningRefused) as refused:
        sign_pdf(a_pdf(), installation_key(), Appearance(role="agency"))
    assert refused.value.code == "key_unavailable" and "khong-co" in refused.value.message
