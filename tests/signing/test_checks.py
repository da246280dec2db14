"""Signing settings: checked at start, named by the deploy check, the demo PKI refused in production."""

from __future__ import annotations

import pytest

from motcua.signing import checks

pytestmark = pytest.mark.django_db


def ids(found):
    return {c.id for c in found}


def test_unsigned_results_are_named_by_the_deploy_check(settings):
    settings.SIGNING_P12 = settings.SIGNING_PKCS11_MODULE = settings.TRUST_ROOTS = ""
    settings.SIGNING_DEMO = False
    found = checks.signing_deploy()
    warning = next(c for c in found if c.id == "motcua.signing.W001")
    for name in ("MOTCUA_SIGNING_P12", "MOTCUA_SIGNING_PKCS11_MODULE", "MOTCUA_TSA_URL", "MOTCUA_TRUST_ROOTS"):
        assert name in warning.hint


def test_a_key_without_timestamp_authority_or_roots_is_an_error(settings, tmp_path):
    key = tmp_path / "agency.p12"
    key.write_bytes(b"x")
    settings.SIGNING_P12, settings.TSA_URL, settings.TRUST_ROOTS, settings.SIGNING_DEMO = str(key), "", "", False
    error = next(c for c in checks.signing_deploy() if c.id == "motcua.signing.E003")
    assert "MOTCUA_TSA_URL" in error.msg and "MOTCUA_TRUST_ROOTS" in error.msg


@pytest.mark.django_db
def test_demo_certificates_are_refused_in_production(pki, settings):
    found = checks.signing_deploy()
    error = next(c for c in found if c.id == "motcua.signing.E002")
    assert "MOTCUA_TRUST_ROOTS" in error.msg and "MOTCUA_SIGNING_P12" in error.msg
    settings.SIGNING_DEMO = True
    assert "MOTCUA_SIGNING_DEMO=true" in next(c for c in checks.signing_deploy() if c.id == "motcua.signing.E002").msg


def test_unreadable_files_and_half_a_token_fail_at_start(settings, tmp_path):
    settings.SIGNING_P12 = str(tmp_path / "missing.p12")
    settings.SIGNING_PKCS11_MODULE = str(tmp_path / "missing.so")
    settings.SIGNING_PKCS11_TOKEN = settings.SIGNING_PKCS11_KEY = ""
    settings.TSA_URL = "ftp://tsa"
    settings.SIGNING_AGENCY_BOX = "1,2,3"
    messages = " ".join(c.msg for c in checks.signing_settings())
    for expected in ("MOTCUA_SIGNING_P12", "MOTCUA_SIGNING_PKCS11_TOKEN", "MOTCUA_TSA_URL", "MOTCUA_SIGNING_AGENCY_BOX",
                     "missing.so"):
        assert expected in messages


def test_an_administrator_sets_a_leaders_certificate_and_its_password_is_kept_encrypted(pki, demo, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.accounts.models import User
    from motcua.signing import demo_pki, keys
    from motcua.signing.models import Signer

    admin = User.objects.get(username="admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    leader = User.objects.get(username="lanhdao.yt")
    response = client.post("/admin/signing/signer/add/", {
        "user": leader.pk, "backend": "pkcs12", "secret": demo_pki.PASSWORD, "active": "on",
        "p12_file": SimpleUploadedFile("leader.p12", pki.pki.p12("leader").read_bytes(), "application/x-pkcs12"),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    row = Signer.objects.get(user=leader)
    assert demo_pki.PASSWORD not in row.password_sealed
    spec = keys.leader_key(leader)
    assert spec.backend == "pkcs12" and spec.params["password"] == demo_pki.PASSWORD
    assert demo_pki.PASSWORD not in repr(spec)
