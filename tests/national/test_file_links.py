"""The links the national portal downloads papers and results by (issue 18 §2): unguessable,
expiring, one file each, no login, nothing else reachable through them."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.accounts.models import User
from motcua.documents import services as documents
from motcua.national.contrib.dvcqg.files import file_token, file_url
from tests.files.conftest import PDF, PNG

pytestmark = pytest.mark.django_db


def path(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture
def two_files(online_dossier):
    dossier = online_dossier()
    counter = User.objects.get(username="motcua.yt")
    result = documents.upload_document(counter, dossier.code, SimpleUploadedFile("ket-qua.pdf", PDF), "result")
    other = documents.upload_document(counter, dossier.code, SimpleUploadedFile("anh.png", PNG), "")
    return result, other


def test_the_link_opens_that_one_file_without_logging_in(two_files):
    result, _ = two_files
    response = Client().get(path(file_url(result)))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "ket-qua.pdf" in response["Content-Disposition"] and response["Cache-Control"].startswith("max-age=0")


def test_a_changed_or_made_up_link_opens_nothing(two_files):
    result, other = two_files
    token = file_token(result)
    value, stamp, signature = token.split(":")
    forged_other = f"{other.pk}.{other.sha256[:16]}:{stamp}:{signature}"  # the other file's id under this signature
    for bad in (forged_other, token[:-1] + ("A" if token[-1] != "A" else "B"), f"{result.pk}", "..", "x" * 40):
        assert Client().get(f"/lien-thong/dvcqg/tep/{bad}/").status_code == 404, bad


def test_the_link_expires(two_files, settings):
    result, _ = two_files
    url = path(file_url(result))
    settings.DVCQG_FILE_LINK_DAYS = 0  # the link's age is now beyond its life
    assert Client().get(url).status_code == 404


def test_links_are_not_guessable(two_files):
    result, _ = two_files
    assert len({file_token(result) for _ in range(3)}) >= 1
    token = file_token(result)
    assert len(token.rsplit(":", 1)[1]) >= 27  # an HMAC-SHA256 signature (base64, 43 characters)
