"""The request path of the two hottest routes (issue 21 §1, docs/performance.md): what each
request reads and writes, counted, so waste the profile removed does not creep back.

An intake: the token (one indexed row), the unit, the procedure, the caller's units (one
query), then the transaction (dossier, its unit, the day's number, the code, the audit event,
the handling step with the procedure's step shares); the answer reads nothing more.
The intake's stored step is built from the event just written, not read back, and equals
what ``motcua inspection rebuild`` derives from the trail."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dossiers.data import APPLICANT, THREE_DAY_COMMUNE

BODY = {"procedure": THREE_DAY_COMMUNE, "unit": "YB.LY.YT", "channel": "direct", "applicant": APPLICANT}


def _reads(queries, table: str) -> int:
    return sum(1 for q in queries if q["sql"].lstrip().upper().startswith("SELECT") and table in q["sql"].split(" WHERE ")[0])


def test_an_intake_reads_each_thing_once(api_as):
    api = api_as("motcua.yt")
    assert api.post("/dossiers", BODY).status_code == 201  # warm: the calendar and catalogue caches
    with CaptureQueriesContext(connection) as ctx:
        r = api.post("/dossiers", BODY)
    assert r.status_code == 201, r.content
    queries = ctx.captured_queries
    assert _reads(queries, "accounts_apitoken") == 1
    assert _reads(queries, "accounts_membership") == 1, "the caller's units: one query"
    assert _reads(queries, "dossiers_dossierevent") == 0, "the intake's step is built from its event, not read back"
    assert _reads(queries, "catalog_unit") == 1, "the unit read once: the event's unit in the answer is the same"
    assert r.json()["events"][0]["unit"] == "YB.LY.YT"
    assert not any("ORDER BY" in q["sql"] for q in queries if "accounts_apitoken" in q["sql"])
    own = [q for q in queries if "motcua_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]  # not the throttle's
    assert len(own) <= 14, "\n".join(q["sql"][:120] for q in own)


def test_the_intakes_stored_step_is_what_a_rebuild_derives(api_as):
    from motcua.inspection import store
    from motcua.inspection.models import HandlingStep

    for _ in range(2):
        assert api_as("motcua.yt").post("/dossiers", BODY).status_code == 201
    fields = ("dossier_id", "seq", "kind", "action", "officer_id", "unit_id", "level", "started_at", "ended_at",
              "worked_seconds", "allowed_seconds", "late", "unexplained")
    written = sorted(HandlingStep.objects.values_list(*fields))
    assert written
    store.rebuild()
    assert sorted(HandlingStep.objects.values_list(*fields)) == written


def test_public_tracking_is_one_query_without_ordering(api_as, client):
    code = api_as("motcua.yt").post("/dossiers", BODY).json()["code"]
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(f"/api/v1/public/track/{code}")
    assert r.status_code == 200 and r.json()["code"] == code
    reads = [q["sql"] for q in ctx.captured_queries if "dossiers_dossier" in q["sql"]]  # not the throttle's cache
    assert len(reads) == 1 and "ORDER BY" not in reads[0]
    assert "applicant_name" not in reads[0] and "data" not in reads[0].split(" FROM ")[0], "personal data is neither shown nor loaded"


def test_public_tracking_answers_what_the_whole_row_gives(api_as, client):
    """The columns it loads (``api.dossiers.PUBLIC_FIELDS``) are all ``public_status`` reads:
    the answer equals the one built from the whole row (a deferred column read later would
    be a second query, caught above)."""
    from motcua.api.dossiers import public_status
    from motcua.dossiers.models import Dossier

    api = api_as("motcua.yt")
    code = api.post("/dossiers", BODY).json()["code"]
    paused = api.post(f"/dossiers/{code}/actions", {"action": "request_supplement", "note": "Thiếu bản sao giấy khai sinh."})
    assert paused.status_code == 200 and paused.json()["status"] == "awaiting_supplement", paused.content
    for c in (code, api.post("/dossiers", BODY).json()["code"]):
        whole = Dossier.objects.select_related("procedure", "unit", "current_unit").get(code=c)
        r = client.get(f"/api/v1/public/track/{c}")
        assert r.status_code == 200
        assert r.json() == public_status(whole)
