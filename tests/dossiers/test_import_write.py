"""The import's write (``importer.write``): every column of a dossier accounted for, every foreign key
of the rows it writes checked, and all or nothing when the write itself fails late — on both
databases, and on PostgreSQL with the foreign keys checked a row at a time (the row triggers) and
once for the file (a role that may set ``session_replication_role``)."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, connection, transaction

from motcua.catalog.models import Procedure, Unit
from motcua.dossiers import importer
from motcua.dossiers.models import Dossier, DossierEvent, DossierSequence, DossierUnit
from motcua.reports import daily
from motcua.reports.models import DailyCount

APPLICANT = {"full_name": "Nguyễn Văn An", "id_number": "001090000001", "phone": "0912345678"}


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def procedure(demo) -> str:
    return Procedure.objects.filter(levels__level="commune", processing_time_unit="working_days",
                                    processing_time_value__gt=0).order_by("code").first().code


def lines(procedure_code: str, n: int, unit: str = "YB.LY.YT", prefix: str = "CU-W") -> list[str]:
    """``n`` lines: codes given and not, resolved, withdrawn and open, over three days."""
    out = []
    for i in range(n):
        record = {"procedure": procedure_code, "unit": unit, "channel": ("online", "direct", "postal")[i % 3],
                  "received_at": f"2026-03-0{2 + i % 3}T08:{i % 60:02d}:00+07:00",
                  "applicant": {**APPLICANT, "id_number": f"{i + 1:012d}"}}
        if i % 2 == 0:
            record["code"] = f"{prefix}-{i:05d}"
        if i % 5 == 1:
            record.update(resolved_at=f"2026-03-1{i % 3}T09:00:00+07:00", outcome="approved")
        elif i % 7 == 3:
            record["withdrawn_at"] = f"2026-03-0{5 + i % 3}T10:00:00+07:00"
        out.append(json.dumps(record, ensure_ascii=False))
    return out


def state() -> dict:
    """What an import writes, as counts and sums: equal before and after an import that failed."""
    sums = {c: sum(getattr(r, c) for r in DailyCount.objects.all()) for c in daily.COUNTERS}
    return {"dossiers": Dossier.objects.count(), "events": DossierEvent.objects.count(),
            "participants": DossierUnit.objects.count(),
            "sequences": sorted(DossierSequence.objects.values_list("unit_id", "day", "last")),
            "counters": sums}


# ------------------------------------------------------------------ columns and keys, from the models

def test_every_concrete_column_of_the_dossier_is_written_or_left_null_on_purpose():
    """Issue 22 §2: a new field of the dossier fails here, not in an import in production."""
    for vendor in ("sqlite", "postgresql"):
        written = set(importer._as_dossier(importer._Sql(vendor)))
        columns = {f.column for f in Dossier._meta.concrete_fields}
        accounted = written | set(importer.STAMPED) | set(importer.NOT_WRITTEN)
        assert accounted == columns, f"not written: {columns - accounted}; unknown: {accounted - columns}"
        assert not written & set(importer.NOT_WRITTEN)
    fields = {f.column: f for f in Dossier._meta.concrete_fields}
    for column in importer.NOT_WRITTEN:
        assert fields[column].primary_key or fields[column].null, f"{column} is NOT NULL: the import must write it"


def test_every_foreign_key_of_the_written_rows_is_checked_or_accounted_for():
    """The set-wise write checks the dossier's foreign keys it writes (``_references``); those of
    the participants and events are listed with the reason they need no check. A new foreign key
    fails here."""
    checked = {c for columns in importer._references(importer._Sql("postgresql")).values() for c in columns}
    dossier_keys = {f.column for f in Dossier._meta.concrete_fields if f.is_relation}
    assert checked == dossier_keys - set(importer.NOT_WRITTEN)
    assert checked == {"procedure_id", "unit_id", "current_unit_id"}
    for model in (DossierUnit, DossierEvent):
        keys = {f.column for f in model._meta.concrete_fields if f.is_relation}
        assert keys == set(importer.UNCHECKED_REFERENCES[model._meta.db_table]), model


@pytest.mark.django_db
def test_the_triggers_a_set_wise_write_goes_without_are_the_known_ones():
    """On PostgreSQL the set-wise write runs with ``session_replication_role = replica``: no row
    trigger fires. On the tables it writes, they must be the foreign keys (checked once instead),
    the report counters (added in bulk) and the audit trail's guard against UPDATE and DELETE."""
    if not on_postgresql():
        pytest.skip("PostgreSQL's row triggers")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND c.relname IN ('dossiers_dossier', 'dossiers_dossierunit', "
            "'dossiers_dossierevent') ORDER BY 1, 2")
        found = cursor.fetchall()
    assert found == [("dossiers_dossier", "reports_dailycount_ins_del"), ("dossiers_dossier", "reports_dailycount_upd"),
                     ("dossiers_dossierevent", "dossierevent_append_only")]


