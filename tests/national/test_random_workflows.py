"""Random workflows, synced at random moments (issue 18 "Tests", hypothesis): afterwards the
national portal's view of every dossier — the simulator's copy of its ``DongBoHoSoMC`` object and
the progress steps it received — equals Motcua's, each step once and in order."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.accounts.models import User
from motcua.dossiers import actions, workflow
from motcua.dossiers.models import Dossier
from motcua.national.contrib.dvcqg.record import national_dossier, progress_steps, step_key
from tests.national.conftest import drain_all, held
from tests.profiles import examples

ACTOR = {
    "accept": "motcua.yt", "refuse": "motcua.yt", "request_supplement": "motcua.yt", "assign": "motcua.yt",
    "return_result": "motcua.yt", "supplement": "congdan", "withdraw": "congdan", "propose": "chuyenvien.yt",
    "approve": "lanhdao.yt", "reject": "lanhdao.yt", "reschedule": "lanhdao.yt",
}
SYNC = "sync"


def payload(action: str, dossier: Dossier) -> dict:
    if action == "assign":
        return {"assignee": "chuyenvien.yt"}
    if action == "reschedule":
        return {"due_at": (dossier.due_at + dt.timedelta(days=3)).isoformat(), "note": "Xin lỗi, hẹn lại"}
    needs_note = "note" in workflow.BY_ACTION[action].requires or action == "supplement"  # a supplement brings something
    return {"note": f"Ghi chú {action}"} if needs_note else {}


def possible(dossier: Dossier) -> list[str]:
    user_of = {name: User.objects.get(username=name) for name in set(ACTOR.values())}
    from motcua.dossiers.actions import check

    return [t.action for t in workflow.allowed_in(dossier.status)
            if t.action in ACTOR and check(user_of[ACTOR[t.action]], dossier, t.action).allowed]


def national_view_equals_motcuas(dossier: Dossier) -> None:
    dossier = Dossier.objects.select_related("procedure__field", "current_unit").get(pk=dossier.pk)
    remote, steps = held(dossier.code)
    assert remote is not None, dossier.code
    assert remote.data == national_dossier(dossier, dossier.code), dossier.code
    expected = [(step_key(item), item["TrangThai"]) for _, item in progress_steps(dossier, dossier.code)]
    assert [(step_key(s), s["TrangThai"]) for s in steps] == expected, dossier.code


@pytest.mark.large
@settings(max_examples=examples(6), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_workflows_leave_the_national_portal_with_motcuas_view(portal_sandbox, online_dossier, data):
    dossiers = [online_dossier(accept=False) for _ in range(data.draw(st.integers(1, 3), label="dossiers"))]
    for _ in range(data.draw(st.integers(1, 12), label="steps")):
        i = data.draw(st.integers(0, len(dossiers) - 1), label="dossier")
        dossier = Dossier.objects.get(pk=dossiers[i].pk)
        action = data.draw(st.sampled_from([SYNC, *possible(dossier)]), label="action")
        if action == SYNC:
            assert drain_all().ok
            continue
        actions.apply_action(User.objects.get(username=ACTOR[action]), dossier.code, action, payload(action, dossier))
    assert drain_all().ok
    for dossier in dossiers:
        national_view_equals_motcuas(dossier)
