"""Fixtures for the dossier tests: fast password hashing, users, and dossiers in a given state."""

from __future__ import annotations

import pytest

from tests.dossiers.data import APPLICANT, THREE_DAY_COMMUNE


@pytest.fixture
def user(demo):
    """``user("motcua.yt")``: a demo account."""
    from motcua.accounts.models import User

    return lambda username: User.objects.get(username=username)


@pytest.fixture
def receive(demo):
    """``receive(...)``: a dossier taken in at the YB.LY.YT counter (status ``received``)."""
    from motcua.accounts.models import User
    from motcua.dossiers.intake import receive_dossier

    def make(*, unit="YB.LY.YT", procedure=THREE_DAY_COMMUNE, counter="motcua.yt", at=None, channel="direct", **applicant):
        return receive_dossier(
            actor=User.objects.get(username=counter), procedure_code=procedure, unit_code=unit, channel=channel,
            applicant={**APPLICANT, **applicant}, arrived_at=at,
        )

    return make


@pytest.fixture
def submit(demo):
    """``submit(...)``: an online dossier filed by the citizen ``congdan`` (status ``submitted``)."""
    from motcua.accounts.models import User
    from motcua.dossiers.intake import receive_dossier

    def make(*, unit="YB.LY.YT", procedure=THREE_DAY_COMMUNE, citizen="congdan", at=None):
        return receive_dossier(
            actor=User.objects.get(username=citizen), procedure_code=procedure, unit_code=unit, channel="online",
            applicant=APPLICANT, arrived_at=at,
        )

    return make


@pytest.fixture
def counts():
    """``counts()``: how many dossiers, events and sequence rows exist (to prove nothing was written)."""
    from motcua.dossiers.models import Dossier, DossierEvent, DossierSequence, DossierUnit

    return lambda: (Dossier.objects.count(), DossierEvent.objects.count(), DossierSequence.objects.count(),
                    DossierUnit.objects.count())
