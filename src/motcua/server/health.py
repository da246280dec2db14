"""``GET /healthz`` (docs/api.md): is the database reachable, is a background worker alive?

``worker`` is ``ok`` when a worker wrote its heartbeat within ``LATE_AFTER`` (it writes one
every ``HEARTBEAT_SECONDS`` = 10 s), ``late`` when the last one is older but within
``STOPPED_AFTER`` (alive but stuck or starved: a locked database, a saturated machine), and
``stopped`` otherwise, or when every worker stopped cleanly. 503 when the database cannot be
reached.
"""

from __future__ import annotations

import datetime as dt

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.server.models import WorkerHeartbeat

LATE_AFTER = dt.timedelta(seconds=60)
STOPPED_AFTER = dt.timedelta(minutes=5)

OK, LATE, STOPPED = "ok", "late", "stopped"

# More parts of the answer, added by apps in ``AppConfig.ready()``: ``{key: function() -> str | None}``
# (the national outbox: ``national_outbox`` ``ok`` / ``stuck``; None leaves the key out, as when the
# national portal is not connected). They never make it a 503.
CHECKS: dict = {}


def register_health_check(key: str, check) -> None:
    CHECKS[key] = check


def worker_state(now: dt.datetime | None = None) -> str:
    """``ok``, ``late`` or ``stopped``: the freshest heartbeat of a worker that has not stopped."""
    now = now or timezone.now()
    seen = (
        WorkerHeartbeat.objects.filter(stopped_at__isnull=True)
        .order_by("-seen_at").values_list("seen_at", flat=True).first()
    )
    if seen is None:
        return STOPPED
    age = now - seen
    if age <= LATE_AFTER:
        return OK
    return LATE if age <= STOPPED_AFTER else STOPPED


@require_safe
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        worker = worker_state()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable", "worker": "unknown"}, status=503)
    extra = {}
    for key, check in CHECKS.items():
        try:
            value = check()
        except DatabaseError:
            value = "unknown"
        if value is not None:
            extra[key] = value
    return JsonResponse({"status": "ok", "database": "ok", "worker": worker, **extra})
