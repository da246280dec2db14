"""``python -m bench floor``: Motcua's intake and public tracking against the floor app's
(``bench/floor``), in one run, on the same backend, served the same way (gunicorn, the same
workers × threads, ``--preload``), with the same load generator (``bench.__main__.Intake``).

Intake: ``INTAKE_CLIENTS`` (16) concurrent clients, 2 s of warm-up, then three rounds of
``BENCH_INTAKE_SECONDS``/3, the two servers taking turns round by round (so a change in the
shared machine's load falls on both). Tracking: ``BENCH_TRACK_CLIENTS`` (4) connections, each
``GET /api/v1/public/track/{code}`` of the dossiers just received, for ``BENCH_TRACK_SECONDS``
(10) per server, again taking turns in two halves; p50/p99 and requests/s. The machine's load
average (1 min) is printed beside each figure. Goals: intake ≥ 0.5 of the floor, tracking
p99 < 30 ms.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import statistics
import subprocess
import threading
import time

from bench.__main__ import INTAKE_CLIENTS, INTAKE_ROUNDS, INTAKE_SECONDS, PY, ROOT, Intake, free_port, pct, request

TRACK_SECONDS = float(os.environ.get("BENCH_TRACK_SECONDS", "10"))
TRACK_CLIENTS = int(os.environ.get("BENCH_TRACK_CLIENTS", "4"))
FLOOR_TOKEN = "bench-floor-token-0123456789abcdef"


def load() -> float:
    return os.getloadavg()[0]


class Floor:
    """The floor app on its own database (a file beside Motcua's, or ``<database>_floor``)."""

    def __init__(self, motcua_env: dict):
        self.env = {k: v for k, v in motcua_env.items() if not k.startswith("DJANGO_")}
        if "DATABASE_URL" in motcua_env:
            self.base, self.dbname = motcua_env["DATABASE_URL"].rsplit("/", 1)
            self.dbname += "_floor"
            self.env["BENCH_FLOOR_DB"] = f"{self.base}/{self.dbname}"
        else:
            self.base = None
            self.env["BENCH_FLOOR_DB"] = str(ROOT / "var" / "bench-floor" / "floor.sqlite3")
        self.env["DJANGO_SETTINGS_MODULE"] = "bench.floor.settings"
        self.port = free_port()
        self.tokens = {"counter": FLOOR_TOKEN}  # what bench.__main__.counter_token hands the Intake
        self.server: subprocess.Popen | None = None

    def reset(self) -> None:
        if self.base:
            for sql in (f"DROP DATABASE IF EXISTS {self.dbname}", f"CREATE DATABASE {self.dbname}"):
                subprocess.run(["psql", self.base + "/postgres", "-q", "-c", sql], check=True)
        else:
            shutil.rmtree(ROOT / "var" / "bench-floor", ignore_errors=True)
            (ROOT / "var" / "bench-floor").mkdir(parents=True)
        for args in (["migrate", "--run-syncdb", "-v0"], ["seed", FLOOR_TOKEN]):
            subprocess.run([PY, "-m", "bench.floor.manage", *args], env=self.env, cwd=ROOT, check=True)

    def start(self) -> None:
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(PY)) or "gunicorn"
        self.server = subprocess.Popen(
            [gunicorn, "bench.floor.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", os.environ.get("BENCH_WORKERS", "3"), "--threads", os.environ.get("MOTCUA_THREADS", "4"),
             "--timeout", "60", "--graceful-timeout", "10", "--preload", "--no-control-socket"],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if request(self.port, "GET", "/api/v1/public/track/none")[0] == 404:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the floor's server did not start")

    def stop(self) -> None:
        if self.server:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(timeout=20)
            self.server = None


def track_round(port: int, codes: list[str], seconds: float) -> tuple[list[float], float]:
    """``TRACK_CLIENTS`` connections tracking random codes for ``seconds``: latencies (ms), requests/s."""
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker(k: int):
        rng = random.Random(k)
        mine = []
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            status, data = request(port, "GET", f"/api/v1/public/track/{rng.choice(codes)}")
            mine.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                errors.append(f"{status} {data[:120]!r}")
        with lock:
            times.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(TRACK_CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"tracking: {len(errors)} errors, first {errors[0]}")
    return times, len(times) / (time.perf_counter() - started)


def bench_floor(b) -> dict:
    """Motcua (``b``, started) against the floor on the same backend; returns the figures."""
    floor = Floor(b.env)
    floor.reset()
    floor.start()
    try:
        sides = {"motcua": Intake(b), "floor": Intake(floor)}
        for intake in sides.values():
            intake.round(2, 1)  # warm-up: every worker thread opens its connection
        rates: dict[str, list[float]] = {"motcua": [], "floor": []}
        loads: list[float] = []
        for round_ in range(INTAKE_ROUNDS):
            for name, intake in sides.items():
                rates[name].append(intake.round(INTAKE_SECONDS / INTAKE_ROUNDS, round_ + 2)[0])
                loads.append(load())
        out: dict = {"floor_load_intake": statistics.mean(loads)}
        for name, intake in sides.items():
            out[f"{name}_intake_per_s"] = statistics.median(rates[name])
            out[f"{name}_intake_errors"] = len(intake.errors)
            out[f"{name}_intake_gapless"] = intake.gapless()
            if intake.errors:
                print(f"   {name} intake, first error: {intake.errors[0]}", flush=True)
        out["intake_ratio"] = out["motcua_intake_per_s"] / out["floor_intake_per_s"]
        print(f"   intake, {INTAKE_CLIENTS} clients: Motcua {out['motcua_intake_per_s']:.0f}/s "
              f"({' '.join(f'{x:.0f}' for x in rates['motcua'])}), floor {out['floor_intake_per_s']:.0f}/s "
              f"({' '.join(f'{x:.0f}' for x in rates['floor'])}); ratio {out['intake_ratio']:.2f} (goal ≥ 0.5); "
              f"errors {out['motcua_intake_errors']}/{out['floor_intake_errors']}, gapless "
              f"{out['motcua_intake_gapless']}/{out['floor_intake_gapless']}; load average {out['floor_load_intake']:.1f}",
              flush=True)

        ports = {"motcua": b.port, "floor": floor.port}
        times: dict[str, list[float]] = {"motcua": [], "floor": []}
        rps: dict[str, list[float]] = {"motcua": [], "floor": []}
        loads = []
        for name in ports:  # warm-up
            track_round(ports[name], sides[name].codes, 1)
        for _half in range(2):
            for name, port in ports.items():
                t, r = track_round(port, sides[name].codes, TRACK_SECONDS / 2)
                times[name] += t
                rps[name].append(r)
                loads.append(load())
        out["floor_load_track"] = statistics.mean(loads)
        for name in ports:
            out[f"{name}_track_p50_ms"] = statistics.median(times[name])
            out[f"{name}_track_p99_ms"] = pct(times[name], 99)
            out[f"{name}_track_per_s"] = statistics.mean(rps[name])
        out["track_ratio"] = out["motcua_track_per_s"] / out["floor_track_per_s"]
        print(f"   public tracking, {TRACK_CLIENTS} connections: Motcua p50 {out['motcua_track_p50_ms']:.1f} ms, "
              f"p99 {out['motcua_track_p99_ms']:.1f} ms (goal < 30), {out['motcua_track_per_s']:.0f}/s; floor p50 "
              f"{out['floor_track_p50_ms']:.1f} ms, p99 {out['floor_track_p99_ms']:.1f} ms, "
              f"{out['floor_track_per_s']:.0f}/s; ratio {out['track_ratio']:.2f}; load average {out['floor_load_track']:.1f}",
              flush=True)
        return out
    finally:
        floor.stop()
