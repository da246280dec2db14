"""``python -m bench throttles``: what the throttles cost, by the store they count in
(docs/operators/throttles.md; issue 21 §1).

For each store — ``off`` (no throttle: the other benches' setting), ``database`` (Django's
``DatabaseCache``, table ``motcua_cache``: the default) and ``redis`` (``MOTCUA_CACHE_URL``, a
``redis-server`` this bench starts on loopback and stops; skipped when there is none on the
PATH) — ``motcua serve`` is started with ``MOTCUA_RATE_TRACK`` and ``MOTCUA_RATE_INTAKE`` at
``1000000/min``: every request is counted, none is refused. Then:

* **tracking alone**: ``BENCH_TRACK_CLIENTS`` (4) connections tracking for ``BENCH_TRACK_SECONDS`` (10);
* **mixed**: the same tracking while ``BENCH_INTAKE_CLIENTS`` (16) clients file dossiers, for
  as long: on SQLite a counted tracking request writes, and waits for the intakes' write lock.

Printed: tracking p50/p99 and requests/s in each, and the intake rate of the mixed round,
with the machine's load average. The stores take turns in two passes (off, database, redis,
then again), so a change of the shared machine's load falls on all of them.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import threading
import time

from bench.__main__ import INTAKE_CLIENTS, Intake, free_port, pct
from bench.floor.run import TRACK_CLIENTS, TRACK_SECONDS, load, track_round

COUNTED = "1000000/min"


class Redis:
    """A ``redis-server`` of this bench's own on loopback: no persistence, stopped at the end."""

    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> str | None:
        binary = shutil.which("redis-server")
        if binary is None:
            return None
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        import socket

        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return f"redis://127.0.0.1:{self.port}/0"
            except OSError:
                time.sleep(0.1)
        self.stop()
        return None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
            self.process = None


def _mixed(b, intake: Intake, codes: list[str], seconds: float) -> tuple[list[float], float, float]:
    """Tracking while intake runs: tracking latencies, tracking requests/s, dossiers/s."""
    rate: list[float] = []
    t = threading.Thread(target=lambda: rate.append(intake.round(seconds, 7)[0]))
    t.start()
    times, rps = track_round(b.port, codes, seconds)
    t.join()
    return times, rps, rate[0]


def bench_throttles(b) -> dict:
    """``b`` started with the throttles off; restarted once per store, stopped at the end as found."""
    redis = Redis()
    stores = {"off": None, "database": ""}
    url = redis.start()
    if url:
        stores["redis"] = url
    else:
        print("   no redis-server on this machine: the database cache only", flush=True)
    original = {k: b.env.get(k) for k in ("MOTCUA_RATE_TRACK", "MOTCUA_RATE_INTAKE", "MOTCUA_CACHE_URL")}
    seed = Intake(b)
    seed.round(2, 5)  # dossiers to track
    codes = list(seed.codes)
    figures: dict[str, dict[str, list]] = {s: {"alone": [], "mixed": [], "rps": [], "mixed_rps": [], "intake": [],
                                               "load": []} for s in stores}
    try:
        for _pass in range(2):
            for store, cache_url in stores.items():
                b.stop()
                if cache_url is None:
                    b.env["MOTCUA_RATE_TRACK"] = b.env["MOTCUA_RATE_INTAKE"] = "off"
                    b.env.pop("MOTCUA_CACHE_URL", None)
                else:
                    b.env["MOTCUA_RATE_TRACK"] = b.env["MOTCUA_RATE_INTAKE"] = COUNTED
                    if cache_url:
                        b.env["MOTCUA_CACHE_URL"] = cache_url
                    else:
                        b.env.pop("MOTCUA_CACHE_URL", None)
                b.start()
                track_round(b.port, codes, 1)  # warm-up: every thread's connection
                intake = Intake(b)
                intake.round(1, 6)
                f = figures[store]
                times, rps = track_round(b.port, codes, TRACK_SECONDS / 2)
                f["alone"] += times
                f["rps"].append(rps)
                times, rps, rate = _mixed(b, intake, codes, TRACK_SECONDS / 2)
                f["mixed"] += times
                f["mixed_rps"].append(rps)
                f["intake"].append(rate)
                f["load"].append(load())
                if intake.errors:
                    print(f"   {store}: intake errors {len(intake.errors)}, first {intake.errors[0]}", flush=True)
    finally:
        b.stop()
        redis.stop()
        for k, v in original.items():
            if v is None:
                b.env.pop(k, None)
            else:
                b.env[k] = v
        b.start()
    out: dict = {}
    for store, f in figures.items():
        out[f"throttle_{store}_track_p50_ms"] = statistics.median(f["alone"])
        out[f"throttle_{store}_track_p99_ms"] = pct(f["alone"], 99)
        out[f"throttle_{store}_track_per_s"] = statistics.mean(f["rps"])
        out[f"throttle_{store}_mixed_track_p50_ms"] = statistics.median(f["mixed"])
        out[f"throttle_{store}_mixed_track_p99_ms"] = pct(f["mixed"], 99)
        out[f"throttle_{store}_mixed_intake_per_s"] = statistics.mean(f["intake"])
        print(f"   throttles {store:>8}: tracking alone p50 {out[f'throttle_{store}_track_p50_ms']:.1f} / p99 "
              f"{out[f'throttle_{store}_track_p99_ms']:.1f} ms, {out[f'throttle_{store}_track_per_s']:.0f}/s; "
              f"with {INTAKE_CLIENTS} intake clients p50 {out[f'throttle_{store}_mixed_track_p50_ms']:.1f} / p99 "
              f"{out[f'throttle_{store}_mixed_track_p99_ms']:.1f} ms, intake "
              f"{out[f'throttle_{store}_mixed_intake_per_s']:.0f}/s; load average "
              f"{' '.join(f'{x:.1f}' for x in f['load'])} ({TRACK_CLIENTS} tracking connections)", flush=True)
    return out


def per_request_cost(n: int = 2000) -> None:
    """In this process (``MOTCUA_CACHE_URL`` as the environment says): ``n`` counted requests
    from 50 addresses through ``operations.throttles.wait_seconds``, as a tracking request pays
    them: mean wall and CPU time a request, and the statements the database ran."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.operations.rates import parse_rate
    from motcua.operations.throttles import wait_seconds

    rate = parse_rate(COUNTED)
    for i in range(200):
        wait_seconds("bench", f"203.0.113.{i % 50}", rate)
    with CaptureQueriesContext(connection) as queries:
        wait_seconds("bench", "203.0.113.1", rate)
    t, c = time.perf_counter(), time.process_time()
    for i in range(n):
        wait_seconds("bench", f"203.0.113.{i % 50}", rate)
    wall, cpu = (time.perf_counter() - t) / n * 1000, (time.process_time() - c) / n * 1000
    store = os.environ.get("MOTCUA_CACHE_URL") or "database"
    print(f"   {store.split(':')[0]:>8} ({connection.vendor}): {wall:.2f} ms wall, {cpu:.2f} ms CPU a counted request; "
          f"{len(queries.captured_queries)} database statements (load average {load():.1f})", flush=True)


if __name__ == "__main__":  # python -m bench.throttles [N]: per_request_cost in this environment
    import sys

    per_request_cost(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
