"""The national outbox in ``/metrics`` and ``/healthz``.

``motcua_national_outbox{state}``: items by state; ``motcua_national_outbox_oldest_seconds``: the
age of the oldest item still waiting to be sent (0 when none). ``/healthz`` adds
``national_outbox``: ``stuck`` when an item has waited more than an hour, ``ok`` otherwise (no
key when the national portal is not connected).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from motcua.national.constants import OPEN_STATES, OutboxState

STUCK_AFTER = dt.timedelta(hours=1)


def oldest_waiting_age(now: dt.datetime | None = None) -> dt.timedelta | None:
    from motcua.national.models import OutboxItem

    oldest = OutboxItem.objects.filter(state__in=OPEN_STATES).aggregate(at=Min("created_at"))["at"]
    return None if oldest is None else (now or timezone.now()) - oldest


class OutboxCounts:
    def collect(self):
        from motcua.national.models import OutboxItem

        counts = dict(OutboxItem.objects.order_by().values_list("state").annotate(n=Count("pk")))
        states = GaugeMetricFamily("motcua_national_outbox", "National portal outbox items by state.", labels=["state"])
        for state in OutboxState.values:
            states.add_metric([state], counts.get(state, 0))
        yield states
        age = oldest_waiting_age()
        yield GaugeMetricFamily("motcua_national_outbox_oldest_seconds",
                                "Age of the oldest national outbox item not yet sent (0: none).",
                                value=age.total_seconds() if age is not None else 0)


def outbox_health() -> str | None:
    from motcua.national import outbox

    if not outbox.connected():
        return None
    age = oldest_waiting_age()
    return "stuck" if age is not None and age > STUCK_AFTER else "ok"
