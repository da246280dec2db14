"""``GET /metrics``: Prometheus text for the addresses in ``MOTCUA_METRICS_ALLOWED``.

- requests by route and status, latency histograms: django-prometheus's middleware
  (``django_http_responses_total_by_status_view_method``,
  ``django_http_requests_latency_seconds_by_view_method``);
- database time: django-prometheus's database backends (``django_db_query_duration_seconds``,
  ``django_db_execute_total``, ``django_db_errors_total``);
- dossiers by status (``motcua_dossiers``) and background tasks by status (``motcua_tasks``,
  when django-tasks-db is installed): counted at scrape time from the database, so every
  process answers the same and nothing is kept in memory.

Under ``motcua serve`` (several gunicorn processes) prometheus_client runs in multiprocess
mode: each worker writes its counters to files under ``MOTCUA_DATA_DIR/prometheus`` (see
``motcua/gunicorn_conf.py``) and this view adds them up, so one scrape covers every worker.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess, values
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from motcua.net import address_in, client_address


# Collectors other apps add in ``AppConfig.ready()`` (:func:`register_scrape_collector`): counted
# at scrape time (the dossiers: ``motcua.dossiers.metrics``; the national outbox:
# ``motcua.national.metrics``). This app sits below them: they register, it never imports them.
SCRAPE_COLLECTORS: list = []


def register_scrape_collector(collector) -> None:
    if collector not in SCRAPE_COLLECTORS:
        SCRAPE_COLLECTORS.append(collector)


class DatabaseCounts:
    """Background tasks by status, counted when Prometheus scrapes: one GROUP BY on the status
    index. The dossiers are counted by their own app's collector (``motcua.dossiers.metrics``)."""

    def collect(self):
        if apps.is_installed("django_tasks_db"):
            from django_tasks_db.models import DBTaskResult

            by_status = dict(DBTaskResult.objects.order_by().values_list("status").annotate(n=Count("pk")))
            tasks = GaugeMetricFamily(
                "motcua_tasks", "Background tasks in the queue table by status (READY = queued).", labels=["status"]
            )
            for status in sorted(set(by_status) | {"READY", "RUNNING", "FAILED", "SUCCESSFUL"}):
                tasks.add_metric([str(status)], by_status.get(status, 0))
            yield tasks


def multiprocess_mode() -> bool:
    """Whether this process writes its metrics to files (prometheus_client's multiprocess mode).

    prometheus_client decides it once, at import, from the environment that
    ``motcua/gunicorn_conf.py`` prepares for the server processes; asking the library what it
    chose keeps this module off the environment (settings come only through ``motcua.conf``).
    """
    return values.ValueClass is not values.MutexValue


def metrics(request):
    if not address_in(client_address(request), settings.METRICS_ALLOWED):
        raise Http404
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_mode():
        multiprocess.MultiProcessCollector(registry, path=str(settings.METRICS_MULTIPROC_DIR))
    else:
        registry.register(REGISTRY)
    registry.register(DatabaseCounts())
    for collector in SCRAPE_COLLECTORS:
        registry.register(collector)
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
