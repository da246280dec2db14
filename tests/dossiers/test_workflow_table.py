"""The transition table (status × action × role → status), checked entry by entry.

Roles and actions: CONTRACT §2 ("counter takes in …; specialist processes what is assigned
to it …; leader also assigns, approves, rejects and reschedules; the owner supplements
and withdraws"). Every allowed entry must work and record its event; a role outside an
entry gets 403; a status outside it gets 409 naming the current status.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from motcua.dossiers import workflow
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.dossiers.actions import apply_action
from motcua.errors import Conflict, Forbidden

ACTOR = {
    workflow.COUNTER: "motcua.yt",
    workflow.SPECIALIST: "chuyenvien.yt",
    workflow.LEADER: "lanhdao.yt",
    workflow.OWNER: "congdan",
    "inspector": "thanhtra.yb",
}
RESUMES_TO = Status.PROCESSING


def _in_state(receive, user, status: str) -> Dossier:
    """A YB.LY.YT dossier owned by ``congdan``, assigned to ``chuyenvien.yt``, in ``status``
    (paused from ``processing`` when waiting for supplementation)."""
    dossier = receive()
    Dossier.objects.filter(pk=dossier.pk).update(
        status=status, owner=user("congdan"), assignee=user("chuyenvien.yt"),
        paused_at=timezone.now() - dt.timedelta(minutes=5) if status == Status.AWAITING_SUPPLEMENT else None,
        pause_resume_status=RESUMES_TO if status == Status.AWAITING_SUPPLEMENT else "",
    )
    return Dossier.objects.get(pk=dossier.pk)


def _payload(action: str, dossier: Dossier) -> dict:
    return {
        "note": "Lý do ghi rõ cho thao tác",
        "assignee": "chuyenvien.yt",
        "to_unit": "YB.LY",
        "due_at": (dossier.due_at + dt.timedelta(days=7)).isoformat(),
    }


ALLOWED = [
    pytest.param(t.action, source, role, id=f"{t.action}-{source}-{role}")
    for t in workflow.TRANSITIONS for source in sorted(t.sources) for role in sorted(t.roles)
]


@pytest.mark.parametrize("action,source,role", ALLOWED)
def test_every_allowed_transition_changes_the_status_and_records_an_event(receive, user, action, source, role):
    transition = workflow.BY_ACTION[action]
    dossier = _in_state(receive, user, source)
    actor = user(ACTOR[role])
    events_before = dossier.events.count()

    result = apply_action(actor, dossier.code, action, _payload(action, dossier))

    expected = {workflow.KEEP: source, workflow.RESUME: RESUMES_TO}.get(transition.target, transition.target)
    assert result.status == expected
    assert Dossier.objects.get(pk=dossier.pk).status == expected
    assert dossier.events.count() == events_before + 1
    event = dossier.events.order_by("-seq").first()
    assert (event.action, event.from_status, event.to_status) == (action, source, expected)
    assert event.actor == actor and event.actor_role == actor.role
    assert event.note == "Lý do ghi rõ cho thao tác"
    if expected != source:
        assert event.changes["status"] == [source, expected]


@pytest.mark.parametrize("action", workflow.ACTIONS)
def test_a_role_outside_the_table_gets_403_and_nothing_changes(receive, user, action):
    transition = workflow.BY_ACTION[action]
    source = sorted(transition.sources)[0]
    outsiders = [role for role in sorted(ACTOR) if role not in transition.roles]
    assert outsiders
    for role in outsiders:
        dossier = _in_state(receive, user, source)
        events = DossierEvent.objects.count()
        with pytest.raises(Forbidden):
            apply_action(user(ACTOR[role]), dossier.code, action, _payload(action, dossier))
        assert Dossier.objects.get(pk=dossier.pk).status == source, role
        assert DossierEvent.objects.count() == events, role


@pytest.mark.parametrize("action", workflow.ACTIONS)
def test_an_action_not_allowed_now_is_409_naming_the_current_status(receive, user, action):
    transition = workflow.BY_ACTION[action]
    role = sorted(transition.roles)[0]
    for status in [s for s in Status.values if s not in transition.sources]:
        dossier = _in_state(receive, user, status)
        events = DossierEvent.objects.count()
        with pytest.raises(Conflict) as caught:
            apply_action(user(ACTOR[role]), dossier.code, action, _payload(action, dossier))
        assert caught.value.status == 409
        assert caught.value.code == "action_not_allowed"
        assert status in caught.value.message
        assert str(Status(status).label) in caught.value.message
        assert caught.value.fields == {"status": [status]}
        assert Dossier.objects.get(pk=dossier.pk).status == status
        assert DossierEvent.objects.count() == events


def test_the_table_covers_every_contract_action_and_only_those():
    """CONTRACT §2 lists twelve actions."""
    assert set(workflow.ACTIONS) == {
        "accept", "refuse", "request_supplement", "supplement", "assign", "transfer", "propose", "approve",
        "reject", "return_result", "withdraw", "reschedule",
    }


def test_a_specialist_acts_only_on_dossiers_assigned_to_them(receive, user):
    """CONTRACT §2: "specialist processes what is assigned to it"."""
    dossier = _in_state(receive, user, Status.PROCESSING)
    Dossier.objects.filter(pk=dossier.pk).update(assignee=user("lanhdao.yt"))
    with pytest.raises(Forbidden) as caught:
        apply_action(user("chuyenvien.yt"), dossier.code, "propose")
    assert caught.value.code == "not_assignee"


def test_a_leader_who_assigned_the_dossier_to_themselves_can_carry_it_to_a_decision(receive, user):
    """``assign`` allows a leader as assignee; the dossier must not be stuck in ``processing``."""
    dossier = receive()
    leader = user("lanhdao.yt")
    apply_action(leader, dossier.code, "assign", {"assignee": "lanhdao.yt"})
    apply_action(leader, dossier.code, "propose")
    assert apply_action(leader, dossier.code, "approve").status == Status.APPROVED
