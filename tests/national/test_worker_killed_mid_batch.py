"""A ``kill -9`` of the worker in the middle of a sync batch (issue 18 "Tests"): after the restart
the national portal holds every dossier and every progress step exactly once.

A real ``motcua worker`` process works the outbox against the simulator on the live server (over
HTTP, in batches of four dossiers, its DongBoHoSoMC and CapNhatTienDoHoSoMC slowed down so a
batch takes a while); it is killed with SIGKILL once the first batch's progress steps reached the
simulator — before or after the worker recorded them, as it happens. Its claim on the batch in
hand then lapses (the test moves the lease's end into the past, which is what waiting for it
does), and ``motcua national sync`` sends the rest: a batch whose steps went out unrecorded is
looked up first (``TraCuuHoSo``), so nothing arrives twice.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from motcua.national.constants import OutboxState
from motcua.national.contrib.dvcqg.config import sandbox_identity
from motcua.national.models import OutboxItem
from tests.national.conftest import held

ROOT = Path(__file__).resolve().parents[2]
DOSSIERS = 12
BATCH = 4

WORKER = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
from django.conf import settings
settings.DATABASES["default"]["NAME"] = sys.argv[1]  # the test database
import django
django.setup()
from motcua.server.worker import run_worker
run_worker(interval=0.1)
"""


def wait_for(condition, timeout: float = 120.0, every: float = 0.05) -> bool:
    """Poll ``condition`` until it holds (the test waits on what happens, not on a clock)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(every)
    return False


def test_after_a_kill_9_mid_batch_every_dossier_and_step_is_there_once(portal_sandbox, online_dossier, live_server):
    from motcua.national.contrib.dvcqg_sandbox.models import (
        SandboxDossier,
        SandboxFault,
        SandboxStep,
    )

    dossiers = [online_dossier() for _ in range(DOSSIERS)]  # each: submitted, accepted → steps 1, 2
    assert OutboxItem.objects.filter(state=OutboxState.PENDING).count() == DOSSIERS
    for service in ("DongBoHoSoMC", "CapNhatTienDoHoSoMC"):
        SandboxFault.objects.create(service=service, mode="slow", delay=0.3, remaining=10_000)

    username, password, dstcode, madonvi = sandbox_identity()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_DVCQG", "DATABASE_URL"))}
    env.update({"MOTCUA_DVCQG_URL": live_server.url + "/lien-thong/dvcqg-sandbox", "MOTCUA_DVCQG_USERNAME": username,
                "MOTCUA_DVCQG_PASSWORD": password, "MOTCUA_DVCQG_DSTCODE": dstcode, "MOTCUA_DVCQG_MADONVI": madonvi,
                "MOTCUA_PUBLIC_URL": live_server.url, "MOTCUA_DVCQG_BATCH_SIZE": str(BATCH)})
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    worker = subprocess.Popen([sys.executable, "-c", WORKER, str(connection.settings_dict["NAME"])], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: SandboxStep.objects.exists()), "the worker sent nothing"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    arrived = SandboxDossier.objects.count()
    assert BATCH <= arrived < DOSSIERS, arrived  # killed in the middle of the backlog, a batch's steps sent
    assert OutboxItem.objects.filter(state=OutboxState.SENT).count() < DOSSIERS

    SandboxFault.objects.all().delete()
    OutboxItem.objects.filter(claimed_until__isnull=False).update(claimed_until=timezone.now())  # the lease lapses
    call_command("national", "sync")  # exit 0: everything acknowledged

    assert OutboxItem.objects.exclude(state=OutboxState.SENT).count() == 0
    assert SandboxDossier.objects.count() == DOSSIERS
    for dossier in dossiers:
        remote, steps = held(dossier.code)
        assert remote.data["TrangThaiHoSo"] == 2
        assert [s["TrangThai"] for s in steps] == [1, 2], (dossier.code, steps)  # each step once
    assert SandboxStep.objects.count() == 2 * DOSSIERS
