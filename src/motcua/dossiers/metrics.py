"""Dossiers by status (``motcua_dossiers``) for ``GET /metrics``, counted when Prometheus scrapes:
one GROUP BY on the status index. Registered with ``operations.metrics`` in the app's ready()."""

from __future__ import annotations

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily


class DossierCounts:
    def collect(self):
        from motcua.dossiers.models import Dossier, Status

        counts = dict(Dossier.objects.order_by().values_list("status").annotate(n=Count("pk")))
        dossiers = GaugeMetricFamily("motcua_dossiers", "Dossiers by status, counted at scrape time.", labels=["status"])
        for status in Status:
            dossiers.add_metric([status.value], counts.get(status.value, 0))
        yield dossiers
