"""The worker's schedule: tasks that run once a day from a given local time on, and tasks that
run whenever their work is due (an outbox with items to send).

Apps register their daily tasks in ``AppConfig.ready()`` with :func:`register_daily`. Each
worker calls :func:`enqueue_due` with every heartbeat; the ``ScheduledRun`` unique row per
task and day makes sure only one of them enqueues it (the insert and the enqueue share one
transaction, so a failed enqueue leaves the day open for the next heartbeat).

A recurring task (:func:`register_recurring`) names a check: at each heartbeat, when the check
says work is due and no run of the task is waiting in the queue, one is enqueued. So work left
by a crashed or restarted worker, or retries whose time has come, are picked up within a
heartbeat (10 s) without any request asking for them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from motcua.server.models import ScheduledRun
from motcua.worktime.calendar import VN_TZ


@dataclass(frozen=True)
class Daily:
    name: str
    task: str  # dotted path of a django-tasks ``Task`` taking no arguments
    at: dt.time  # Vietnam's local time from which it is due each day


@dataclass(frozen=True)
class Recurring:
    name: str
    task: str  # dotted path of a django-tasks ``Task`` taking no arguments
    due: str  # dotted path of a function ``(now) -> bool``: is there work for it now?


DAILY: dict[str, Daily] = {}
RECURRING: dict[str, Recurring] = {}


def register_daily(name: str, task: str, at: dt.time) -> None:
    DAILY[name] = Daily(name, task, at)


def register_recurring(name: str, task: str, due: str) -> None:
    RECURRING[name] = Recurring(name, task, due)


def waiting_in_queue(task_path: str) -> bool:
    """A run of ``task_path`` is enqueued and not yet started (running ones do not count: a
    worker killed mid-run leaves its row "running" for ever)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task_path, status="READY").exists()


def enqueue_recurring(now: dt.datetime | None = None) -> list[str]:
    """Enqueue each recurring task whose check says work is due and that is not waiting already."""
    now = now or timezone.now()
    enqueued = []
    for recurring in RECURRING.values():
        if import_string(recurring.due)(now) and not waiting_in_queue(recurring.task):
            import_string(recurring.task).enqueue()
            enqueued.append(recurring.name)
    return enqueued


def enqueue_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every daily task due at ``now`` and not yet enqueued today, and every recurring
    task with work due; return their names."""
    now = now or timezone.now()
    local = now.astimezone(VN_TZ)
    enqueued = []
    for daily in DAILY.values():
        if local.time() < daily.at:
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(name=daily.name, day=local.date())
                result = import_string(daily.task).enqueue()
                ScheduledRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
        except IntegrityError:
            continue  # another worker (or an earlier heartbeat) already did
        enqueued.append(daily.name)
    return enqueued + enqueue_recurring(now)
