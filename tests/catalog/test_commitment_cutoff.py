"""A unit's same-day commitment and its cut-off (issue 17 §1): the commitment carries its own
cut-off or inherits the procedure's — decided once (``dossiers.deadlines.time_rule``), for the
intake, the importer and ``GET /calendar/due`` alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog.models import Procedure, ProcedureCommitment, Unit
from motcua.dossiers.deadlines import compute_deadline, time_rule
from motcua.worktime.calendar import VN_TZ

pytestmark = pytest.mark.django_db

# Monday 7 December 2026, a working day; the next one is Tuesday 8 December.
LATE_AFTERNOON = dt.datetime(2026, 12, 7, 16, 53, tzinfo=VN_TZ)
EARLY_AFTERNOON = dt.datetime(2026, 12, 7, 14, 10, tzinfo=VN_TZ)
MARITAL = "1.004873"      # Cấp Giấy xác nhận tình trạng hôn nhân: 03 working days by law, no cut-off
BIRTH = "1.001193"        # Đăng ký khai sinh: same day by law, cut-off 15:00


def commit(unit: str, procedure: str, **fields) -> ProcedureCommitment:
    return ProcedureCommitment.objects.create(
        unit=Unit.objects.get(code=unit), procedure=Procedure.objects.get(code=procedure),
        time_value=0, time_unit="same_day", decision="demo", **fields)


def due(unit: str, procedure: str, arrived: dt.datetime):
    return compute_deadline(Procedure.objects.get(code=procedure), Unit.objects.get(code=unit), arrived)


def test_a_same_day_commitment_with_its_own_cutoff_counts_a_late_arrival_from_the_next_day(demo):
    commit("YB.LY", MARITAL, cutoff_time=dt.time(15, 0))
    deadline = due("YB.LY.MX", MARITAL, LATE_AFTERNOON)
    assert deadline.received_at == dt.datetime(2026, 12, 8, 7, 30, tzinfo=VN_TZ)
    assert deadline.due_at == dt.datetime(2026, 12, 8, 17, 0, tzinfo=VN_TZ)
    assert deadline.cutoff == dt.time(15, 0)
    before = due("YB.LY.MX", MARITAL, EARLY_AFTERNOON)
    assert before.due_at == dt.datetime(2026, 12, 7, 17, 0, tzinfo=VN_TZ)


def test_a_commitment_without_a_cutoff_inherits_the_procedures(demo):
    commit("YB", BIRTH)   # same day as the law: not shorter, so the law's time and its cut-off
    rule = time_rule(Procedure.objects.get(code=BIRTH), Unit.objects.get(code="YB.LY.MX"), LATE_AFTERNOON.date())
    assert rule.cutoff == dt.time(15, 0)
    ProcedureCommitment.objects.all().delete()
    commit("YB", MARITAL)
    procedure = Procedure.objects.get(code=MARITAL)
    procedure.cutoff_time = dt.time(16, 0)
    procedure.save()
    rule = time_rule(procedure, Unit.objects.get(code="YB.LY.MX"), LATE_AFTERNOON.date())
    assert (rule.unit, rule.source, rule.cutoff) == ("same_day", "commitment", dt.time(16, 0))
    assert due("YB.LY.MX", MARITAL, LATE_AFTERNOON).received_at.date() == dt.date(2026, 12, 8)


def test_the_commitments_own_cutoff_wins_over_the_procedures(demo):
    procedure = Procedure.objects.get(code=MARITAL)
    procedure.cutoff_time = dt.time(16, 30)
    procedure.save()
    commit("YB", MARITAL, cutoff_time=dt.time(15, 0))
    assert due("YB.LY.MX", MARITAL, dt.datetime(2026, 12, 7, 15, 30, tzinfo=VN_TZ)).received_at.date() == dt.date(2026, 12, 8)
    # Outside the committing unit the law's time and the procedure's cut-off apply.
    assert time_rule(procedure, Unit.objects.get(code="LC.TP"), LATE_AFTERNOON.date()).cutoff == dt.time(16, 30)


def test_a_same_day_commitment_needs_a_cutoff_when_the_procedure_has_none(demo):
    """The administrator is told at once, rather than a 16:53 arrival being due at 17:00."""
    c = ProcedureCommitment(unit=Unit.objects.get(code="YB"), procedure=Procedure.objects.get(code=MARITAL),
                            time_value=0, time_unit="same_day", decision="demo")
    with pytest.raises(ValidationError) as info:
        c.full_clean()
    assert "cutoff_time" in info.value.message_dict
    c.cutoff_time = dt.time(15, 0)
    c.full_clean()
    # A procedure with its own cut-off lends it: nothing more to enter.
    ProcedureCommitment(unit=Unit.objects.get(code="YB"), procedure=Procedure.objects.get(code=BIRTH),
                        time_value=0, time_unit="same_day", decision="demo").full_clean()


def test_calendar_due_uses_the_units_commitment_cutoff(demo, client):
    commit("YB.LY", MARITAL, cutoff_time=dt.time(15, 0))
    answer = client.get("/api/v1/calendar/due", {"start": LATE_AFTERNOON.isoformat(), "working_days": 0,
                                                  "unit": "YB.LY.MX", "procedure": MARITAL})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["received_at"] == "2026-12-08T07:30:00+07:00"
    assert body["due_at"] == "2026-12-08T17:00:00+07:00"
    assert body["cutoff_time"] == "15:00"
    elsewhere = client.get("/api/v1/calendar/due", {"start": LATE_AFTERNOON.isoformat(), "working_days": 0,
                                                    "unit": "LC.TP", "procedure": MARITAL}).json()
    assert elsewhere["due_at"] == "2026-12-07T17:00:00+07:00" and elsewhere["cutoff_time"] is None


def test_the_catalog_file_round_trips_a_commitments_cutoff(demo):
    from motcua.catalog.importexport import export_catalog, import_catalog

    commit("YB.LY", MARITAL, cutoff_time=dt.time(15, 0))
    data = export_catalog()
    [row] = [c for c in data["commitments"] if c["procedure"] == MARITAL]
    assert row["cutoff_time"] == "15:00"
    ProcedureCommitment.objects.filter(procedure__code=MARITAL).delete()
    import_catalog(data)
    assert ProcedureCommitment.objects.get(procedure__code=MARITAL).cutoff_time == dt.time(15, 0)
