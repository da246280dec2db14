"""Fixtures for the public pages: a dossier taken in at a counter, with known personal data."""

from __future__ import annotations

import pytest

APPLICANT = {"full_name": "Hà Thị Bích Ngọc", "id_number": "015190000123", "phone": "0912345678",
             "email": "ngoc@example.vn", "address": "Thôn Khe Cạn, Yên Thế"}


@pytest.fixture(autouse=True)
def _vietnamese():
    """Each test starts in Vietnamese: a request in English leaves its language active."""
    from django.utils import translation

    with translation.override("vi"):
        yield


@pytest.fixture
def counter_dossier(demo):
    """A birth registration received directly at the Yên Thế counter."""
    from motcua.accounts.models import User
    from motcua.dossiers.intake import receive_dossier

    return receive_dossier(
        actor=User.objects.get(username="motcua.yt"), procedure_code="1.001193", unit_code="YB.LY.YT",
        channel="direct", applicant=APPLICANT,
    )
