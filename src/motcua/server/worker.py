"""The background worker: django-tasks-db's worker loop, plus a heartbeat thread that
``/healthz`` reads and that enqueues the daily tasks (:mod:`motcua.server.periodic`).

``run_worker()`` runs until SIGTERM/SIGINT (``motcua worker``, or the child process of
``motcua serve``); ``run_due_tasks()`` runs what is due now and returns (``motcua worker
--batch``, and the tests).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from motcua.server import periodic
from motcua.server.models import WorkerHeartbeat

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10  # how often a live worker writes its heartbeat
FORGET_AFTER = dt.timedelta(days=1)  # heartbeats of workers gone this long are deleted
BACKEND = "default"


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


class Heartbeat:
    """Writes ``WorkerHeartbeat`` every ``HEARTBEAT_SECONDS`` in its own thread, and enqueues
    the daily tasks that are due."""

    def __init__(self, worker_id: str):
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="motcua-heartbeat", daemon=True)

    def beat(self) -> None:
        now = timezone.now()
        try:
            WorkerHeartbeat.objects.update_or_create(
                worker_id=self.worker_id,
                defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "started_at": self.started_at,
                          "seen_at": now, "stopped_at": None},
            )
            WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()
            periodic.enqueue_due(now)
        except DatabaseError as exc:  # the database is away: try again at the next beat
            log.warning("worker heartbeat failed: %s", type(exc).__name__)

    def _loop(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            close_old_connections()
            self.beat()
        connection.close()

    def start(self) -> None:
        self.beat()
        self._thread.start()

    def stop(self) -> None:
        """Mark this worker as stopped (``/healthz`` then says ``stopped`` at once)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=HEARTBEAT_SECONDS)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(stopped_at=timezone.now())
        except DatabaseError:
            pass


def _worker(worker_id: str, interval: float, batch: bool) -> Worker:
    return Worker(
        queue_names=["*"], interval=interval, batch=batch, backend_name=BACKEND, startup_delay=not batch,
        max_tasks=None, worker_id=worker_id, excluded_queue_names=[],
    )


def run_worker(*, interval: float = 1.0, worker_id: str | None = None) -> None:
    """Run background tasks until SIGTERM or SIGINT (the task in hand is finished first)."""
    worker_id = worker_id or new_worker_id()
    heartbeat = Heartbeat(worker_id)
    heartbeat.start()
    worker = _worker(worker_id, interval, batch=False)
    worker.configure_signals()
    try:
        worker.run()
    finally:
        heartbeat.stop()


def run_due_tasks(*, worker_id: str = "batch", schedule: bool = True) -> int:
    """Run every task due now, one after the other, in this process and thread; return how many.
    With ``schedule``, first enqueue the daily tasks that are due (as a heartbeat would)."""
    if schedule:
        periodic.enqueue_due()
    worker = _worker(worker_id, 0, batch=True)
    done = 0
    while True:
        with exclusive_transaction(DBTaskResult.objects.db):
            task_result = DBTaskResult.objects.ready().filter(backend_name=BACKEND).get_locked()
            if task_result is not None:
                task_result.claim(worker_id)
        if task_result is None:
            return done
        worker.run_task(task_result)
        done += 1
