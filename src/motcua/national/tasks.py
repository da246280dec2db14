"""The national connections' background tasks (django-tasks, worked by ``motcua worker``)."""

from __future__ import annotations

import os
import socket

from django.conf import settings

from motcua.national import outbox
from motcua.national.constants import OutboxKind
from motcua.server.tasks import task


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}"


@task()
def drain_national_outbox() -> dict:
    """Send one batch of the outbox; enqueue the next batch at once when more is due."""
    from motcua.national.contrib.dvcqg.sync import drain

    if not outbox.connected() or outbox.paused_until() is not None:
        return {"sent": 0, "failed": 0, "stopped": "paused" if outbox.connected() else "not_connected"}
    result = drain(worker_name(), limit=settings.DVCQG_BATCH_SIZE)
    if not result.stopped and len(result.sent) + len(result.failed) >= settings.DVCQG_BATCH_SIZE and outbox.has_due():
        outbox.kick()
    return {"sent": len(result.sent), "failed": len(result.failed), "stopped": result.stopped}


@task()
def queue_national_ratings() -> list[str]:
    """Daily: put this month's ratings (and last month's, early in a month) in the outbox."""
    from motcua.national.contrib.dvcqg.ratings import months_to_send

    if not outbox.connected():
        return []
    keys = months_to_send()
    for key in keys:
        outbox.put(OutboxKind.RATINGS, key=key)
    return keys


@task()
def pull_national_dossiers() -> dict:
    """Pull mode: fetch the dossiers a gateway holds for the province (``MOTCUA_DVCQG_PULL_URL``)."""
    from motcua.national.contrib.dvcqg.inbound import pull

    return pull()


@task()
def pull_national_questions() -> dict:
    """Read the questions asked on the national portal into their units' queues (a recurring task)."""
    from motcua.national.contrib.dvcqg.questions import pull_questions

    if not outbox.connected():
        return {"stopped": "not_connected"}
    return pull_questions()


@task()
def send_postal_order(order_id: int) -> str:
    """Send one VNPost order (written with the change that asked for it)."""
    from motcua.national.contrib.vnpost import orders

    if not orders.connected():
        return "not_connected"
    return orders.send(order_id)


@task()
def poll_postal_tracking() -> dict:
    """Send the VNPost orders due, then read VNPost's tracking news (a recurring task)."""
    from motcua.national.contrib.vnpost import orders

    if not orders.connected():
        return {"stopped": "not_connected"}
    return orders.poll_tracking()
