"""The buttons and the API cannot disagree: for every status × person × action, an action
offered (``allowed_actions``, which the office page draws as its forms and the API lists as
``allowed_actions``) is one ``apply_action`` carries out, and one not offered is refused
with exactly the error ``check`` gives (403 or 409), or 404 for a dossier out of sight.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from motcua.accounts.models import User
from motcua.dossiers.actions import allowed_actions, apply_action, check
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.workflow import ACTIONS, Action
from motcua.errors import DomainError, NotFound
from tests.dossiers.data import vn

# (who, username, is the specialist the assignee?)
PEOPLE = [
    ("counter", "motcua.yt", False),
    ("specialist, assigned", "chuyenvien.yt", True),
    ("specialist, not assigned", "chuyenvien.yt", False),
    ("leader", "lanhdao.yt", False),
    ("owner", "congdan", False),
    ("counter of another commune", "motcua.mx", False),
    ("district counter", "motcua.ly", False),
    ("inspector", "thanhtra.yb", False),
    ("admin", "admin", False),
]


class _Undo(Exception):
    """Raised to roll a successful action back, so the next try starts from the same state."""


def _payload(dossier: Dossier) -> dict:
    """Everything any action may need, valid for this dossier."""
    return {"note": "Ghi chú của cán bộ", "assignee": "chuyenvien.yt", "to_unit": "YB.LY",
            "due_at": (dossier.due_at + dt.timedelta(days=10)).isoformat()}


def _outcome(user: User, code: str, action: str, payload: dict) -> DomainError | None:
    try:
        with transaction.atomic():
            apply_action(user, code, action, payload, at=vn(2026, 5, 6, 9, 0))
            raise _Undo
    except _Undo:
        return None
    except DomainError as exc:
        return exc


@pytest.fixture
def online_dossier(submit):
    """Filed online by ``congdan`` (its owner) at YB.LY.YT on Mon 4/5/2026."""
    return submit(at=vn(2026, 5, 4, 8, 0))


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("reschedules", [0, 1])
def test_every_offered_action_succeeds_and_every_other_is_refused_with_the_reason_given(online_dossier, status, reschedules):
    specialist = User.objects.get(username="chuyenvien.yt")
    disagreements = []
    for who, username, assigned in PEOPLE:
        Dossier.objects.filter(pk=online_dossier.pk).update(
            status=status, assignee=specialist if assigned else None, reschedules=reschedules,
            pause_resume_status=Status.PROCESSING if status == Status.AWAITING_SUPPLEMENT else "",
            paused_at=vn(2026, 5, 5, 9, 0) if status == Status.AWAITING_SUPPLEMENT else None,
        )
        dossier = Dossier.objects.select_related("procedure", "unit", "current_unit").get(pk=online_dossier.pk)
        user = User.objects.get(username=username)
        offered = {t.action for t in allowed_actions(user, dossier)}
        for action in ACTIONS:
            verdict = check(user, dossier, action)
            error = _outcome(user, dossier.code, action, _payload(dossier))
            if (action in offered) != verdict.allowed:
                disagreements.append((who, action, "buttons vs check"))
            if verdict.allowed and error is not None:
                disagreements.append((who, action, f"offered, but the API said {error.status} {error.code}"))
            if not verdict.allowed:
                if error is None:
                    disagreements.append((who, action, "not offered, but the API did it"))
                elif not isinstance(error, NotFound) and (error.status, error.code) != (verdict.error.status, verdict.error.code):
                    disagreements.append((who, action, f"check says {verdict.error.code}, the API {error.code}"))
    assert disagreements == []


def test_a_second_reschedule_is_neither_offered_nor_allowed(online_dossier):
    leader = User.objects.get(username="lanhdao.yt")
    Dossier.objects.filter(pk=online_dossier.pk).update(status=Status.PROCESSING, reschedules=1)
    dossier = Dossier.objects.get(pk=online_dossier.pk)
    assert Action.RESCHEDULE not in {t.action for t in allowed_actions(leader, dossier)}
    verdict = check(leader, dossier, Action.RESCHEDULE)
    assert (verdict.error.status, verdict.error.code) == (409, "reschedule_limit")


def test_a_specialist_not_assigned_is_told_so(online_dossier):
    Dossier.objects.filter(pk=online_dossier.pk).update(status=Status.PROCESSING)
    verdict = check(User.objects.get(username="chuyenvien.yt"), Dossier.objects.get(pk=online_dossier.pk), Action.PROPOSE)
    assert (verdict.error.status, verdict.error.code) == (403, "not_assignee")


def test_the_api_lists_the_same_allowed_actions(online_dossier, api_as):
    Dossier.objects.filter(pk=online_dossier.pk).update(status=Status.RECEIVED)
    dossier = Dossier.objects.get(pk=online_dossier.pk)
    for username in ("motcua.yt", "lanhdao.yt", "congdan", "chuyenvien.yt"):
        listed = api_as(username).get(f"/dossiers/{dossier.code}").json()["allowed_actions"]
        assert listed == [t.action for t in allowed_actions(User.objects.get(username=username), dossier)], username
