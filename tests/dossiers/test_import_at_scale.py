"""`motcua import-dossiers` at scale (issue 10 §6): memory that does not grow with the file, and
counter intakes that never fail while an import writes (SQLite: they wait, or get 503 JSON
with Retry-After, never a 500)."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client

from motcua.accounts.models import ApiToken, User
from motcua.dossiers.importer import import_dossiers
from motcua.dossiers.models import Dossier, DossierEvent, DossierUnit
from tests.dossiers.data import APPLICANT, THREE_DAY_COMMUNE

START = dt.datetime(2024, 1, 2, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
UNITS = ("YB.LY.YT", "YB.LY.MX", "LC.NN.NM")


def legacy_file(path: Path, n: int, first: int = 0) -> Path:
    """``n`` good lines: two years of three communes, one in five without a code (numbered on
    import), one in two without a due time (computed by the calendar), most resolved."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(first, first + n):
            received = START + dt.timedelta(minutes=37 * i % (2 * 365 * 24 * 60))
            record = {"procedure": THREE_DAY_COMMUNE, "unit": UNITS[i % 3], "channel": ("online", "direct", "postal")[i % 3],
                      "received_at": received.isoformat(),
                      "applicant": {"full_name": f"Người nộp {i}", "id_number": f"{i + 1:012d}", "phone": "0912345678"}}
            if i % 5:
                record["code"] = f"CU-{i:08d}"
            if i % 2:
                record["due_at"] = (received + dt.timedelta(days=5)).isoformat()
            if i % 7:
                record["resolved_at"], record["outcome"] = (received + dt.timedelta(days=2)).isoformat(), "approved"
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def peak_bytes(path: Path) -> tuple[int, int]:
    """Python memory at its highest during an import of ``path`` (above what was held before)."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        with path.open("rb") as handle:
            report = import_dossiers(handle, file_name=path.name)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert report.ok, report.errors[:3]
    return report.imported, peak


def test_memory_does_not_grow_with_the_file(demo, tmp_path):
    """Four times the lines, about the same memory: the file is streamed, the good lines wait
    in the staging file, duplicate codes are found there, and the write is SQL."""
    peak_bytes(legacy_file(tmp_path / "warm.jsonl", 100, first=90_000))  # modules, caches: once a process
    small, small_peak = peak_bytes(legacy_file(tmp_path / "small.jsonl", 5_000))
    large, large_peak = peak_bytes(legacy_file(tmp_path / "large.jsonl", 20_000, first=5_000))
    assert (small, large) == (5_000, 20_000)
    assert Dossier.objects.count() == DossierUnit.objects.count() == DossierEvent.objects.count() == 25_100
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)


def test_imported_rows_are_complete(demo, tmp_path):
    """The SQL write gives what the model would: codes numbered per unit and day, participants,
    the import event with its line and where the due time came from."""
    import_dossiers(legacy_file(tmp_path / "a.jsonl", 10).open("rb"), file_name="a.jsonl")
    d = Dossier.objects.get(code="CU-00000001")
    assert (d.source, d.status, d.last_event_seq, d.current_unit_id, d.delivery) == ("import", "approved", 1, d.unit_id, "counter")
    assert d.submitted_at == d.received_at == START + dt.timedelta(minutes=37)
    assert d.due_at == d.original_due_at == START + dt.timedelta(minutes=37, days=5) and d.data == {}
    event = DossierEvent.objects.get(dossier=d)
    assert (event.seq, event.action, event.actor_id, event.from_status, event.to_status, event.unit_id) == (
        1, "import", None, "", "approved", d.unit_id)
    assert event.note == "Nhập từ hệ thống cũ: tệp a.jsonl, dòng 2" and event.changes == {"line": 2, "due_at": "given"}
    numbered = Dossier.objects.get(applicant_id_number=f"{0 + 1:012d}")  # line 1, no code, due time computed
    assert numbered.code == f"YB.LY.YT-{START:%y%m%d}-0001"
    assert DossierEvent.objects.get(dossier=numbered).changes == {"line": 1, "due_at": "computed"}
    assert set(DossierUnit.objects.filter(dossier=numbered).values_list("unit_id", flat=True)) == {numbered.unit_id}


@pytest.mark.django_db(transaction=True)
def test_an_intake_during_an_import_succeeds_or_gets_503_json(tmp_path):
    """Counter intakes through the API, in another thread with its own connection to the same
    SQLite file, all the while an import validates and writes: each one is created (201) or
    told to retry (503, the CONTRACT body, Retry-After); none is a 500, and the import is whole."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    from motcua.demo.catalog import seed_demo

    seed_demo()
    path = legacy_file(tmp_path / "in.jsonl", 20_000)
    _, raw = ApiToken.issue(User.objects.get(username="motcua.yt"))
    body = {"procedure": THREE_DAY_COMMUNE, "unit": "YB.LY.YT", "channel": "direct", "applicant": APPLICANT}
    results: list[tuple[float, float, int, str, str]] = []  # started, seconds, status, content type, Retry-After
    writing: dict[str, float] = {}
    done = threading.Event()

    def intakes():
        client = Client()
        try:
            while not done.is_set():
                started = time.monotonic()
                r = client.post("/api/v1/dossiers", json.dumps(body), content_type="application/json",
                                HTTP_AUTHORIZATION=f"Bearer {raw}")
                results.append((started, time.monotonic() - started, r.status_code, r["Content-Type"],
                                r.get("Retry-After", "")))
                if r.status_code == 503:
                    assert r.json()["error"]["code"] == "busy"
                time.sleep(0.05)
        finally:
            connections.close_all()

    def progress(phase, _done, _total):
        if phase == "write":
            writing.setdefault("from", time.monotonic())

    worker = threading.Thread(target=intakes)
    worker.start()
    try:
        with path.open("rb") as handle:
            report = import_dossiers(handle, file_name=path.name, progress=progress)
        writing["to"] = time.monotonic()
    finally:
        done.set()
        worker.join(timeout=120)
    assert report.ok and report.imported == 20_000
    statuses = [status for _, _, status, _, _ in results]
    assert statuses and set(statuses) <= {201, 503}, statuses
    assert all(ctype.startswith("application/json") for _, _, _, ctype, _ in results)
    assert all(int(retry) > 0 for _, _, status, _, retry in results if status == 503)
    # Some intakes were under way while the import wrote (its transaction held the lock).
    assert any(started + seconds >= writing["from"] and started <= writing["to"] for started, seconds, *_ in results)
    assert Dossier.objects.filter(source="import").count() == 20_000
    assert Dossier.objects.exclude(source="import").count() == statuses.count(201)
