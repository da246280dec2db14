"""The scope rule (``dossiers.scope``), one row per role, unit and purpose.

The demo tree has both shapes: a 3-level one (YB → YB.LY → YB.LY.YT, YB.LY.MX; LC → LC.NN
→ LC.NN.NM) and the post-2025 2-level one (LC → LC.TP, a commune directly under its
province). Every row is checked against the scope itself and against each surface that
asks it: the dossier lists (``visible_dossiers``), the printed register, the report.
"""

from __future__ import annotations

import pytest

from motcua.accounts.models import Membership, Role, User
from motcua.catalog.models import Unit
from motcua.printing.views import can_print_register
from motcua.dossiers import scope
from motcua.dossiers.models import Dossier, DossierUnit
from motcua.reports.services import may_report_on

D, R = scope.Purpose.DOSSIERS, scope.Purpose.REPORTS
ALL_UNITS = ["YB", "YB.LY", "YB.LY.YT", "YB.LY.MX", "LC", "LC.NN", "LC.NN.NM", "LC.TP"]

# (role, member of, purpose, the units in scope)
ROWS = [
    (Role.COUNTER, ["YB.LY.YT"], D, {"YB.LY.YT"}),
    (Role.SPECIALIST, ["LC.TP"], D, {"LC.TP"}),
    # A leader opens the dossiers of their units and of every unit below: what they count, they open.
    (Role.LEADER, ["YB.LY"], D, {"YB.LY", "YB.LY.YT", "YB.LY.MX"}),
    (Role.LEADER, ["YB.LY.YT", "YB.LY.MX"], D, {"YB.LY.YT", "YB.LY.MX"}),
    (Role.LEADER, ["LC"], D, {"LC", "LC.NN", "LC.NN.NM", "LC.TP"}),
    (Role.INSPECTOR, ["YB"], D, {"YB", "YB.LY", "YB.LY.YT", "YB.LY.MX"}),
    (Role.INSPECTOR, ["LC"], D, {"LC", "LC.NN", "LC.NN.NM", "LC.TP"}),  # both depths below a province
    (Role.INSPECTOR, ["LC.NN"], D, {"LC.NN", "LC.NN.NM"}),
    (Role.INSPECTOR, [], D, set()),
    (Role.ADMIN, ["YB"], D, set(ALL_UNITS)),
    (Role.CITIZEN, [], D, set()),
    (Role.LEADER, ["YB.LY"], R, {"YB.LY", "YB.LY.YT", "YB.LY.MX"}),
    (Role.LEADER, ["LC"], R, {"LC", "LC.NN", "LC.NN.NM", "LC.TP"}),
    (Role.LEADER, ["LC.TP"], R, {"LC.TP"}),
    (Role.INSPECTOR, ["YB.LY"], R, {"YB.LY", "YB.LY.YT", "YB.LY.MX"}),
    (Role.ADMIN, [], R, set(ALL_UNITS)),
    (Role.COUNTER, ["YB.LY.YT"], R, set()),  # counters and specialists do not read reports
    (Role.SPECIALIST, ["YB.LY.YT"], R, set()),
    (Role.CITIZEN, [], R, set()),
]


def _id(row):
    role, units, purpose, _ = row
    return f"{role}@{'+'.join(units) or '-'}:{purpose.value}"


@pytest.fixture
def person(demo):
    def make(role, units):
        user = User.objects.create_user(username=f"u-{role}-{'-'.join(units) or 'none'}", password="x", role=role)
        for code in units:
            Membership.objects.create(user=user, unit=Unit.objects.get(code=code))
        return User.objects.get(pk=user.pk)  # fresh: nothing cached

    return make


@pytest.fixture
def dossier_at(receive):
    """One dossier received (and held) at each unit of the tree: code by unit code."""

    def make():
        made = {}
        for code in ALL_UNITS:
            d = receive()
            unit = Unit.objects.get(code=code)
            Dossier.objects.filter(pk=d.pk).update(unit=unit, current_unit=unit)
            DossierUnit.objects.filter(dossier=d).update(unit=unit)
            made[code] = d.code
        return made

    return make