# ------------------------------------------------------------------ all or nothing when the write fails late

def _staged(path) -> importer.Staging:
    staging = importer.Staging()
    report = importer.validate_file(str(path), staging, workers=1)
    assert report.ok, report.errors
    return staging


@pytest.mark.parametrize("set_wise", [True, False], ids=["set-wise", "row-triggers"])
def test_a_code_taken_meanwhile_by_the_last_line_leaves_nothing(procedure, tmp_path, set_wise):
    """The file's last line's code is taken by another writer between the check and the write: the
    insert fails on the last row, and nothing of the file is kept (dossiers, participants,
    events, sequences, report counters)."""
    if set_wise and not on_postgresql():
        pytest.skip("PostgreSQL only")
    path = tmp_path / "in.jsonl"
    text = lines(procedure, 60)
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    last_code = json.loads(text[58])["code"]  # line 59 has a code, line 60 not
    with _staged(path) as staging:
        taken = importer.import_dossiers([json.dumps({**json.loads(text[0]), "code": last_code})])
        assert taken.imported == 1
        before = state()
        with pytest.raises(IntegrityError):
            importer.write(staging, file_name="in.jsonl", set_wise=set_wise if on_postgresql() else None)
    assert state() == before
    assert list(Dossier.objects.filter(code__startswith="CU-W-").values_list("code", flat=True)) == [last_code]


@pytest.mark.django_db(transaction=True)
def test_a_unit_deleted_between_the_check_and_the_write_fails_the_import_set_wise(demo, procedure, tmp_path):
    """What the foreign keys' triggers would refuse a row at a time, the set-wise write refuses for
    the file: a unit the file names, deleted after the check, fails the whole import."""
    if not on_postgresql():
        pytest.skip("PostgreSQL's set-wise check")
    parent = Unit.objects.get(code="YB.LY")
    gone = Unit.objects.create(code="YB.LY.GONE", name="Xã Tạm", level="commune", parent=parent)
    path = tmp_path / "in.jsonl"
    text = lines(procedure, 10) + lines(procedure, 3, unit=gone.code, prefix="GONE")
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with _staged(path) as staging:
        before = state()
        Unit.objects.filter(pk=gone.pk).delete()
        with pytest.raises(IntegrityError, match="catalog_unit"), transaction.atomic():
            importer.write(staging, file_name="in.jsonl", set_wise=True)
    assert state() == before


@pytest.mark.parametrize("set_wise", [True, False], ids=["set-wise", "row-triggers"])
def test_both_ways_of_writing_give_the_same_rows_and_the_counters_a_recount_gives(procedure, tmp_path, set_wise):
    if set_wise and not on_postgresql():
        pytest.skip("PostgreSQL only")
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines(procedure, 40)) + "\n", encoding="utf-8")
    with _staged(path) as staging:
        assert importer.write(staging, file_name="in.jsonl", set_wise=set_wise if on_postgresql() else None) == 40
    imported = Dossier.objects.filter(source="import")
    assert imported.count() == 40
    assert DossierUnit.objects.filter(dossier__in=imported).count() == 40
    assert sorted(DossierEvent.objects.filter(dossier__in=imported).values_list("seq", "action")) == [(1, "import")] * 40
    ids = sorted(imported.values_list("pk", flat=True))
    assert ids == list(range(ids[0], ids[0] + 40))  # in the file's order, one id after another
    assert list(daily.differences()) == []
