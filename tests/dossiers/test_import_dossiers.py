"""`motcua import-dossiers FILE.jsonl [--dry-run]` (CONTRACT §1, §4): all lines valid or nothing imported."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from motcua.catalog.models import Procedure, Unit
from motcua.dossiers.importer import import_dossiers
from motcua.dossiers.models import Dossier, DossierEvent, DossierSequence, DossierUnit
from motcua.dossiers.codes import allocate_code
from motcua.dossiers.deadlines import compute_deadline
from motcua.reports.services import tthc_report
from motcua.worktime.calendar import VN_TZ

APPLICANT = {"full_name": "Nguyễn Văn An", "id_number": "001090000001", "phone": "0912345678"}


@pytest.fixture
def procedure(demo) -> str:
    """A procedure measured in working days, performed by communes."""
    return Procedure.objects.filter(levels__level="commune", processing_time_unit="working_days",
                                    processing_time_value__gt=0).order_by("code").first().code


def line(procedure_code: str, **overrides) -> dict:
    record = {"procedure": procedure_code, "unit": "YB.LY.YT", "channel": "direct",
              "received_at": "2026-03-02T08:00:00+07:00", "applicant": dict(APPLICANT)}
    record.update(overrides)
    return {k: v for k, v in record.items() if v is not None}


def write_jsonl(tmp_path: Path, records: list, name: str = "in.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                    encoding="utf-8")
    return path


def test_valid_file_is_imported_with_statuses_events_and_participants(procedure, tmp_path, capsys):
    """CONTRACT §4: outcome → approved/rejected with resolved_at; withdrawn_at → withdrawn; else received."""
    path = write_jsonl(tmp_path, [
        line(procedure, code="OLD-0001", channel="online", resolved_at="2026-03-03T09:00:00+07:00", outcome="approved",
             due_at="2026-03-05T17:00:00+07:00"),
        line(procedure, code="OLD-0002", channel="postal", resolved_at="2026-03-04T10:00:00+07:00", outcome="rejected"),
        line(procedure, code="OLD-0003", withdrawn_at="2026-03-03T10:00:00+07:00"),
        line(procedure, code="OLD-0004", unit="LC.TP", received_at="2026-03-02T01:00:00Z"),
    ])
    call_command("import_dossiers", str(path))
    assert "Đã nhập 4 hồ sơ" in capsys.readouterr().out
    d = {x.code: x for x in Dossier.objects.select_related("unit")}
    assert (d["OLD-0001"].status, d["OLD-0001"].channel) == ("approved", "online")
    assert d["OLD-0001"].resolved_at == dt.datetime(2026, 3, 3, 9, tzinfo=VN_TZ)
    assert d["OLD-0001"].due_at == dt.datetime(2026, 3, 5, 17, tzinfo=VN_TZ)
    assert d["OLD-0002"].status == "rejected"
    assert (d["OLD-0003"].status, d["OLD-0003"].withdrawn_at) == ("withdrawn", dt.datetime(2026, 3, 3, 10, tzinfo=VN_TZ))
    assert d["OLD-0004"].status == "received" and d["OLD-0004"].unit.code == "LC.TP"
    assert d["OLD-0004"].received_at == dt.datetime(2026, 3, 2, 8, tzinfo=VN_TZ)
    assert d["OLD-0004"].applicant_name == "Nguyễn Văn An" and d["OLD-0004"].source == "import"
    events = list(DossierEvent.objects.order_by("dossier__code"))
    assert [(e.seq, e.action, e.actor_id) for e in events] == [(1, "import", None)] * 4
    assert events[0].to_status == "approved"
    assert {(p.dossier.code, p.unit.code) for p in DossierUnit.objects.select_related("dossier", "unit")} == {
        ("OLD-0001", "YB.LY.YT"), ("OLD-0002", "YB.LY.YT"), ("OLD-0003", "YB.LY.YT"), ("OLD-0004", "LC.TP")}


def test_absent_due_at_is_computed_by_the_working_calendar(procedure, tmp_path):
    """CONTRACT §3/§4: `due_at` absent → computed from the unit's calendar and the procedure's time."""
    received = dt.datetime(2026, 4, 29, 10, tzinfo=VN_TZ)  # before the 30/4–1/5 holidays
    call_command("import_dossiers", str(write_jsonl(tmp_path, [line(procedure, code="X-1", received_at=received.isoformat())])))
    unit, proc = Unit.objects.get(code="YB.LY.YT"), Procedure.objects.get(code=procedure)
    assert Dossier.objects.get(code="X-1").due_at == compute_deadline(proc, unit, received).due_at


def test_absent_code_is_generated_and_imported_codes_advance_the_sequence(procedure, tmp_path):
    """CONTRACT §2/§4: codes `{unit}-{YYMMDD}-{XXXX}`; an imported code in our format moves the day's sequence."""
    path = write_jsonl(tmp_path, [
        line(procedure, code="YB.LY.YT-260302-0007"),
        line(procedure, received_at="2026-03-02T14:00:00+07:00"),
        line(procedure, received_at="2026-03-02T23:30:00+07:00"),  # still 2/3 in Hà Nội
        line(procedure, unit="YB.LY.MX", received_at="2026-03-02T17:30:00Z"),  # 00:30 on 3/3 in Hà Nội
    ])
    call_command("import_dossiers", str(path))
    codes = set(Dossier.objects.values_list("code", flat=True))
    assert codes == {"YB.LY.YT-260302-0007", "YB.LY.YT-260302-0008", "YB.LY.YT-260302-0009", "YB.LY.MX-260303-0001"}
    assert allocate_code(Unit.objects.get(code="YB.LY.YT"), dt.date(2026, 3, 2)) == "YB.LY.YT-260302-0010"


