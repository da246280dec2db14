"""The worker's daily schedule: tasks that run once a day, from a given local time on.

Apps register their daily tasks in ``AppConfig.ready()`` with :func:`register_daily`. Each
worker calls :func:`enqueue_due` with every heartbeat; the ``ScheduledRun`` unique row per
task and day makes sure only one of them enqueues it (the insert and the enqueue share one
transaction, so a failed enqueue leaves the day open for the next heartbeat).
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


DAILY: dict[str, Daily] = {}


def register_daily(name: str, task: str, at: dt.time) -> None:
    DAILY[name] = Daily(name, task, at)


def enqueue_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every daily task due at ``now`` and not yet enqueued today; return their names."""
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
    return enqueued
