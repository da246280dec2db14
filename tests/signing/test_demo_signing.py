"""make run's demo signs what it prints (issue 19): ``seed-demo`` with the demo PKI on
(MOTCUA_SIGNING_DEMO, which ``make run`` sets for it too) turns on "ký số các mẫu in" for the demo
provinces with the demo PKI's agency key, marked DEMO; without the demo PKI it adds nothing, and the
deploy check refuses such a row in production. A receipt downloaded in the demo is signed and
verifies against the demo PKI, served by the live server as in make run."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.printing.conftest import make_dossier  # noqa: F401  (a fixture)


def signers() -> dict[str, tuple]:
    from motcua.signing.models import Signer

    return {row.unit.code: (row.backend, row.key_label, row.sign_printed_forms) for row in Signer.objects.select_related("unit")}


@pytest.mark.django_db
def test_seed_demo_signs_printed_forms_only_with_the_demo_pki(settings, capsys):
    from motcua.catalog.models import Unit
    from motcua.signing import keys
    from motcua.signing.models import Signer

    settings.SIGNING_DEMO = False
    call_command("seed_demo", "--no-staff")
    assert signers() == {}
    assert not keys.printed_forms_signed(Unit.objects.get(code="YB.LY.YT"))

    settings.SIGNING_DEMO = True
    capsys.readouterr()
    call_command("seed_demo", "--no-staff")
    assert "Ký số thử nghiệm (DEMO)" in capsys.readouterr().out
    assert signers() == {"YB": ("demo", "agency", True), "LC": ("demo", "agency", True)}
    for code in ("YB.LY.YT", "YB.LY.MX", "LC.NN.NM", "LC.TP"):
        assert keys.printed_forms_signed(Unit.objects.get(code=code)), code
    # an administrator's choice is kept; a second seeding adds nothing
    Signer.objects.filter(unit__code="LC").update(sign_printed_forms=False)
    call_command("seed_demo", "--no-staff")
    assert signers()["LC"] == ("demo", "agency", False) and Signer.objects.count() == 2


@pytest.mark.django_db
def test_the_deploy_check_refuses_the_demo_row_in_production(settings):
    from motcua.demo.catalog import ensure_demo_signing
    from motcua.signing.checks import signing_deploy

    settings.SIGNING_DEMO = True
    call_command("seed_demo", "--no-staff")
    assert ensure_demo_signing() == 0
    settings.SIGNING_DEMO = False
    errors = [p for p in signing_deploy() if p.id == "motcua.signing.E002"]
    assert errors and "DEMO" in errors[0].msg


@pytest.mark.django_db(transaction=True)
def test_a_receipt_downloaded_in_the_demo_is_signed_and_verifies(live_server, client, settings, tmp_path, make_dossier):
    from motcua.accounts.models import User
    from motcua.demo.catalog import ensure_demo_signing
    from motcua.signing import demo_pki
    from motcua.signing.models import FormSignature
    from motcua.signing.verify import verify_pdf

    settings.SIGNING_DEMO = True
    settings.PUBLIC_URL = live_server.url
    settings.DATA_DIR = tmp_path / "data"
    settings.SIGNING_P12 = settings.SIGNING_PKCS11_MODULE = settings.TSA_URL = settings.TRUST_ROOTS = ""
    assert ensure_demo_signing() == 2
    dossier = make_dossier()
    client.force_login(User.objects.get(username="motcua.yt"))
    response = client.get(reverse("printing:receipt", args=[dossier.code]))
    assert response.status_code == 200
    result = verify_pdf(response.content)
    assert result.signed and result.all_good, [s.problem for s in result.signatures]
    assert [s.signer for s in result.signatures] == [demo_pki.SIGNERS["agency"]]
    assert result.issued is not None and result.issued.code == dossier.code
    assert FormSignature.objects.filter(dossier=dossier, form="receipt", signed=True).exists()
