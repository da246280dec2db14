"""The 2025 reorganisation: merges and moves keep history (``catalog.reorganise``).

The demo tree (CONTRACT §6): YB → YB.LY → YB.LY.YT, YB.LY.MX; LC → LC.NN → LC.NN.NM.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.accounts.models import Membership, User
from motcua.catalog import reorganise
from motcua.catalog.models import Unit, UnitChange
from motcua.dossiers import scope
from motcua.dossiers.models import Dossier
from motcua.errors import InvalidInput
from motcua.reports import services as reports
from tests.reports.conftest import make_dossier, vn  # noqa: F401  (the fixture)

JULY = dt.date(2025, 7, 1)


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def officer(username: str, code: str, role: str = "counter") -> User:
    user = User.objects.create_user(username=username, password="x-Long-pass-1", role=role)
    Membership.objects.create(user=user, unit=unit(code))
    return user


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)   # scope caches on the user object


# ------------------------------------------------------------------ move: paths follow, history kept

def test_moving_a_district_carries_its_communes_paths(demo):
    reorganise.apply(reorganise.plan_move(unit("YB.LY"), unit("LC"), JULY))
    assert unit("YB.LY").path == "/LC/YB.LY/"
    assert unit("YB.LY.MX").path == "/LC/YB.LY/YB.LY.MX/"
    assert {u.code for u in unit("LC").subtree()} >= {"YB.LY", "YB.LY.MX", "YB.LY.YT", "LC.NN.NM"}
    assert not unit("YB").subtree().filter(code__startswith="YB.LY").exists()


@pytest.mark.parametrize("date_from, date_to, district_counts_commune", [
    ("2024-01-01", "2024-12-31", True),    # wholly before the move
    ("2025-01-01", "2025-12-31", True),    # the move is inside the period
    ("2025-06-30", "2025-06-30", True),    # the last day before it
    ("2025-07-01", "2025-12-31", False),   # wholly after
    ("2026-01-01", "2026-03-31", False),
])
def test_a_district_report_keeps_a_moved_commune_for_the_periods_it_was_below(
        demo, make_dossier, date_from, date_to, district_counts_commune):
    make_dossier(unit="YB.LY.MX", received_at=vn("2024-03-04 09:00"), due_at=vn("2024-03-07 17:00"))
    make_dossier(unit="YB.LY.MX", received_at=vn("2025-03-04 09:00"), due_at=vn("2025-03-07 17:00"))
    make_dossier(unit="YB.LY.MX", received_at=vn("2025-06-30 09:00"), due_at=vn("2025-07-03 17:00"))
    make_dossier(unit="YB.LY.MX", received_at=vn("2025-09-04 09:00"), due_at=vn("2025-09-09 17:00"))
    make_dossier(unit="YB.LY.MX", received_at=vn("2026-02-04 09:00"), due_at=vn("2026-02-09 17:00"))
    before = reports.tthc_report(unit("YB.LY"), date_from, date_to, children=True)["received"]["new"]["total"]
    province_before = reports.tthc_report(unit("YB"), date_from, date_to, children=True)["received"]["new"]["total"]

    reorganise.apply(reorganise.plan_move(unit("YB.LY.MX"), unit("YB"), JULY, "NQ 1656/NQ-UBTVQH15"))

    assert unit("YB.LY.MX").parent.code == "YB"
    district = reports.tthc_report(unit("YB.LY"), date_from, date_to, children=True)["received"]["new"]["total"]
    mx = reports.tthc_report(unit("YB.LY.MX"), date_from, date_to)["received"]["new"]["total"]
    if district_counts_commune:
        assert district == before and mx > 0 and district >= mx
    else:
        assert district == 0
    # The province held the commune before and after: its figure never changes.
    assert reports.tthc_report(unit("YB"), date_from, date_to, children=True)["received"]["new"]["total"] == province_before
    # The dossiers themselves are untouched.
    assert set(Dossier.objects.values_list("unit__code", flat=True)) == {"YB.LY.MX"}


def test_move_refuses_a_cycle_a_lower_parent_and_the_same_parent(demo):
    with pytest.raises(InvalidInput):
        reorganise.plan_move(unit("YB.LY"), unit("YB.LY.MX"), JULY)      # under its own commune
    with pytest.raises(InvalidInput):
        reorganise.plan_move(unit("YB.LY.MX"), unit("YB.LY.YT"), JULY)   # a commune under a commune
    with pytest.raises(InvalidInput):
        reorganise.plan_move(unit("YB.LY.MX"), unit("YB.LY"), JULY)      # already there
    assert not UnitChange.objects.exists()


# ------------------------------------------------------------------ merge: successor, re-scope, history

def test_merging_two_communes_into_a_new_one(demo, make_dossier):
    old_done = make_dossier(unit="YB.LY.YT", status="result_returned", received_at=vn("2025-03-04 09:00"),
                            due_at=vn("2025-03-07 17:00"), resolved_at=vn("2025-03-05 10:00"))
    open_one = make_dossier(unit="YB.LY.MX", received_at=vn("2025-06-27 09:00"), due_at=vn("2025-07-02 17:00"))
    yt_officer, mx_leader = officer("cb.yt", "YB.LY.YT"), officer("ld.mx", "YB.LY.MX", role="leader")
    other = officer("cb.nm", "LC.NN.NM")
    h1 = reports.tthc_report(unit("YB.LY.YT"), "2025-01-01", "2025-06-30")

    plan = reorganise.plan_merge([unit("YB.LY.YT"), unit("YB.LY.MX")],
                                 reorganise.NewUnit(code="YB.YT", name="Xã Yên Thế", level="commune", parent=unit("YB")),
                                 JULY, "NQ 1656/NQ-UBTVQH15")
    assert any("Xã Yên Thế" in line for line in plan.lines) and any("2 cán bộ" in line for line in plan.lines)
    assert not Unit.objects.filter(code="YB.YT").exists()       # a plan writes nothing
    successor = reorganise.apply(plan)

    yt, mx = unit("YB.LY.YT"), unit("YB.LY.MX")
    assert (yt.valid_to, mx.valid_to) == (dt.date(2025, 6, 30), dt.date(2025, 6, 30))
    assert yt.successor == successor == mx.successor and successor.valid_from == JULY
    assert successor.path == "/YB/YB.YT/"
    # Officers moved to the successor; nobody else.
    assert set(Membership.objects.filter(unit=successor).values_list("user__username", flat=True)) == {"cb.yt", "ld.mx"}
    assert not Membership.objects.filter(unit__in=[yt, mx]).exists()
    assert Membership.objects.filter(user=other, unit__code="LC.NN.NM").exists()
    # The old dossiers keep their unit and the old unit's report is unchanged …
    assert Dossier.objects.get(pk=old_done.pk).unit == yt
    assert reports.tthc_report(yt, "2025-01-01", "2025-06-30") == h1
    # … and the successor's officers see and handle them; an outsider does not.
    assert {d.code for d in scope.visible_dossiers(fresh(yt_officer))} == {old_done.code, open_one.code}
    assert scope.handles(fresh(mx_leader), Dossier.objects.get(pk=open_one.pk))
    assert not scope.visible_dossiers(fresh(other)).filter(pk=open_one.pk).exists()
    # The successor's report holds its predecessors' history only when asked.
    assert reports.tthc_report(successor, "2025-01-01", "2025-06-30")["received"]["total"] == 0
    both = reports.tthc_report(successor, "2025-01-01", "2025-06-30", predecessors=True)
    assert both["received"]["total"] == 2 and both["predecessors"] is True


def test_merge_into_an_existing_unit_moves_the_sources_children(demo):
    reorganise.apply(reorganise.plan_merge([unit("YB.LY")], unit("LC.NN"), JULY))
    assert unit("YB.LY.MX").parent.code == "LC.NN" and unit("YB.LY.MX").path == "/LC/LC.NN/YB.LY.MX/"
    assert unit("YB.LY").successor.code == "LC.NN"
    # A chain of merges: the first successor's successor inherits both.
    reorganise.apply(reorganise.plan_merge([unit("LC.NN")], unit("LC"), dt.date(2025, 8, 1)))
    assert reorganise.predecessor_ids([unit("LC").pk]) == {unit("LC.NN").pk, unit("YB.LY").pk}


@pytest.mark.parametrize("sources, into, field", [
    ([], "LC.NN", "sources"),
    (["YB.LY.MX", "YB.LY.MX"], "LC.NN", "sources"),
    (["YB.LY.MX"], "YB.LY.MX", "into"),
    (["YB.LY"], "YB.LY.MX", "into"),                 # into a unit below a source
])
def test_bad_merges_are_refused_and_write_nothing(demo, sources, into, field):
    with pytest.raises(InvalidInput) as caught:
        reorganise.plan_merge([unit(c) for c in sources], unit(into), JULY)
    assert field in caught.value.fields
    assert not UnitChange.objects.exists()


# ------------------------------------------------------------------ the CLI and the admin

def test_cli_dry_run_writes_nothing_then_merge_and_history(demo):
    out = io.StringIO()
    call_command("units", "merge", "YB.LY.YT", "YB.LY.MX", "--into", "YB.YT", "--name", "Xã Yên Thế",
                 "--parent", "YB", "--on", "2025-07-01", "--dry-run", stdout=out)
    assert "Chạy thử" in out.getvalue() and "Xã Yên Thế" in out.getvalue()
    assert not Unit.objects.filter(code="YB.YT").exists()
    call_command("units", "merge", "YB.LY.YT", "YB.LY.MX", "--into", "YB.YT", "--name", "Xã Yên Thế",
                 "--parent", "YB", "--on", "2025-07-01", "--decision", "NQ 1656", stdout=io.StringIO())
    assert unit("YB.YT").predecessors.count() == 2
    out = io.StringIO()
    call_command("units", "history", "YB.YT", stdout=out)
    assert out.getvalue().count("01/07/2025 sáp nhập") == 2 and "NQ 1656" in out.getvalue()


@pytest.mark.parametrize("args", [
    ["move", "NOPE", "--to", "YB", "--on", "2025-07-01"],
    ["move", "YB.LY.MX", "--to", "YB", "--on", "2025-13-01"],
    ["move", "YB.LY.MX", "--to", "YB.LY.YT", "--on", "2025-07-01"],
    ["merge", "YB.LY.MX", "--into", "NEW", "--on", "2025-07-01"],
])
def test_cli_user_errors_are_one_line(demo, args):
    with pytest.raises(CommandError) as caught:
        call_command("units", *args, stdout=io.StringIO())
    assert "\n" not in str(caught.value)
    assert not UnitChange.objects.exists()


def test_admin_action_previews_then_moves(demo, admin_client):
    mx = unit("YB.LY.MX")
    base = {"action": "move_units", "_selected_action": [mx.pk], "target": unit("YB").pk,
            "effective_on": "2025-07-01", "decision": "NQ 1656"}
    page = admin_client.post("/admin/catalog/unit/", {**base, "confirm": "0"})
    assert page.status_code == 200
    assert "Xã Minh Xuân (YB.LY.MX) chuyển từ Huyện Lục Yên sang Tỉnh Yên Bái" in page.content.decode()
    assert unit("YB.LY.MX").parent.code == "YB.LY"
    done = admin_client.post("/admin/catalog/unit/", {**base, "confirm": "1"})
    assert done.status_code == 302
    assert unit("YB.LY.MX").parent.code == "YB"
    change = UnitChange.objects.get()
    assert (change.kind, change.from_parent.code, change.to_parent.code) == ("move", "YB.LY", "YB")


def test_a_chain_of_merges_stays_in_the_successors_scope_and_costs_one_query_without_merges(demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plain, nm = fresh(officer("cb.nm2", "LC.NN.NM")), unit("LC.NN.NM")
    with CaptureQueriesContext(connection) as queries:
        assert scope.own_unit_ids(plain) == {nm.pk} and scope.member_unit_ids(plain) == {nm.pk}
    assert len(queries) == 1        # units and predecessors together, once per request's user
    # YT into MX (2025), then MX into a new commune (2026): the last one's officer answers for all three.
    reorganise.apply(reorganise.plan_merge([unit("YB.LY.YT")], unit("YB.LY.MX"), JULY))
    last = reorganise.apply(reorganise.plan_merge(
        [unit("YB.LY.MX")], reorganise.NewUnit(code="YB.MX", name="Xã Minh Xuân mới", level="commune", parent=unit("YB")),
        dt.date(2026, 1, 1)))
    newcomer = officer("cb.mx2", "YB.MX")
    assert scope.own_unit_ids(fresh(newcomer)) == {last.pk, unit("YB.LY.MX").pk, unit("YB.LY.YT").pk}
    assert scope.member_unit_ids(fresh(newcomer)) == {last.pk}