def test_two_bad_lines_are_both_reported_and_nothing_is_imported(procedure, tmp_path, capsys):
    """CONTRACT §1: on any bad line, `line N: reason` for each, import nothing, exit 1."""
    path = write_jsonl(tmp_path, [
        line(procedure),
        line(procedure, channel="fax"),
        line(procedure),
        "{not json",
        line(procedure),
    ])
    with pytest.raises(CommandError):
        call_command("import_dossiers", str(path))
    err = capsys.readouterr().err
    assert "line 2: " in err and "channel" in err
    assert "line 4: " in err and "JSON" in err
    assert "line 1:" not in err and "line 3:" not in err
    assert Dossier.objects.count() == 0 and DossierEvent.objects.count() == 0
    assert DossierSequence.objects.count() == 0


@pytest.mark.parametrize("overrides, expected", [
    ({"unit": "XX.NOPE"}, "unit"),
    ({"procedure": "9.999999"}, "procedure"),
    ({"received_at": "2026-03-02T08:00:00"}, "received_at"),  # no offset
    ({"received_at": "02/03/2026"}, "received_at"),
    ({"resolved_at": "2026-03-01T08:00:00+07:00", "outcome": "approved"}, "before received_at"),
    ({"withdrawn_at": "2026-03-01T08:00:00+07:00"}, "withdrawn_at"),
    ({"outcome": "approved"}, "outcome needs resolved_at"),
    ({"resolved_at": "2026-03-03T08:00:00+07:00"}, "resolved_at needs outcome"),
    ({"resolved_at": "2026-03-03T08:00:00+07:00", "outcome": "done"}, "outcome"),
    ({"withdrawn_at": "2026-03-03T08:00:00+07:00", "resolved_at": "2026-03-03T08:00:00+07:00", "outcome": "approved"},
     "withdrawn_at excludes"),
    ({"applicant": {"full_name": "A", "id_number": "123", "phone": "0912345678"}}, "applicant.id_number"),
    ({"applicant": None}, "missing: applicant"),
    ({"recieved_at": "2026-03-02T08:00:00+07:00"}, "unknown keys: recieved_at"),
    ({"code": "has space"}, "code"),
])
def test_each_rule_names_its_reason(procedure, overrides, expected):
    report = import_dossiers([json.dumps(line(procedure, **overrides))])
    assert [n for n, _ in report.errors] == [1]
    assert expected in report.errors[0][1]


def test_a_line_that_is_not_an_object_is_an_error(demo):
    report = import_dossiers(['["a list"]', "42"])
    assert [n for n, _ in report.errors] == [1, 2]


def test_duplicate_code_in_the_file_or_database_is_an_error(procedure, tmp_path, capsys):
    """CONTRACT §4: a duplicate `code` is an error (within the file, or already in the database)."""
    call_command("import_dossiers", str(write_jsonl(tmp_path, [line(procedure, code="DUP-1")], "a.jsonl")))
    path = write_jsonl(tmp_path, [line(procedure, code="NEW-1"), line(procedure, code="DUP-1"), line(procedure, code="NEW-1")],
                       "b.jsonl")
    with pytest.raises(CommandError):
        call_command("import_dossiers", str(path))
    err = capsys.readouterr().err
    assert "line 2: code: “DUP-1” đã có trong hệ thống / already exists" in err
    assert "line 3: code: “NEW-1” trùng với dòng 1 / duplicate of line 1" in err
    assert set(Dossier.objects.values_list("code", flat=True)) == {"DUP-1"}


