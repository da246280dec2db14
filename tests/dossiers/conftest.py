"""Fixtures for the dossier tests: fast password hashing, users, and dossiers in a given state."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.worktime.calendar import VN_TZ

APPLICANT = {
    "full_name": "Nguyễn Văn Bình",
    "id_number": "001090012345",
    "phone": "0912345678",
    "email": "binh@example.vn",
    "address": "Tổ 5, thị trấn Yên Thế",
}
# Cấp Giấy xác nhận tình trạng hôn nhân: commune level, 3 working days, no cut-off.
THREE_DAY_COMMUNE = "1.004873"
# Đăng ký khai sinh: commune level only, same day, 15:00 cut-off.
COMMUNE_ONLY = "1.001193"


def vn(*args) -> dt.datetime:
    """A moment in Vietnam's legal time zone."""
    return dt.datetime(*args, tzinfo=VN_TZ)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Argon2 takes ~0.6 s a hash here; the demo has 18 accounts. Tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(demo):
    """``user("motcua.yt")``: a demo account."""
    from motcua.accounts.models import User

    return lambda username: User.objects.get(username=username)


@pytest.fixture
def receive(demo):
    """``receive(...)``: a dossier taken in at the YB.LY.YT counter (status ``received``)."""
    from motcua.accounts.models import User
    from motcua.dossiers.services import receive_dossier

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
    from motcua.dossiers.services import receive_dossier

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
