"""A signed paper a citizen uploads (a certified copy from another agency) is verified after the
upload, and the officer sees the verdict beside the paper."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.signing import demo_pki
from motcua.signing.keys import installation_key
from motcua.signing.pades import Appearance, sign_pdf
from tests.signing.conftest import a_pdf
from tests.signing.test_verify import tamper

pytestmark = pytest.mark.django_db


def test_signed_papers_get_their_verdict_beside_them(pki, online_dossier, committed, run_worker, client):
    from motcua.accounts.models import User
    from motcua.documents import services as documents
    from motcua.signing.models import PaperCheck

    dossier = online_dossier()
    citizen = User.objects.get(username="congdan")
    signed = sign_pdf(a_pdf(), installation_key(), Appearance(role="agency", agency="UBND huyện Lục Yên"))
    with committed():
        good = documents.upload_document(citizen, dossier.code, SimpleUploadedFile("ban-sao.pdf", signed, "application/pdf"))
        bad = documents.upload_document(citizen, dossier.code, SimpleUploadedFile("ban-sao-sua.pdf", tamper(signed),
                                                                                  "application/pdf"))
        plain = documents.upload_document(citizen, dossier.code, SimpleUploadedFile("don.pdf", a_pdf(pages=2), "application/pdf"))
    assert not PaperCheck.objects.filter(done=True).exists()  # nothing verified in the request
    run_worker()
    assert PaperCheck.objects.get(file=good).valid
    assert not PaperCheck.objects.get(file=bad).valid and PaperCheck.objects.get(file=bad).signed
    assert not PaperCheck.objects.get(file=plain).signed
    client.force_login(User.objects.get(username="motcua.yt"))
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    good_row = page[page.index(f'id="paper-{good.pk}"'):page.index(f'id="paper-{bad.pk}"')]
    bad_row = page[page.index(f'id="paper-{bad.pk}"'):page.index(f'id="paper-{plain.pk}"')]
    assert "Chữ ký số hợp lệ" in good_row and demo_pki.SIGNERS["agency"] in good_row
    assert "KHÔNG hợp lệ" in bad_row and "thay đổi sau khi ký" in bad_row
    assert "Chữ ký số" not in page[page.index(f'id="paper-{plain.pk}"'):page.index(f'id="paper-{plain.pk}"') + 1500]
