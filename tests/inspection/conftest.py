"""Dossiers walked through the real workflow at chosen moments, for the inspection tests."""

from __future__ import annotations

import pytest

from tests.dossiers.data import APPLICANT, THREE_DAY_COMMUNE, vn  # noqa: F401


@pytest.fixture
def walk(demo):
    """``walk([("receive", "motcua.yt", vn(...)), ("assign", "lanhdao.yt", vn(...), {"assignee": …}), …])``:
    a dossier taken in at the first step's moment, then each action at its moment, by its user."""
    from motcua.accounts.models import User
    from motcua.dossiers.actions import apply_action
    from motcua.dossiers.intake import receive_dossier

    users: dict[str, User] = {}

    def who(name):
        if name not in users:
            users[name] = User.objects.get(username=name)
        return users[name]

    def make(steps, *, unit="YB.LY.YT", procedure=THREE_DAY_COMMUNE):
        (kind, actor, at, *_rest), *rest = steps
        channel = "online" if kind == "submit" else "direct"
        dossier = receive_dossier(actor=who(actor), procedure_code=procedure, unit_code=unit, channel=channel,
                                  applicant=APPLICANT, arrived_at=at)
        for action, actor, at, *payload in rest:
            body = payload[0] if payload else {"note": "Đã bổ sung theo yêu cầu"} if action == "supplement" else {}
            dossier = apply_action(who(actor), dossier.code, action, body, at=at)
        return dossier

    return make
