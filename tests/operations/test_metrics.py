"""GET /metrics (CONTRACT §2): Prometheus text for the allowed addresses only: requests by
route and status, latency histograms, database time, dossiers by status; and one scrape
adds up every server process."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from prometheus_client.parser import text_string_to_metric_families

from motcua.dossiers.models import Dossier
from tests.dossiers.data import APPLICANT, THREE_DAY_COMMUNE

BODY = {"procedure": THREE_DAY_COMMUNE, "unit": "YB.LY.YT", "channel": "direct", "applicant": APPLICANT}


def scrape(client, **extra) -> dict[tuple[str, frozenset], float]:
    r = client.get("/metrics", **extra)
    assert r.status_code == 200, r.status_code
    assert r["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(r.content.decode()):
        for s in family.samples:
            samples[(s.name, frozenset(s.labels.items()))] = s.value
    return samples


def value(samples, name, **labels) -> float:
    return sum(v for (n, ls), v in samples.items() if n == name and set(labels.items()) <= ls)


def test_metrics_count_requests_by_route_and_status_with_latency_and_database_time(client, api_as):
    before = scrape(client)
    counter = api_as("motcua.yt")
    assert counter.post("/dossiers", BODY).status_code == 201
    assert counter.post("/dossiers", {**BODY, "unit": "NOPE"}).status_code in (404, 422)
    after = scrape(client)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    responses = "django_http_responses_total_by_status_view_method_total"
    assert delta(responses, view="api:create_dossier", status="201", method="POST") == 1
    assert delta(responses, view="api:create_dossier", method="POST") == 2
    latency = "django_http_requests_latency_seconds_by_view_method"
    assert delta(latency + "_bucket", view="api:create_dossier", method="POST", le="+Inf") == 2
    assert delta(latency + "_count", view="api:create_dossier", method="POST") == 2
    assert delta("django_db_query_duration_seconds_count", alias="default") > 0
    assert delta("django_db_query_duration_seconds_sum", alias="default") > 0


def test_dossiers_by_status_are_counted_at_scrape_time(client, api_as, db):
    counter = api_as("motcua.yt")
    for _ in range(2):
        assert counter.post("/dossiers", BODY).status_code == 201
    samples = scrape(client)
    assert value(samples, "motcua_dossiers", status="received") == 2
    assert value(samples, "motcua_dossiers", status="submitted") == 0
    Dossier.objects.filter(status="received").update(status="processing")
    samples = scrape(client)
    assert value(samples, "motcua_dossiers", status="received") == 0
    assert value(samples, "motcua_dossiers", status="processing") == 2


@pytest.mark.parametrize("address", ["203.0.113.9", "10.1.2.3", "::ffff:8.8.8.8", "2001:db8::1"])
def test_other_addresses_cannot_read_the_metrics(client, db, address):
    assert client.get("/metrics", REMOTE_ADDR=address).status_code == 404


def test_loopback_may_read_the_metrics_by_default(client, db):
    for address in ("127.0.0.1", "::1"):
        assert client.get("/metrics", REMOTE_ADDR=address).status_code == 200


def test_an_allowed_network_may_read_the_metrics(client, db, settings):
    settings.METRICS_ALLOWED = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_behind_a_proxy_the_client_address_decides_not_the_proxys(client, db, settings):
    settings.NINJA_NUM_PROXIES = 1
    # nginx on loopback forwards an outsider: refused, though the connection comes from 127.0.0.1.
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404
    # A forged first hop does not help: the proxy appends the address it saw.
    assert client.get(
        "/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.9"
    ).status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 200


SERVER_PROCESS = textwrap.dedent(
    """
    import os, django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    django.setup()
    from django.test import Client
    client = Client()
    for _ in range(3):
        assert client.get("/khong-co-trang-nay/").status_code == 404
    """
)


def test_one_scrape_adds_up_every_server_process(client, db, tmp_path, monkeypatch, settings):
    """As under gunicorn (motcua/gunicorn_conf.py): two processes count into the multiprocess
    directory and /metrics, served by a third, reports their sum."""
    from prometheus_client import values

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    settings.METRICS_MULTIPROC_DIR = tmp_path
    # This process is the third: what prometheus_client chooses at import when gunicorn_conf
    # has set the directory (the module was imported here before the test set it).
    monkeypatch.setattr(values, "ValueClass", values.MultiProcessValue())
    for _ in range(2):
        subprocess.run([sys.executable, "-c", SERVER_PROCESS], check=True, timeout=120)
    assert len(list(tmp_path.glob("counter_*.db"))) == 2
    samples = scrape(client)
    assert value(samples, "django_http_responses_total_by_status_total", status="404") == 6
    assert ("motcua_dossiers", frozenset({("status", "received")})) in samples
