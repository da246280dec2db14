"""Concurrency: codes stay unique and gapless, and two officers never both win.

TT 01/2018/TT-VPCP Art. 19 (``shared/domain/dossier.md``): XXXX is the sequence of the
unit's dossiers received that day: "allocate the sequence in the database
(concurrency-safe)". DESIGN: one function applies an action, locking the row.
Each thread uses its own database connection (closed at the end of the thread).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections, transaction

from motcua.accounts.models import Membership, Role, User
from motcua.catalog.models import Unit
from motcua.dossiers.models import Dossier, DossierEvent, DossierSequence, Status
from motcua.dossiers.actions import apply_action
from motcua.dossiers.codes import allocate_code
from motcua.dossiers.intake import receive_dossier
from motcua.errors import Conflict
from tests.dossiers.data import APPLICANT, THREE_DAY_COMMUNE, vn

INTAKES = 50


def _in_own_connection(function):
    def run(*args):
        try:
            return function(*args)
        finally:
            connections.close_all()
    return run


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_intakes_get_distinct_gapless_codes(demo):
    counter_yt, counter_mx = User.objects.get(username="motcua.yt"), User.objects.get(username="motcua.mx")
    start = threading.Barrier(INTAKES)

    @_in_own_connection
    def intake(i: int) -> str:
        counter, unit = (counter_yt, "YB.LY.YT") if i % 5 else (counter_mx, "YB.LY.MX")
        start.wait(timeout=60)
        return receive_dossier(actor=counter, procedure_code=THREE_DAY_COMMUNE, unit_code=unit, channel="direct",
                               applicant=APPLICANT, arrived_at=vn(2026, 5, 4, 9, 0)).code

    with ThreadPoolExecutor(max_workers=INTAKES) as pool:
        codes = list(pool.map(intake, range(INTAKES)))

    assert len(set(codes)) == INTAKES
    yt = sorted(c for c in codes if c.startswith("YB.LY.YT-"))
    mx = sorted(c for c in codes if c.startswith("YB.LY.MX-"))
    assert yt == [f"YB.LY.YT-260504-{n:04d}" for n in range(1, 41)]
    assert mx == [f"YB.LY.MX-260504-{n:04d}" for n in range(1, 11)]
    assert Dossier.objects.count() == INTAKES and DossierEvent.objects.count() == INTAKES
    assert dict(DossierSequence.objects.values_list("unit__code", "last")) == {"YB.LY.YT": 40, "YB.LY.MX": 10}


def test_a_rolled_back_intake_gives_its_number_back(demo):
    """Gapless: the number belongs to the transaction that took it."""
    unit = Unit.objects.get(code="YB.LY.YT")
    day = vn(2026, 5, 4).date()
    with pytest.raises(RuntimeError), transaction.atomic():
        assert allocate_code(unit, day) == "YB.LY.YT-260504-0001"
        raise RuntimeError("the intake failed after taking a number")
    assert allocate_code(unit, day) == "YB.LY.YT-260504-0001"
    assert allocate_code(unit, day) == "YB.LY.YT-260504-0002"
    assert allocate_code(unit, vn(2026, 5, 5).date()) == "YB.LY.YT-260505-0001"


def test_intake_numbers_the_dossier_last_and_never_cuts_a_long_number(demo):
    """The code is set in the intake's transaction (no provisional code survives), and the
    10,000th dossier of a day gets five digits, not a truncated four."""
    counter = User.objects.get(username="motcua.yt")
    unit = Unit.objects.get(code="YB.LY.YT")
    day = vn(2026, 5, 4).date()
    DossierSequence.objects.create(unit=unit, day=day, last=9998)
    codes = [receive_dossier(actor=counter, procedure_code=THREE_DAY_COMMUNE, unit_code="YB.LY.YT", channel="direct",
                             applicant=APPLICANT, arrived_at=vn(2026, 5, 4, 9, 0)).code for _ in range(2)]
    assert codes == ["YB.LY.YT-260504-9999", "YB.LY.YT-260504-10000"]
    assert sorted(Dossier.objects.values_list("code", flat=True)) == sorted(codes)
    assert DossierSequence.objects.get(unit=unit, day=day).last == 10000


def _race(first, second):
    """Run two actions at the same moment; return (successes, conflicts)."""
    start = threading.Barrier(2)

    @_in_own_connection
    def run(act):
        start.wait(timeout=30)
        try:
            act()
            return "ok"
        except Conflict as exc:
            assert exc.status == 409
            return "conflict"

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, [first, second]))
    return results.count("ok"), results.count("conflict")


@pytest.mark.django_db(transaction=True)
def test_two_counter_officers_deciding_an_online_dossier_at_once_one_wins_the_other_gets_409(demo):
    citizen = User.objects.get(username="congdan")
    first = User.objects.get(username="motcua.yt")
    second = User.objects.create_user("motcua2.yt", role=Role.COUNTER, password="x" * 10)
    Membership.objects.create(user=second, unit=Unit.objects.get(code="YB.LY.YT"))
    for _ in range(5):
        code = receive_dossier(actor=citizen, procedure_code=THREE_DAY_COMMUNE, unit_code="YB.LY.YT", channel="online",
                               applicant=APPLICANT).code
        wins, conflicts = _race(lambda: apply_action(first, code, "accept"),
                                lambda: apply_action(second, code, "refuse", {"note": "Hồ sơ không hợp lệ"}))
        assert (wins, conflicts) == (1, 1)
        dossier = Dossier.objects.get(code=code)
        events = list(dossier.events.order_by("seq"))
        assert dossier.last_event_seq == 2 and len(events) == 2
        assert events[1].to_status == dossier.status in (Status.RECEIVED, Status.REFUSED)


@pytest.mark.django_db(transaction=True)
def test_two_leaders_approving_and_rejecting_at_once_leave_exactly_one_decision(demo):
    counter, specialist = User.objects.get(username="motcua.yt"), User.objects.get(username="chuyenvien.yt")
    leader = User.objects.get(username="lanhdao.yt")
    deputy = User.objects.create_user("phochutich.yt", role=Role.LEADER, password="x" * 10)
    Membership.objects.create(user=deputy, unit=Unit.objects.get(code="YB.LY.YT"))
    for _ in range(5):
        code = receive_dossier(actor=counter, procedure_code=THREE_DAY_COMMUNE, unit_code="YB.LY.YT", channel="direct",
                               applicant=APPLICANT).code
        apply_action(leader, code, "assign", {"assignee": "chuyenvien.yt"})
        apply_action(specialist, code, "propose")
        wins, conflicts = _race(lambda: apply_action(leader, code, "approve"),
                                lambda: apply_action(deputy, code, "reject", {"note": "Không đủ điều kiện"}))
        assert (wins, conflicts) == (1, 1)
        dossier = Dossier.objects.get(code=code)
        decisions = dossier.events.filter(action__in=["approve", "reject"])
        assert decisions.count() == 1 and decisions.get().to_status == dossier.status
        assert dossier.resolved_at is not None and dossier.last_event_seq == 4
