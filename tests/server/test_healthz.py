"""``GET /healthz`` (CONTRACT §2): the database and the worker's heartbeat."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from motcua.server.health import LATE_AFTER, STOPPED_AFTER
from motcua.server.models import WorkerHeartbeat

ROOT = Path(__file__).resolve().parents[2]


def beat(age: dt.timedelta, worker_id="w1", stopped=False):
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults=dict(hostname="h", pid=1, started_at=now - age, seen_at=now - age, stopped_at=now if stopped else None),
    )


@pytest.mark.django_db
def test_no_worker_ever_seen_is_stopped(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "stopped"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("age", "state"),
    [
        (dt.timedelta(seconds=5), "ok"),
        (LATE_AFTER + dt.timedelta(seconds=5), "late"),
        (STOPPED_AFTER + dt.timedelta(seconds=5), "stopped"),
    ],
)
def test_the_worker_state_follows_its_last_heartbeat(client, age, state):
    beat(age)
    assert client.get("/healthz").json()["worker"] == state


@pytest.mark.django_db
def test_a_worker_that_stopped_cleanly_is_stopped_at_once_but_another_live_one_counts(client):
    beat(dt.timedelta(seconds=1), "gone", stopped=True)
    assert client.get("/healthz").json()["worker"] == "stopped"
    beat(dt.timedelta(seconds=2), "live")
    assert client.get("/healthz").json()["worker"] == "ok"


@pytest.mark.django_db
def test_healthz_is_outside_the_api_and_only_reads(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200


@pytest.mark.django_db
def test_the_batch_worker_writes_no_heartbeat_but_a_running_one_does():
    from motcua.server.worker import Heartbeat, run_due_tasks

    run_due_tasks()
    assert not WorkerHeartbeat.objects.exists()
    heartbeat = Heartbeat("test-worker")
    heartbeat.beat()
    row = WorkerHeartbeat.objects.get()
    assert row.worker_id == "test-worker" and row.stopped_at is None and row.pid == os.getpid()
    heartbeat.stop()
    assert WorkerHeartbeat.objects.get().stopped_at is not None


def test_unreachable_database_answers_503(tmp_path):
    """A PostgreSQL address where nothing listens: the real connection attempt fails."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL"))}
    env.update(DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/nowhere", MOTCUA_DATA_DIR=str(tmp_path),
               DJANGO_SETTINGS_MODULE="motcua.settings")
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.content.decode())"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503", result.stderr[-2000:]
    assert json.loads(body) == {"status": "error", "database": "unreachable", "worker": "unknown"}