@pytest.mark.parametrize("role, units, purpose, expected", ROWS, ids=[_id(r) for r in ROWS])
def test_the_scope_of_each_role_and_unit(person, role, units, purpose, expected):
    user = person(role, units)
    assert {code for code in ALL_UNITS if scope.may_see_unit(user, Unit.objects.get(code=code), purpose)} == expected
    ids = scope.unit_ids(user, purpose)
    assert (set(ALL_UNITS) if ids is None else set(Unit.objects.filter(pk__in=ids).values_list("code", flat=True))) == expected


@pytest.mark.parametrize("role, units, purpose, expected", [r for r in ROWS if r[2] is D],
                         ids=[_id(r) for r in ROWS if r[2] is D])
def test_lists_and_registers_follow_the_scope(person, dossier_at, role, units, purpose, expected):
    codes = dossier_at()
    user = person(role, units)
    seen = set(scope.visible_dossiers(user).values_list("code", flat=True))
    assert {unit for unit, code in codes.items() if code in seen} == expected
    assert {code for code in ALL_UNITS if can_print_register(user, Unit.objects.get(code=code))} == expected


@pytest.mark.parametrize("role, units, purpose, expected", [r for r in ROWS if r[2] is R],
                         ids=[_id(r) for r in ROWS if r[2] is R])
def test_reports_follow_the_scope(person, role, units, purpose, expected):
    user = person(role, units)
    assert {code for code in ALL_UNITS if may_report_on(user, Unit.objects.get(code=code))} == expected


@pytest.mark.parametrize("role", [Role.ADMIN, Role.INSPECTOR, Role.LEADER, Role.COUNTER, Role.SPECIALIST, Role.CITIZEN])
def test_what_a_role_may_count_it_may_open(role):
    """Issue 17 §1: a report's drill-down lists dossiers; each must open for whoever reads the
    report. So no role reaches further for reports than for dossiers."""
    order = [scope.Reach.NONE, scope.Reach.OWN, scope.Reach.OWN_AND_BELOW, scope.Reach.ALL]
    dossiers = scope.REACH.get((role, D), scope.Reach.NONE)
    reports = scope.REACH.get((role, R), scope.Reach.NONE)
    assert order.index(dossiers) >= order.index(reports)


def test_a_leader_reads_the_units_below_but_handles_only_their_own(person, dossier_at):
    """Opening is not handling: the district leader's workflow roles, uploads and queues stay
    with the district (``scope.handling_unit_ids``)."""
    from motcua.dossiers.actions import allowed_actions, roles_of

    codes = dossier_at()
    leader = person(Role.LEADER, ["YB.LY"])
    assert scope.handling_unit_ids(leader) == frozenset(Unit.objects.filter(code="YB.LY").values_list("pk", flat=True))
    commune = Dossier.objects.get(code=codes["YB.LY.MX"])
    district = Dossier.objects.get(code=codes["YB.LY"])
    assert scope.visible_dossiers(leader).filter(pk=commune.pk).exists()
    assert not scope.handles(leader, commune) and roles_of(leader, commune) == set()
    assert allowed_actions(leader, commune) == []
    assert scope.handles(leader, district) and roles_of(leader, district) == {Role.LEADER}


def test_a_transferred_dossier_is_in_the_scope_of_every_unit_it_passed(person, receive, user):
    from motcua.dossiers.actions import apply_action

    d = receive()
    apply_action(user("motcua.yt"), d.code, "transfer", {"to_unit": "YB.LY", "note": "Liên thông"})
    for who, sees in [(["YB.LY.YT"], True), (["YB.LY"], True), (["YB.LY.MX"], False)]:
        officer = person(Role.COUNTER, who)
        assert scope.visible_dossiers(officer).filter(code=d.code).exists() is sees, who
        assert scope.handles(officer, Dossier.objects.get(code=d.code)) is sees, who


def test_anonymous_visitors_have_no_scope(db):
    from django.contrib.auth.models import AnonymousUser

    assert scope.unit_ids(AnonymousUser()) == frozenset()
    assert not scope.visible_dossiers(AnonymousUser()).exists()
    assert not may_report_on(AnonymousUser(), Unit(code="X", path="/X/"))