def test_dry_run_validates_and_writes_nothing(procedure, tmp_path, capsys):
    path = write_jsonl(tmp_path, [line(procedure), line(procedure, resolved_at="2026-03-03T08:00:00+07:00", outcome="approved")])
    call_command("import_dossiers", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "2 hồ sơ" in out and "approved 1" in out and "received 1" in out and "nothing written" in out
    assert Dossier.objects.count() == 0 and DossierSequence.objects.count() == 0


def test_missing_file_is_a_one_line_error(demo):
    with pytest.raises(CommandError, match="cannot open"):
        call_command("import_dossiers", "/nonexistent/file.jsonl")


def test_imported_dossiers_are_reported_correctly(procedure, tmp_path):
    """CONTRACT §5 over imported data: carried over, new by channel, early/on time/late, withdrawn, in progress."""
    records = [
        line(procedure, received_at="2026-02-26T08:00:00+07:00", due_at="2026-03-03T17:00:00+07:00"),  # carried, overdue
        line(procedure, channel="online", received_at="2026-03-02T08:00:00+07:00", due_at="2026-03-05T17:00:00+07:00",
             resolved_at="2026-03-04T09:00:00+07:00", outcome="approved"),  # early
        line(procedure, channel="postal", received_at="2026-03-02T08:00:00+07:00", due_at="2026-03-05T17:00:00+07:00",
             resolved_at="2026-03-05T16:00:00+07:00", outcome="rejected"),  # on time
        line(procedure, received_at="2026-03-02T08:00:00+07:00", due_at="2026-03-05T17:00:00+07:00",
             resolved_at="2026-03-05T17:30:00+07:00", outcome="approved"),  # late
        line(procedure, received_at="2026-03-10T08:00:00+07:00", withdrawn_at="2026-03-11T08:00:00+07:00"),
        line(procedure, channel="online", received_at="2026-03-30T08:00:00+07:00", due_at="2026-04-06T17:00:00+07:00"),
        line(procedure, received_at="2026-04-01T08:00:00+07:00"),  # after the period
    ]
    call_command("import_dossiers", str(write_jsonl(tmp_path, records)))
    r = tthc_report(Unit.objects.get(code="YB.LY"), dt.date(2026, 3, 1), dt.date(2026, 3, 31), children=True)
    assert r["received"] == {"total": 6, "carried_over": 1, "new": {"total": 5, "online": 2, "direct": 2, "postal": 1}}
    assert r["resolved"] == {"total": 3, "early": 1, "on_time": 1, "late": 1}
    assert r["withdrawn"] == 1
    assert r["in_progress"] == {"total": 1 + 0 + 1, "within_deadline": 1, "overdue": 1}


def test_import_due_times_agree_with_compute_deadline(demo):
    """CONTRACT §3: the importer's cached due times equal `compute_deadline`, line by line, with and
    without a unit's dated commitment ("cắt giảm thời gian"), across holidays, cut-offs and nights."""
    import random

    from motcua.catalog.models import ProcedureCommitment
    from motcua.dossiers.importer import _Deadlines

    procedures = list(Procedure.objects.all())
    with_days = next(p for p in procedures if p.processing_time_unit == "working_days" and p.processing_time_value > 1)
    ProcedureCommitment.objects.create(unit=Unit.objects.get(code="YB.LY"), procedure=with_days, time_value=1,
                                       valid_from=dt.date(2026, 4, 1))
    # A same-day commitment with its own cut-off (issue 17 §1) on a procedure that has none.
    no_cutoff = next(p for p in procedures if p.cutoff_time is None and p.pk != with_days.pk)
    ProcedureCommitment.objects.create(unit=Unit.objects.get(code="YB"), procedure=no_cutoff, time_value=0,
                                       time_unit="same_day", cutoff_time=dt.time(15, 0))
    procedures += [no_cutoff] * 20
    units = list(Unit.objects.all())
    deadlines = _Deadlines()
    rng = random.Random(7)
    start = dt.datetime(2026, 3, 20, tzinfo=VN_TZ)
    for _ in range(300):
        procedure, unit = rng.choice(procedures), rng.choice(units)
        arrived = start + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 60))
        assert deadlines.due_at(procedure, unit, arrived) == compute_deadline(procedure, unit, arrived).due_at, \
            (procedure.code, unit.code, arrived)
