"""Who may bring a dossier in, through which channel, and how it starts: the intake rows of the
workflow's table (``workflow.INTAKE``, asked by ``intake.receive_dossier``; issue 22 §3).

Table-driven through the real ``receive_dossier``: each row an actor, a channel, an owner named
or not and a receiving unit, with the status, source, owner and first event it starts with, or
the refusal's code.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from motcua.accounts.models import User
from motcua.dossiers import workflow
from motcua.dossiers.intake import receive_dossier
from motcua.errors import DomainError
from tests.dossiers.data import APPLICANT, THREE_DAY_COMMUNE

NATIONAL = "cong.dvcqg"
PROCEDURE = THREE_DAY_COMMUNE

# actor, channel, owner named, receiving unit → (status, source, owner, first event) or an error code
CASES = [
    ("congdan", "online", None, "YB.LY.YT", ("submitted", "portal", "congdan", "submit")),
    ("motcua.yt", "online", "congdan", "YB.LY.YT", ("submitted", "portal", "congdan", "submit")),
    (NATIONAL, "online", None, "YB.LY.YT", ("submitted", "national_portal", None, "submit")),
    ("motcua.yt", "direct", None, "YB.LY.YT", ("received", "counter", None, "receive")),
    ("motcua.yt", "postal", None, "YB.LY.YT", ("received", "post", None, "receive")),
    ("motcua.yt", "online", None, "YB.LY.YT", "channel_not_allowed"),
    ("motcua.mx", "online", "congdan", "YB.LY.YT", "channel_not_allowed"),
    ("chuyenvien.yt", "online", "congdan", "YB.LY.YT", "channel_not_allowed"),
    ("congdan", "online", "congdan", "YB.LY.YT", "channel_not_allowed"),
    (NATIONAL, "online", None, "LC.TP", "unit_out_of_scope"),
    (NATIONAL, "direct", None, "YB.LY.YT", "channel_not_allowed"),
    ("congdan", "direct", None, "YB.LY.YT", "channel_not_allowed"),
    ("lanhdao.yt", "postal", None, "YB.LY.YT", "channel_not_allowed"),
    ("motcua.mx", "direct", None, "YB.LY.YT", "not_member"),
    ("motcua.yt", "direct", "congdan", "YB.LY.YT", "invalid_dossier"),
    (None, "online", None, "YB.LY.YT", "channel_not_allowed"),
]


@pytest.mark.parametrize(("actor", "channel", "owner", "unit", "expected"), CASES)
def test_intake_follows_the_table(demo, actor, channel, owner, unit, expected):
    call_command("create_user", NATIONAL, "--role", "national_portal", "--unit", "YB", verbosity=0)
    user = User.objects.get(username=actor) if actor else None
    if actor is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    applicant = {**APPLICANT}
    try:
        d = receive_dossier(actor=user, procedure_code=PROCEDURE, unit_code=unit, channel=channel,
                            applicant=applicant, owner=owner)
    except DomainError as exc:
        assert exc.code == expected
        return
    assert (d.status, d.source, d.owner.username if d.owner else None, d.intake_event.action) == expected


def test_every_channel_has_a_way_in_and_each_way_is_whole():
    channels = {c for way in workflow.INTAKE for c in way.channels}
    assert channels == {"online", "direct", "postal"}
    for way in workflow.INTAKE:
        assert way.roles and way.refusal and way.status in ("submitted", "received")
        assert (way.unit == "") == (way.unit_refusal == ("", ""))
    # one way per (channel, assisted, role): the table never answers twice
    keys = [(c, w.assisted, r) for w in workflow.INTAKE for c in w.channels for r in w.roles]
    assert len(keys) == len(set(keys))
