"""The audit writer's bulk path builds its JSON with the database's JSON functions, not by pasting
text: whatever the staged rows hold, the event's changes read back as the values themselves
(issue 22 §2). Both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from motcua.dossiers import audit
from motcua.dossiers.models import Dossier, DossierEvent
from tests.reports.conftest import build_dossier, vn

HOSTILE = ["given", '"}, "admin": true, "x": "', "it's", "back\\slash", "tab\there\nnewline", "ký tự có dấu",
           "emoji 🙂", "'); DROP TABLE dossiers_dossier; --", '{"line": 99}', "", "\\u0022"]


@pytest.mark.parametrize("source", HOSTILE)
def test_imported_events_keep_any_text_as_it_is(demo, source):
    at = vn("2026-03-02 09:00")
    (dossier,) = Dossier.objects.bulk_create([build_dossier(received_at=at, due_at=at + dt.timedelta(days=3))])
    with connection.cursor() as cur:
        cur.execute("CREATE TEMPORARY TABLE h22_rows (dossier_id integer, status text, unit_id integer, "
                    "line integer, due_source text)")
        try:
            cur.execute("INSERT INTO h22_rows VALUES (%s, %s, %s, %s, %s)",
                        [dossier.pk, "received", dossier.unit_id, 7, source])
            audit.record_imported_rows(cur, rows="h22_rows", at=at, note="dòng ")
        finally:
            cur.execute("DROP TABLE h22_rows")
    event = DossierEvent.objects.get(dossier=dossier)
    assert event.changes == {"line": 7, "due_at": source}
    assert event.note == "dòng 7" and event.seq == 1 and event.action == "import"
