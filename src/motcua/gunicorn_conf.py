"""gunicorn's configuration under ``motcua serve`` (``--config python:motcua.gunicorn_conf``).

- Logging: gunicorn's own lines go through Motcua's filters and format
  (``motcua.logging_config``); its access log is off because Django writes the request line
  (``motcua.operations.middleware.AccessLogMiddleware``): without the query string, with the
  route, the duration and the request id.
- Metrics: prometheus_client's multiprocess mode. Every worker writes its counters and
  histograms to files under ``MOTCUA_DATA_DIR/prometheus``; ``GET /metrics`` adds them up.
  The directory is emptied when the server starts and a dead worker's live gauges are
  dropped (``child_exit``). This module is read by the gunicorn master before the application
  is loaded (``--preload``), which is when prometheus_client must see the directory.
"""

from __future__ import annotations

import os
import shutil

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

from django.conf import settings  # noqa: E402  (settings only: the application is not loaded yet)

from motcua.logging_config import gunicorn_logconfig  # noqa: E402

accesslog = None
# gunicorn believes X-Forwarded-Proto (wsgi.url_scheme) only from the proxy of MOTCUA_TRUSTED_PROXY
# (motcua/net.py), never from its default 127.0.0.1 when no proxy is configured.
forwarded_allow_ips = ",".join(settings.TRUSTED_PROXY_ADDRESSES)
logconfig_dict = gunicorn_logconfig("INFO", settings.LOG_FORMAT)

_metrics_dir = settings.METRICS_MULTIPROC_DIR
shutil.rmtree(_metrics_dir, ignore_errors=True)
_metrics_dir.mkdir(parents=True, exist_ok=True)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_metrics_dir)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
