"""``python -m bench soak``: mixed traffic against ``motcua serve`` for ``BENCH_SOAK_SECONDS`` (600).

``BENCH_SOAK_CLIENTS`` (8) client threads, each drawing one operation at a time by weight:

* ``search``  — ``GET /api/v1/procedures?q=…`` (anyone);
* ``track``   — ``GET /api/v1/public/track/{code}`` of a dossier made during the soak;
* ``intake``  — ``POST /api/v1/dossiers`` by the counter officer (direct intake);
* ``action``  — the next step of a dossier: assign (counter) → propose (specialist) →
  approve (leader) → return_result (counter), each by its own role's token;
* ``upload``  — ``POST /api/v1/dossiers/{code}/documents``, a small PDF (multipart);
* ``queue``   — ``GET /api/v1/dossiers?status=…`` (the officer's list);
* ``report``  — ``GET /api/v1/reports/tthc`` for the commune (the leader).

Errors are any answer other than the expected one (5xx, 4xx, a refused connection); the goal
is 0. It prints p50/p95/p99 per route and the resident memory (RSS) of the server's whole
process tree — gunicorn's master and workers and the background worker — at the start
(after a warm-up) and at the end, with a sample every tenth of the run.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import random
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

SECONDS = float(os.environ.get("BENCH_SOAK_SECONDS", "600"))
CLIENTS = int(os.environ.get("BENCH_SOAK_CLIENTS", "8"))
WEIGHTS = {"search": 25, "track": 25, "intake": 12, "action": 15, "upload": 8, "queue": 10, "report": 5}
PASSWORD = "motcua-demo"  # the demo accounts of seed-demo
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
QUERIES = ["dang ky khai sinh", "chung thuc", "ho kinh doanh", "đất đai", "xac nhan", "ket hon"]
NEXT = {  # status → (role, body) of the next step
    "received": ("counter", {"action": "assign", "assignee": "chuyenvien.yt"}),
    "processing": ("specialist", {"action": "propose", "note": "Đủ điều kiện"}),
    "awaiting_approval": ("leader", {"action": "approve"}),
    "approved": ("counter", {"action": "return_result"}),
}


def tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and every process below it, in kB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return total


class Client:
    """One keep-alive connection per thread."""

    def __init__(self, port: int):
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn = None  # an idle keep-alive connection closed by the server: once more
                if attempt == 2:
                    raise
            except (http.client.HTTPException, OSError):
                self.conn = None
                raise
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, payload=None, token: str | None = None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        status, data = self.send(method, path, json.dumps(payload).encode() if payload is not None else None, headers)
        return status, data

    def upload(self, path: str, token: str, content: bytes, name: str):
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: application/pdf\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.send("POST", path, body, {"Authorization": f"Bearer {token}",
                                              "Content-Type": f"multipart/form-data; boundary={boundary}"})


class Soak:
    def __init__(self, port: int, server_pid: int, seconds: float = SECONDS, clients: int = CLIENTS):
        self.port, self.server_pid, self.seconds, self.clients = port, server_pid, seconds, clients
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.first_errors: list[str] = []
        self.codes: list[str] = []  # every dossier made, for tracking and uploads
        self.stage: dict[str, list[str]] = {s: [] for s in NEXT}  # dossiers waiting for their next step
        self.tokens: dict[str, str] = {}
        self.rss: list[tuple[float, int]] = []
        today = dt.date.today()
        self.report_path = (f"/api/v1/reports/tthc?unit=YB.LY.YT&from={today.replace(day=1).isoformat()}"
                            f"&to={today.isoformat()}")

    # ------------------------------------------------------------------ set-up
    def login(self) -> None:
        client = Client(self.port)
        for role, username in (("counter", "motcua.yt"), ("specialist", "chuyenvien.yt"), ("leader", "lanhdao.yt")):
            status, data = client.json("POST", "/api/v1/auth/token", {"username": username, "password": PASSWORD})
            if status != 200:
                raise RuntimeError(f"token for {username}: {status} {data[:200]!r}")
            self.tokens[role] = json.loads(data)["token"]

    # ------------------------------------------------------------------ operations
    def op_search(self, c: Client, rng: random.Random):
        from urllib.parse import quote

        return c.json("GET", f"/api/v1/procedures?q={quote(rng.choice(QUERIES))}"), 200

    def op_track(self, c: Client, rng: random.Random):
        with self.lock:
            code = rng.choice(self.codes) if self.codes else None
        if code is None:
            return self.op_intake(c, rng)
        return c.json("GET", f"/api/v1/public/track/{code}"), 200

    def op_intake(self, c: Client, rng: random.Random):
        n = rng.randrange(10**11)
        body = {"procedure": "1.004873", "unit": "YB.LY.YT", "channel": "direct",
                "applicant": {"full_name": "Người nộp thử tải", "id_number": f"0{n:011d}", "phone": "0912345678"}}
        status, data = c.json("POST", "/api/v1/dossiers", body, self.tokens["counter"])
        if status == 201:
            answer = json.loads(data)
            with self.lock:
                self.codes.append(answer["code"])
                self.stage.setdefault(answer["status"], []).append(answer["code"])
        return (status, data), 201

    def op_action(self, c: Client, rng: random.Random):
        with self.lock:
            ready = [s for s in NEXT if self.stage.get(s)]
            if not ready:
                picked = None
            else:
                status_now = rng.choice(ready)
                picked = (status_now, self.stage[status_now].pop(rng.randrange(len(self.stage[status_now]))))
        if picked is None:
            return self.op_intake(c, rng)
        status_now, code = picked
        role, body = NEXT[status_now]
        status, data = c.json("POST", f"/api/v1/dossiers/{code}/actions", body, self.tokens[role])
        if status == 200:
            after = json.loads(data)["status"]
            if after in NEXT:
                with self.lock:
                    self.stage[after].append(code)
        return (status, data), 200

    def op_upload(self, c: Client, rng: random.Random):
        with self.lock:
            code = rng.choice(self.codes[-200:]) if self.codes else None
        if code is None:
            return self.op_intake(c, rng)
        content = PDF + os.urandom(rng.randrange(1_000, 60_000))
        return c.upload(f"/api/v1/dossiers/{code}/documents", self.tokens["counter"], content, "to-khai.pdf"), 201

    def op_queue(self, c: Client, rng: random.Random):
        status = rng.choice(["received", "processing", "awaiting_approval"])
        return c.json("GET", f"/api/v1/dossiers?status={status}", token=self.tokens["counter"]), 200

    def op_report(self, c: Client, rng: random.Random):
        return c.json("GET", self.report_path, token=self.tokens["leader"]), 200

    # ------------------------------------------------------------------ the run
    def worker(self, k: int, stop_at: float, record: threading.Event) -> None:
        rng = random.Random(k)
        client = Client(self.port)
        names, weights = list(WEIGHTS), list(WEIGHTS.values())
        while time.monotonic() < stop_at:
            route = rng.choices(names, weights)[0]
            t0 = time.perf_counter()
            try:
                (status, data), expected = getattr(self, f"op_{route}")(client, rng)
                problem = None if status == expected else f"{route}: {status} {data[:160]!r}"
            except (OSError, http.client.HTTPException) as exc:
                problem = f"{route}: {type(exc).__name__} {exc}"
            elapsed = (time.perf_counter() - t0) * 1000
            if not record.is_set():
                continue
            with self.lock:
                self.times[route].append(elapsed)
                if problem:
                    self.errors[route] += 1
                    if len(self.first_errors) < 5:
                        self.first_errors.append(problem)

    def run(self) -> dict:
        self.login()
        record = threading.Event()
        warmup = min(20.0, self.seconds / 10)
        stop_at = time.monotonic() + warmup + self.seconds
        threads = [threading.Thread(target=self.worker, args=(k, stop_at, record), daemon=True)
                   for k in range(self.clients)]
        for t in threads:
            t.start()
        time.sleep(warmup)  # every worker process and thread has its connection, caches are warm
        record.set()
        started = time.monotonic()
        self.rss.append((0.0, tree_rss_kb(self.server_pid)))
        step = self.seconds / 10
        while time.monotonic() < stop_at:
            time.sleep(min(step, max(0.0, stop_at - time.monotonic())))
            self.rss.append((time.monotonic() - started, tree_rss_kb(self.server_pid)))
        for t in threads:
            t.join(timeout=120)
        elapsed = time.monotonic() - started
        return self.summary(elapsed)

    def summary(self, elapsed: float) -> dict:
        from bench.__main__ import pct

        routes = {}
        for route in WEIGHTS:
            values = self.times.get(route, [])
            routes[route] = {"n": len(values), "errors": self.errors.get(route, 0),
                             "p50": pct(values, 50), "p95": pct(values, 95), "p99": pct(values, 99)}
        total = sum(r["n"] for r in routes.values())
        return {"soak_seconds": elapsed, "soak_clients": self.clients, "soak_requests": total,
                "soak_per_s": total / elapsed if elapsed else 0.0, "soak_errors": sum(self.errors.values()),
                "soak_routes": routes, "soak_rss_start_mb": self.rss[0][1] / 1024, "soak_rss_end_mb": self.rss[-1][1] / 1024,
                "soak_rss_samples_mb": [round(kb / 1024, 1) for _, kb in self.rss],
                "soak_dossiers": len(self.codes), "soak_first_errors": self.first_errors}


def print_summary(r: dict) -> None:
    print(f"   soak: {r['soak_seconds']:.0f} s, {r['soak_clients']} clients, {r['soak_requests']} requests "
          f"({r['soak_per_s']:.1f}/s), {r['soak_dossiers']} dossiers made, errors: {r['soak_errors']}", flush=True)
    print("   | route | requests | errors | p50 ms | p95 ms | p99 ms |", flush=True)
    for route, v in r["soak_routes"].items():
        print(f"   | {route} | {v['n']} | {v['errors']} | {v['p50']:.1f} | {v['p95']:.1f} | {v['p99']:.1f} |", flush=True)
    print(f"   server RSS (gunicorn master + workers + task worker): start {r['soak_rss_start_mb']:.1f} MB, "
          f"end {r['soak_rss_end_mb']:.1f} MB; samples {r['soak_rss_samples_mb']}", flush=True)
    for line in r["soak_first_errors"]:
        print(f"   error: {line}", flush=True)
