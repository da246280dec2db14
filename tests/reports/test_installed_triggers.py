"""The per-day counters' SQL cannot drift (issue 22 §2).

* the latest frozen copy a migration installs (``reports/migrations/_daily_v3.py``) is what the
  code writes today (``daily.trigger_sql``): changing the SQL without a migration fails here;
* the triggers in the database are those, and the system check ``motcua.reports.W001`` names a
  difference when they are not (both databases);
* the columns the triggers watch (``daily.WATCHED``, ``daily.READ``) are exactly those the SQL
  reads, and every concrete field of a dossier is either read or named here as not counted, so a
  new field fails a test, not an import in production; the importer writes every column.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection

from motcua.dossiers.models import Dossier
from motcua.reports import checks, daily
from motcua.reports.migrations import _daily_v3 as latest

pytestmark = pytest.mark.django_db

# The dossier's columns the report's counters do not read (a new field must be put here or in WATCHED).
NOT_COUNTED = {
    "id", "code", "current_unit_id", "owner_id", "source", "applicant_name", "applicant_id_number",
    "applicant_phone", "applicant_email", "applicant_address", "data", "submitted_at", "original_due_at",
    "pause_resume_status", "reschedules", "delivery", "delivery_address", "last_event_seq", "created_at", "updated_at",
    "assignee_id", "created_by_id", "returned_at",
}
# The columns an imported dossier leaves NULL (no owner, no assignee, not returned yet).
IMPORT_LEAVES_NULL = {"owner_id", "assignee_id", "created_by_id", "returned_at"}


def frozen() -> list[str]:
    return latest.POSTGRESQL if connection.vendor == "postgresql" else latest.SQLITE


def test_the_latest_frozen_copy_is_what_the_code_writes():
    assert daily.trigger_sql(connection) == frozen(), (
        "reports.daily writes other SQL than the last migration installs: add a migration with a frozen copy "
        "(reports/migrations/_daily_vN.py from daily.trigger_sql on each database)")


def test_the_database_has_the_triggers_the_code_writes():
    assert daily.installed_differences() == []
    assert checks.triggers_as_the_code_writes_them(databases=["default"]) == []
    call_command("check", "--database", "default", "--fail-level", "WARNING")


def _tamper() -> None:
    """Change one comparison of the installed triggers (in the test's transaction)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            statement = next(s for s in daily.trigger_sql(connection) if s.startswith("CREATE OR REPLACE FUNCTION"))
            cur.execute(statement.replace("> 1) AS multi", "> 2) AS multi"))
            cur.execute("DROP TRIGGER reports_dailycount_upd ON dossiers_dossier")
            cur.execute("CREATE TRIGGER reports_dailycount_upd AFTER UPDATE ON dossiers_dossier FOR EACH ROW "
                        "WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION reports_dailycount_keep()")
        else:
            cur.execute("SELECT sql FROM sqlite_master WHERE name = 'reports_dailycount_ins'")
            sql = cur.fetchone()[0]
            cur.execute("DROP TRIGGER reports_dailycount_ins")
            cur.execute(sql.replace("> 1) AS multi", "> 2) AS multi"))
            cur.execute("DROP TRIGGER reports_dailycount_upd")


def test_a_changed_trigger_is_named_by_the_check():
    _tamper()
    lines = daily.installed_differences()
    if connection.vendor == "postgresql":
        assert lines[0].startswith("function reports_dailycount_keep: ") and "> 2) AS multi" in lines[0]
        assert lines[1].startswith("trigger reports_dailycount_upd: ")
    else:
        assert lines[0].startswith("trigger reports_dailycount_ins: ") and "> 2) AS multi" in lines[0]
        assert lines[1] == "trigger reports_dailycount_upd: thiếu/missing"
    assert len(lines) == 2
    (warning,) = checks.triggers_as_the_code_writes_them(databases=["default"])
    assert warning.id == "motcua.reports.W001" and "reports_dailycount_upd" in warning.msg
    call_command("report", "rebuild")  # the operator's repair puts back the code's triggers
    assert daily.installed_differences() == []


def _columns_read(statements: list[str]) -> set[str]:
    text = " ".join(statements)
    return set(re.findall(r'\b(?:NEW|OLD)\."?(\w+)"?', text))


def test_the_watched_columns_are_the_columns_the_sql_reads():
    read = _columns_read(daily.trigger_sql(connection))
    assert read - {"id"} == set(daily.WATCHED)
    assert daily.READ == ("id", *daily.WATCHED)


def test_every_field_of_a_dossier_is_counted_or_named_as_not():
    columns = {f.column for f in Dossier._meta.concrete_fields}
    assert set(daily.WATCHED) <= columns
    assert columns - set(daily.WATCHED) == NOT_COUNTED, (
        "a new field of Dossier: put it in reports.daily.WATCHED if the report's counters read it, "
        "else in NOT_COUNTED here")


def test_the_importer_writes_every_column():
    from motcua.dossiers import importer

    written = set(importer._as_dossier(importer._Sql(connection.vendor))) | {"id", "created_at", "updated_at"}
    assert written | IMPORT_LEAVES_NULL == {f.column for f in Dossier._meta.concrete_fields}
    assert all(Dossier._meta.get_field(c.removesuffix("_id")).null for c in IMPORT_LEAVES_NULL)
