"""The per-day aggregates (``reports.daily``) always equal a recount from the dossiers.

Random workflows run through the real services (intake, every transition through
``apply_action`` with its moment, the importer, bulk inserts, hand corrections by SQL,
deletions); after each, every stored counter row must equal one recomputed from the
dossiers, and the report read from the counters must equal the one-by-one recount of
``reports.recount`` and the report's own conditions over the dossiers (scorecard included).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalog.models import Unit
from motcua.dossiers.models import Dossier, DossierEvent, DossierUnit
from motcua.errors import DomainError
from motcua.reports import daily, services
from motcua.reports.models import DailyCount, IrregularDossier
from motcua.reports.recount import reference_report
from motcua.worktime.calendar import VN_TZ
from tests.reports.conftest import build_dossier, vn
from tests.profiles import examples

BASE = dt.datetime(2026, 3, 2, 8, 0, tzinfo=VN_TZ)
PERIODS = [(dt.date(2026, 3, 1), dt.date(2026, 3, 31)), (dt.date(2026, 3, 4), dt.date(2026, 3, 6)),
           (dt.date(2026, 3, 9), dt.date(2026, 3, 9)), (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
           (dt.date(2026, 3, 12), dt.date(2026, 4, 30))]
ACTORS = {"counter": "motcua.yt", "specialist": "chuyenvien.yt", "leader": "lanhdao.yt", "owner": "congdan"}
# Actions are picked among those the dossier's status allows (``dossiers.workflow``), as the role the table names.
CONTRACT_KEYS = ("received", "resolved", "in_progress", "withdrawn", "rates")
APPLICANT = {"full_name": "Nguyễn Văn Bình", "id_number": "001090012345", "phone": "0912345678"}
PROCEDURE = "1.004873"


def assert_aggregates_equal_recount() -> None:
    assert daily.differences() == []
    dossiers = list(Dossier.objects.select_related("unit"))
    for unit_code, children in (("YB.LY", True), ("YB.LY.YT", False), ("YB", True)):
        unit = Unit.objects.get(code=unit_code)
        codes = set(unit.subtree().values_list("code", flat=True)) if children else {unit_code}
        mine = [d for d in dossiers if d.unit.code in codes]
        for date_from, date_to in PERIODS:
            got = services.tthc_report(unit, date_from, date_to, children=children)
            assert {k: got[k] for k in CONTRACT_KEYS} == reference_report(mine, date_from, date_to)
            start, end = services.period_bounds(date_from, date_to)
            counted = services.counts_by_unit_and_field(services.period_dossiers(unit, start, end, children), start, end)
            from_counters = services.report_groups(services.units_counted(unit, children, period=(date_from, date_to)),
                                                   date_from, date_to)
            key = lambda g: (g["unit_id"], g["procedure_id"])  # noqa: E731
            # irregular dossiers included: the conditions say what the CONTRACT's words say
            assert sorted(from_counters, key=key) == sorted(counted, key=key)


def users():
    from motcua.accounts.models import User

    return {role: User.objects.get(username=name) for role, name in ACTORS.items()}


def payload(dossier: Dossier, shift: int) -> dict:
    return {"note": "Ghi chú của thao tác", "assignee": "chuyenvien.yt", "to_unit": "YB.LY",
            "due_at": (dossier.due_at + dt.timedelta(days=shift)).isoformat()}


def random_steps(rng, n: int) -> list[tuple]:
    """A workflow of ``n`` steps, mostly actions on dossiers already taken in."""
    kinds = ["receive"] * 3 + ["act"] * 8 + ["correct", "bulk"] + ["wait"] * 2
    steps = []
    for _ in range(n):
        kind = rng.choice(kinds)
        if kind == "receive":
            steps.append((kind, rng.choice(["direct", "postal", "online"]), rng.randint(0, 3)))
        elif kind == "act":
            steps.append((kind, rng.randint(0, 50), rng.randint(0, 12), rng.randint(-2, 6)))
        elif kind == "correct":
            steps.append((kind, rng.randint(0, 50), rng.choice(
                ["resolved_before_received", "resolved_and_withdrawn", "move_received", "more_supplements", "unpause"]),
                rng.randint(-5, 5)))
        elif kind == "bulk":
            steps.append((kind, rng.randint(1, 4), rng.randint(-10, 10)))
        else:
            steps.append((kind, rng.randint(1, 60 * 24 * 4)))
    return steps


@pytest.mark.large
@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.randoms(use_true_random=False), st.integers(5, 60))
def test_random_workflows_keep_the_aggregates_equal_to_a_recount(demo, rng, n):
    from motcua.dossiers.actions import apply_action
    from motcua.dossiers import workflow
    from motcua.dossiers.intake import receive_dossier

    with transaction.atomic():  # each example in its own savepoint, rolled back after it
        people = users()
        now = BASE
        steps = random_steps(rng, n)
        made: list[str] = []  # every dossier of the example
        taken_in: list[str] = []  # those taken in by YB.LY.YT's intake (its officers act on them)
        for s in steps:
            kind = s[0]
            if kind == "wait":
                now += dt.timedelta(minutes=s[1])
            elif kind == "receive":
                _, channel, days = s
                actor = people["owner"] if channel == "online" else people["counter"]
                d = receive_dossier(actor=actor, procedure_code=PROCEDURE, unit_code="YB.LY.YT", channel=channel,
                                    applicant=APPLICANT, arrived_at=now + dt.timedelta(days=days))
                made.append(d.code)
                taken_in.append(d.code)
            elif kind == "act" and taken_in:
                _, index, choice, shift = s
                code = taken_in[index % len(taken_in)]
                dossier = Dossier.objects.get(code=code)
                allowed = workflow.allowed_in(dossier.status)
                if not allowed:
                    continue
                transition = allowed[choice % len(allowed)]
                roles = sorted(transition.roles - ({"owner"} if dossier.owner_id != people["owner"].pk else set()))
                for role in roles:  # the first role the dossier's scope lets act
                    try:
                        with transaction.atomic():
                            apply_action(people[role], code, transition.action, payload(dossier, shift), at=now)
                        break
                    except DomainError:
                        pass
            elif kind == "correct" and made:
                _, index, how, minutes = s
                qs = Dossier.objects.filter(code=made[index % len(made)])
                d = qs.get()
                moment = d.received_at + dt.timedelta(hours=minutes)
                if how == "resolved_before_received":
                    qs.update(resolved_at=d.received_at - dt.timedelta(hours=abs(minutes) + 1), status="approved")
                elif how == "resolved_and_withdrawn":
                    qs.update(resolved_at=moment, withdrawn_at=moment, status="withdrawn")
                elif how == "move_received":
                    qs.update(received_at=moment)
                elif how == "more_supplements":
                    qs.update(supplement_requests=d.supplement_requests + 2)
                else:
                    qs.update(paused_at=None)
            elif kind == "bulk":
                _, count, days = s
                at = now + dt.timedelta(days=days)
                rows = [build_dossier(unit=unit, received_at=at, due_at=at + dt.timedelta(days=3),
                                      status="approved" if i % 2 else "processing",
                                      resolved_at=at + dt.timedelta(days=i) if i % 2 else None)
                        for i, unit in zip(range(count), ["YB.LY.MX", "YB.LY", "LC.TP", "YB.LY.YT"])]
                made.extend(d.code for d in Dossier.objects.bulk_create(rows))
        assert_aggregates_equal_recount()
        transaction.set_rollback(True)


def test_deleting_dossiers_takes_them_out(demo, make_dossier):
    kept = make_dossier(received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"))
    gone = make_dossier(received_at=vn("2026-03-02 09:00"), due_at=vn("2026-03-03 17:00"), status="approved",
                        resolved_at=vn("2026-03-05 10:00"))
    odd = make_dossier(received_at=vn("2026-03-02 09:00"), due_at=vn("2026-03-03 17:00"), status="approved",
                       resolved_at=vn("2026-03-01 10:00"))  # resolved before received: counted one by one
    assert list(IrregularDossier.objects.values_list("dossier_id", flat=True)) == [odd.pk]
    Dossier.objects.filter(pk__in=[gone.pk, odd.pk]).delete()
    assert not IrregularDossier.objects.exists()
    assert_aggregates_equal_recount()
    report = services.tthc_report(Unit.objects.get(code="YB.LY.YT"), dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert report["received"]["total"] == 1 and kept.pk


def test_the_importer_keeps_them(demo, tmp_path, make_dossier):
    lines = [
        {"procedure": PROCEDURE, "unit": "YB.LY.YT", "channel": "online", "received_at": "2026-03-02T08:00:00+07:00",
         "resolved_at": "2026-03-03T09:00:00+07:00", "outcome": "approved", "applicant": APPLICANT},
        {"procedure": PROCEDURE, "unit": "YB.LY.MX", "channel": "postal", "received_at": "2026-02-27T08:00:00+07:00",
         "applicant": APPLICANT},
        {"procedure": PROCEDURE, "unit": "YB.LY.YT", "channel": "direct", "received_at": "2026-03-02T08:00:00+07:00",
         "withdrawn_at": "2026-03-04T10:00:00+07:00", "applicant": APPLICANT},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    before = make_dossier(received_at=vn("2026-03-02 10:00"), due_at=vn("2026-03-04 17:00"))  # a row the import adds to
    call_command("import_dossiers", str(path))
    assert Dossier.objects.count() == 4
    assert DailyCount.objects.exists()
    assert_aggregates_equal_recount()
    report = services.tthc_report(Unit.objects.get(code="YB.LY"), dt.date(2026, 3, 1), dt.date(2026, 3, 31), children=True)
    assert (report["received"]["total"], report["received"]["carried_over"], report["withdrawn"]) == (4, 1, 1)
    # the import's bulk path put the row triggers back: later changes are counted again, one by one
    make_dossier(received_at=vn("2026-03-02 11:00"), due_at=vn("2026-03-03 17:00"))
    Dossier.objects.filter(pk=before.pk).update(status="approved", resolved_at=vn("2026-03-03 08:00"))
    assert_aggregates_equal_recount()
    report = services.tthc_report(Unit.objects.get(code="YB.LY"), dt.date(2026, 3, 1), dt.date(2026, 3, 31), children=True)
    assert (report["received"]["total"], report["resolved"]["early"]) == (5, 2)


def test_a_bulk_insert_is_counted_once_on_the_way_out(demo):
    """``daily.inserting_in_bulk``: the rows inserted inside are counted by one grouped upsert when it ends
    (not by the triggers, or they would count twice), irregular ones listed."""
    at = vn("2026-03-02 08:00")
    rows = [build_dossier(received_at=at, due_at=at + dt.timedelta(days=2), channel=channel) for channel in
            ("online", "direct", "postal")]
    odd = build_dossier(received_at=at, due_at=at + dt.timedelta(days=2), status="approved",
                        resolved_at=at - dt.timedelta(days=1))  # resolved before received: counted one by one
    highest = Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    received = lambda: sum(DailyCount.objects.values_list("received", flat=True))  # noqa: E731
    counted_before = received()
    from django.db import connection

    with transaction.atomic(), connection.cursor() as cursor:
        with daily.inserting_in_bulk(cursor, f"(SELECT * FROM dossiers_dossier WHERE id > {highest}) d"):
            made = Dossier.objects.bulk_create([*rows, odd])
            assert received() == counted_before  # the triggers left them alone
        assert received() == counted_before + 3
    assert set(IrregularDossier.objects.values_list("dossier_id", flat=True)) == {made[-1].pk}
    assert_aggregates_equal_recount()


@pytest.mark.django_db(transaction=True)
def test_a_bulk_writer_leaves_other_transactions_to_their_triggers(demo):
    """PostgreSQL: while the importer's transaction is inside ``inserting_in_bulk``, an intake in another
    connection commits a dossier with an id in the import's range; its trigger counts it, the import's
    upsert does not count it again (its condition names the import's own rows). Outside a transaction
    it refuses to start: nothing would tie the counters to the rows."""
    from django.db import connection

    with connection.cursor() as cursor, pytest.raises(RuntimeError):
        with daily.inserting_in_bulk(cursor, "dossiers_dossier d"):
            pass
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: no other transaction can insert meanwhile")
    import threading

    at = vn("2026-03-02 08:00")
    highest = Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    inside, other_done = threading.Event(), threading.Event()

    def intake_elsewhere():
        from django.db import connections

        try:
            inside.wait(10)
            Dossier.objects.bulk_create([build_dossier(received_at=at, due_at=at + dt.timedelta(days=2))])
        finally:
            other_done.set()
            connections.close_all()

    thread = threading.Thread(target=intake_elsewhere)
    thread.start()
    with transaction.atomic(), connection.cursor() as cursor:
        with daily.inserting_in_bulk(
                cursor, f"(SELECT * FROM dossiers_dossier WHERE id > {highest} AND channel = 'online') d"):
            Dossier.objects.bulk_create([build_dossier(received_at=at, due_at=at + dt.timedelta(days=2),
                                                       channel="online") for _ in range(2)])
            inside.set()
            assert other_done.wait(10)
    thread.join()
    assert daily.differences() == []
    assert Dossier.objects.filter(pk__gt=highest).count() == 3


def test_a_merged_units_history_still_counts(demo, make_dossier):
    from motcua.catalog import reorganise

    old = make_dossier(unit="YB.LY.MX", received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"),
                       status="approved", resolved_at=vn("2026-03-03 10:00"))
    make_dossier(unit="YB.LY.YT", received_at=vn("2026-03-03 08:00"), due_at=vn("2026-03-04 17:00"))
    target = reorganise.apply(reorganise.plan_merge([Unit.objects.get(code="YB.LY.MX")], Unit.objects.get(code="YB.LY.YT"),
                                                    dt.date(2026, 4, 1)))
    assert_aggregates_equal_recount()
    report = services.tthc_report(target, dt.date(2026, 3, 1), dt.date(2026, 3, 31), predecessors=True)
    assert report["received"]["total"] == 2 and report["resolved"]["early"] == 1 and old.pk


def test_verify_names_a_wrong_aggregate_and_rebuild_repairs_it(demo, make_dossier, capsys):
    make_dossier(received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"), status="approved",
                 resolved_at=vn("2026-03-03 10:00"))
    call_command("report", "verify")
    assert "per-day aggregates" in capsys.readouterr().out
    DailyCount.objects.filter(received=1).update(received=5)
    with pytest.raises(SystemExit) as exited:
        call_command("report", "verify")
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert "daily aggregate" in out and "received 5≠1" in out
    call_command("report", "rebuild")
    assert "rebuilt" in capsys.readouterr().out
    call_command("report", "verify")
    assert "all figures agree" in capsys.readouterr().out


def test_a_status_change_outside_the_watched_columns_writes_nothing(demo, make_dossier):
    d = make_dossier(received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"))
    before = list(DailyCount.objects.values_list("day", "received", "overdue_in").order_by("day"))
    Dossier.objects.filter(pk=d.pk).update(applicant_address="Tổ 6")
    assert list(DailyCount.objects.values_list("day", "received", "overdue_in").order_by("day")) == before
    assert DossierEvent.objects.count() == 0 and DossierUnit.objects.count() == 0
