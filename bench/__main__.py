"""``make bench``: speed figures on SQLite and (when reachable) PostgreSQL.

Each backend gets a fresh database, the demo data, 2,000 generated procedures and a
production server (gunicorn via ``motcua serve``). Measured over HTTP on loopback with a
Python load generator on the same machine:

* catalog search ``GET /api/v1/procedures?q=…`` — median and p95 latency;
* intake ``POST /api/v1/dossiers`` — dossiers/s with concurrent clients, codes checked gapless;
* ``intake-notify``: the same intake with notifications on (e-mail to a real SMTP server on
  loopback, sent by the worker of ``motcua serve``) against off, and the delay from an
  intake to its e-mail at the SMTP server — median and p95;
* with 1,000,000 dossiers (``BENCH_DOSSIERS`` to change): public tracking and the dossier
  detail — p50/p99; the officer's queue paged — p50/p99;
* ``import``: ``motcua import-dossiers`` of a generated legacy export of 1,000,000 lines
  (``BENCH_IMPORT_LINES``) into the demo database — total time, lines/s, the process's peak RSS.

Never fails on speed: it prints figures (and writes ``bench/results/latest.md``).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
MOTCUA = [PY, "-m", "motcua"]
N_DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "1000000"))
N_PROCEDURES = int(os.environ.get("BENCH_PROCEDURES", "2000"))
INTAKE_SECONDS = float(os.environ.get("BENCH_INTAKE_SECONDS", "15"))
INTAKE_CLIENTS = int(os.environ.get("BENCH_INTAKE_CLIENTS", "16"))
INTAKE_ROUNDS = 3
NOTIFY_MESSAGES = int(os.environ.get("BENCH_NOTIFY_MESSAGES", "50"))
N_IMPORT = int(os.environ.get("BENCH_IMPORT_LINES", "1000000"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench")
QUERIES = ["dang ky khai sinh", "DANG KY KET HON", "chung thuc", "giay phep xay dung", "ho kinh doanh",
           "tro cap", "đất đai", "xac nhan", "nha o", "mai tang phi"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


class Backend:
    def __init__(self, name: str, database_url: str | None):
        self.name = name
        self.env = dict(os.environ)
        self.env["MOTCUA_DATA_DIR"] = str(ROOT / "var" / f"bench-{name}")
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.env["MOTCUA_LOG_LEVEL"] = "ERROR"
        # The benchmark measures the system, not its throttles (docs/operators/throttles.md).
        self.env["MOTCUA_RATE_TRACK"] = self.env["MOTCUA_RATE_INTAKE"] = "off"
        self.env["MOTCUA_ACCESS_LOG"] = "false"
        self.port = free_port()
        self.server: subprocess.Popen | None = None
        self.tokens: dict[str, str] = {}

    def run(self, *args: str, capture=False) -> str:
        out = subprocess.run([*args], env=self.env, cwd=ROOT, check=True, text=True,
                             stdout=subprocess.PIPE if capture else None)
        return out.stdout if capture else ""

    def reset(self) -> None:
        shutil.rmtree(self.env["MOTCUA_DATA_DIR"], ignore_errors=True)
        if "DATABASE_URL" in self.env:
            url = self.env["DATABASE_URL"]
            base, name = url.rsplit("/", 1)
            subprocess.run(["psql", base + "/postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {name}"], check=True)
            subprocess.run(["psql", base + "/postgres", "-q", "-c", f"CREATE DATABASE {name}"], check=True)
        self.run(*MOTCUA, "migrate", "-v0")
        self.run(*MOTCUA, "seed-demo")

    def start(self) -> None:
        self.server = subprocess.Popen(
            [*MOTCUA, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", os.environ.get("BENCH_WORKERS", "3")],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        # As long as a loaded machine needs (the first start migrates and collects static files).
        deadline = time.time() + 600
        while time.time() < deadline:
            try:
                status, _ = request(self.port, "GET", "/api/v1/units")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        if self.server:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(timeout=20)
            self.server = None


_local = threading.local()


def request(port: int, method: str, path: str, body=None, token: str | None = None):
    try:
        return _request(port, method, path, body, token)
    except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
        # The server closed an idle keep-alive connection: reconnect once.
        return _request(port, method, path, body, token)


def _request(port: int, method: str, path: str, body=None, token: str | None = None):
    conn = getattr(_local, "conn", None)
    if conn is None or getattr(_local, "port", None) != port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        _local.conn, _local.port = conn, port
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        data = response.read()
    except (http.client.HTTPException, OSError):
        _local.conn = None
        raise
    return response.status, data


def timed(port: int, paths: list[str], token: str | None = None) -> list[float]:
    times = []
    for path in paths:
        t0 = time.perf_counter()
        status, _ = request(port, "GET", path, token=token)
        times.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            raise RuntimeError(f"GET {path} → {status}")
    return times


def token_for(backend: Backend, username: str, role: str, unit: str, password: str | None = None) -> str:
    args = [*MOTCUA, "create-user", username, "--role", role, "--unit", unit, "--print-token"]
    if password:
        args.append("--password-stdin")
    out = subprocess.run(args, env=backend.env, cwd=ROOT, check=True, text=True, input=(password or "") + "\n",
                         stdout=subprocess.PIPE).stdout
    return out.strip().splitlines()[-1]


class BrowserSession:
    """An officer logged in through the login page (session and CSRF cookies), for the HTML pages."""

    def __init__(self, port: int, username: str, password: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.get("/can-bo/dang-nhap/")
        form = f"username={username}&password={password}&csrfmiddlewaretoken={self.cookies['csrftoken']}&next="
        status, _ = self._send("POST", "/can-bo/dang-nhap/", form, {"Content-Type": "application/x-www-form-urlencoded",
                                                                  "Referer": f"http://127.0.0.1:{port}/"})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed ({status})")

    def _send(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def get(self, path: str):
        return self._send("GET", path)

    def timed(self, paths: list[str]) -> list[float]:
        times = []
        for path in paths:
            t0 = time.perf_counter()
            status, _ = self.get(path)
            times.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                raise RuntimeError(f"GET {path} → {status}")
        return times


def bench_search(b: Backend) -> dict:
    from urllib.parse import quote

    paths = [f"/api/v1/procedures?q={quote(q)}" for q in QUERIES]
    timed(b.port, paths)  # warm up
    times = timed(b.port, paths * 30)
    return {"search_p50_ms": statistics.median(times), "search_p95_ms": pct(times, 95), "search_n": len(times)}


def counter_token(b: Backend) -> str:
    """One counter officer's token per backend (the parts share it)."""
    if "counter" not in b.tokens:
        b.tokens["counter"] = token_for(b, "bench.counter", "counter", "YB.LY.YT")
    return b.tokens["counter"]


def quiet_applicant(k: int, i: int, round_: int) -> dict:
    """An applicant with a phone and no e-mail: nothing to notify (the notification hook does nothing)."""
    return {"full_name": f"Người nộp {k}-{i}", "id_number": f"{round_}{k:03d}{i:08d}", "phone": "0912345678"}


def notified_applicant(k: int, i: int, round_: int) -> dict:
    """An applicant with e-mail and phone: every intake queues a "received" e-mail for the worker."""
    return {**quiet_applicant(k, i, round_), "email": mailbox(f"on-{round_}-{k}-{i}")}


def mailbox(tag: str) -> str:
    return f"bench.{tag}@example.vn"


class Intake:
    """Concurrent intake through the API: rounds of ``INTAKE_CLIENTS`` clients for a while."""

    def __init__(self, b: Backend):
        self.b, self.token = b, counter_token(b)
        self.codes: list[str] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def post(self, applicant: dict) -> tuple[int, bytes]:
        body = {"procedure": "1.004873", "unit": "YB.LY.YT", "channel": "direct", "applicant": applicant}
        return request(self.b.port, "POST", "/api/v1/dossiers", body, self.token)

    def round(self, seconds: float, round_: int, applicant=quiet_applicant) -> tuple[float, int]:
        """Run one round; return its rate (dossiers/s) and how many dossiers it took in."""
        stop_at = time.perf_counter() + seconds
        before = len(self.codes)

        def worker(k: int):
            i = 0
            while time.perf_counter() < stop_at:
                i += 1
                status, data = self.post(applicant(k, i, round_))
                with self.lock:
                    if status == 201:
                        self.codes.append(json.loads(data)["code"])
                    else:
                        self.errors.append(f"{status} {data[:120]!r}")

        started = time.perf_counter()
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(INTAKE_CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        made = len(self.codes) - before
        return made / (time.perf_counter() - started), made

    def gapless(self) -> bool:
        """Every code unique, and each day's numbers one run without a hole (from this part's first)."""
        by_day: dict[str, list[int]] = {}
        for code in self.codes:
            prefix, seq = code.rsplit("-", 1)
            by_day.setdefault(prefix, []).append(int(seq))
        runs = all(sorted(v) == list(range(min(v), min(v) + len(v))) for v in by_day.values())
        return runs and len(set(self.codes)) == len(self.codes)


def bench_intake(b: Backend) -> dict:
    intake = Intake(b)
    intake.round(2, 1)  # warm-up: every worker thread opens its database connection
    rates = []
    for round_ in range(INTAKE_ROUNDS):  # a few rounds: a shared 2-core machine is noisy
        rates.append(intake.round(INTAKE_SECONDS / INTAKE_ROUNDS, round_ + 2)[0])
    errors = intake.errors
    return {"intake_per_s": statistics.median(rates), "intake_min_per_s": min(rates), "intake_max_per_s": max(rates),
            "intake_n": len(intake.codes), "intake_errors": len(errors),
            "intake_gapless": intake.gapless(), "intake_first_error": errors[0] if errors else ""}


class LoopbackSMTP:
    """A real SMTP server (aiosmtpd) on loopback, in this process: it notes when each
    recipient's message arrived (``time.perf_counter``, the load generator's clock)."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.arrived: dict[str, float] = {}
        self.cond = threading.Condition()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, ready_timeout=10)

    async def handle_DATA(self, server, session, envelope):
        now = time.perf_counter()
        with self.cond:
            for rcpt in envelope.rcpt_tos:
                self.arrived.setdefault(rcpt, now)
            self.cond.notify_all()
        return "250 OK queued"

    def wait_for(self, addresses, timeout: float) -> bool:
        """Wait until a message reached every one of ``addresses``; False on timeout."""
        deadline = time.perf_counter() + timeout
        with self.cond:
            while not all(a in self.arrived for a in addresses):
                left = deadline - time.perf_counter()
                if left <= 0:
                    return False
                self.cond.wait(left)
        return True

    def wait_for_count(self, prefix: str, count: int, timeout: float) -> bool:
        """Wait until ``count`` recipients starting with ``prefix`` got their message."""
        deadline = time.perf_counter() + timeout
        with self.cond:
            while sum(1 for a in self.arrived if a.startswith(prefix)) < count:
                left = deadline - time.perf_counter()
                if left <= 0:
                    return False
                self.cond.wait(min(left, 1))
        return True

    def start(self) -> str:
        self.controller.start()
        return f"smtp://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.controller.stop()


def bench_intake_notify(b: Backend, smtp: LoopbackSMTP) -> dict:
    """Intake with notifications on against off, on one server (``MOTCUA_EMAIL_URL`` at the
    loopback SMTP server, the worker of ``motcua serve`` running): rounds alternate between
    applicants without e-mail (off: no notification) and with e-mail and phone (on: one
    e-mail each, queued in the intake's transaction, sent by the worker). Then the delay from
    the intake's answer (its commit is just before) to the message at the SMTP server, over
    ``NOTIFY_MESSAGES`` intakes one at a time, once the burst's messages are all delivered
    (each after a random pause of up to the worker's 1 s polling interval: the worker goes
    back to sleep right after a delivery, so a fixed pause would meet it always at the same
    point of its sleep)."""
    import random

    with smtp.cond:
        smtp.arrived.clear()  # the same mailboxes serve each backend in turn
    intake = Intake(b)
    intake.round(2, 1)  # warm-up
    off, on, notified = [], [], 0
    for r in range(INTAKE_ROUNDS):
        seconds = INTAKE_SECONDS / INTAKE_ROUNDS
        off.append(intake.round(seconds, 2 + r)[0])
        rate, made = intake.round(seconds, 5 + r, notified_applicant)
        on.append(rate)
        notified += made
    burst_end = time.perf_counter()
    drained = smtp.wait_for_count("bench.on-", notified, 600)  # the on rounds' mailboxes
    drain_s = time.perf_counter() - burst_end

    rng = random.Random(9)
    delays = []
    for n in range(NOTIFY_MESSAGES):
        time.sleep(rng.random())  # 0–1 s: a whole polling interval, so the arrival is out of step with the worker
        address = mailbox(f"delay-{n}")
        status, data = intake.post({**quiet_applicant(0, n, 9), "email": address})
        answered = time.perf_counter()
        if status != 201:
            intake.errors.append(f"{status} {data[:120]!r}")
            continue
        intake.codes.append(json.loads(data)["code"])
        if smtp.wait_for([address], 60):
            delays.append((smtp.arrived[address] - answered) * 1000)
    errors = intake.errors
    return {"notify_off_per_s": statistics.median(off), "notify_on_per_s": statistics.median(on),
            "notify_off_rounds": " ".join(f"{x:.0f}" for x in off), "notify_on_rounds": " ".join(f"{x:.0f}" for x in on),
            "notify_burst_messages": notified, "notify_burst_delivered": drained, "notify_drain_s": drain_s,
            "notify_delay_p50_ms": statistics.median(delays) if delays else float("nan"),
            "notify_delay_p95_ms": pct(delays, 95), "notify_delay_max_ms": max(delays, default=float("nan")),
            "notify_delay_n": len(delays), "notify_errors": len(errors), "notify_gapless": intake.gapless(),
            "notify_first_error": errors[0] if errors else ""}


PGBENCH_INTAKE = """\\set n random(1, 1000000000)
BEGIN;
INSERT INTO dossiers_dossiersequence (unit_id, day, last) VALUES (1, '2099-01-01', 1)
  ON CONFLICT (unit_id, day) DO UPDATE SET last = dossiers_dossiersequence.last + 1;
INSERT INTO bench_baseline (code, payload) VALUES ('x' || :n, repeat('x', 400));
INSERT INTO bench_baseline (code, payload) VALUES ('y' || :n, repeat('y', 300));
COMMIT;
"""


def bench_pg_baseline(b: Backend) -> dict:
    """What PostgreSQL alone does on this machine: the intake's write transaction (the
    sequence upsert and two row inserts) from 16 pgbench clients, no Python."""
    pgbench = shutil.which("pgbench")
    if not pgbench or "DATABASE_URL" not in b.env:
        return {}
    url = b.env["DATABASE_URL"]
    subprocess.run(["psql", url, "-q", "-c", "CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial primary key, "
                    "code text, payload text)"], check=True)
    script = ROOT / "var" / "pgbench-intake.sql"
    script.write_text(PGBENCH_INTAKE)
    out = subprocess.run([pgbench, "-n", "-f", str(script), "-c", str(INTAKE_CLIENTS), "-j", "2", "-T", "5", url],
                         check=True, text=True, capture_output=True).stdout
    tps = next((float(line.split("=")[1].split()[0]) for line in out.splitlines() if line.startswith("tps")), float("nan"))
    subprocess.run(["psql", url, "-q", "-c", "DROP TABLE bench_baseline; DELETE FROM dossiers_dossiersequence "
                    "WHERE day = '2099-01-01'"], check=True)
    return {"pg_baseline_tps": tps}


def bench_large(b: Backend) -> dict:
    t0 = time.perf_counter()
    b.run(PY, "-m", "bench.generate", "dossiers", str(N_DOSSIERS))
    gen_s = time.perf_counter() - t0
    password = "bench-password-123"
    token = token_for(b, "bench.leader", "leader", "YB.LY.MX", password)
    import random

    rng = random.Random(7)
    codes = [f"BYB.LY.MX-{rng.randint(1, N_DOSSIERS // 4):07d}" for _ in range(300)]
    timed(b.port, [f"/api/v1/public/track/{c}" for c in codes[:20]])  # warm-up
    track = timed(b.port, [f"/api/v1/public/track/{c}" for c in codes])
    detail = timed(b.port, [f"/api/v1/dossiers/{c}" for c in codes[:200]], token)
    queue_paths = [f"/api/v1/dossiers?status=processing&page={rng.randint(1, 50)}" for _ in range(100)]
    queue = timed(b.port, queue_paths, token)
    officer = BrowserSession(b.port, "bench.leader", password)
    officer.timed(["/can-bo/", f"/can-bo/ho-so/{codes[0]}/"])  # warm-up
    page = officer.timed([f"/can-bo/ho-so/{c}/" for c in codes[:200]])
    slugs = ["cho-phe-duyet", "moi", "sap-den-han", "qua-han", "tat-ca"]
    queue_html = officer.timed([  # "due soon" holds few generated dossiers: its first page only
        f"/can-bo/?hang={slug}&page={1 if slug == 'sap-den-han' else rng.randint(1, 20)}"
        for slug in (rng.choice(slugs) for _ in range(100))])
    return {"generated": N_DOSSIERS, "generate_s": gen_s,
            "track_p50_ms": statistics.median(track), "track_p99_ms": pct(track, 99),
            "detail_p50_ms": statistics.median(detail), "detail_p99_ms": pct(detail, 99),
            "queue_p50_ms": statistics.median(queue), "queue_p99_ms": pct(queue, 99),
            "page_p50_ms": statistics.median(page), "page_p99_ms": pct(page, 99),
            "queue_html_p50_ms": statistics.median(queue_html), "queue_html_p99_ms": pct(queue_html, 99)}


def bench_import(b: Backend) -> dict:
    """``motcua import-dossiers`` of ``N_IMPORT`` generated lines (written once, reused by every
    backend) into the freshly seeded database: wall time and the import process's peak RSS."""
    path = ROOT / "var" / f"bench-import-{N_IMPORT}.jsonl"
    if not path.exists():
        b.run(PY, "-m", "bench.generate", "import-file", str(N_IMPORT), str(path))
    started = time.perf_counter()
    proc = subprocess.Popen([*MOTCUA, "import-dossiers", str(path)], env=b.env, cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"import-dossiers failed ({proc.returncode})")
    print(f"   {out.strip()}", flush=True)
    return {"import_lines": N_IMPORT, "import_s": seconds, "import_per_s": N_IMPORT / seconds,
            "import_rss_mb": usage.ru_maxrss / 1024}
def bench_backup(b: Backend, generated: bool) -> dict:
    """``motcua backup`` of the whole (1 M-dossier) database while the server runs, then
    ``motcua restore`` into an empty installation of the same kind (a new data folder, on
    PostgreSQL a new database); wall-clock seconds of each and the archive's size."""
    if not generated:
        b.run(PY, "-m", "bench.generate", "dossiers", str(N_DOSSIERS))
    archive = ROOT / "var" / f"bench-{b.name}-backup.tar"
    archive.unlink(missing_ok=True)
    t0 = time.perf_counter()
    b.run(*MOTCUA, "backup", str(archive), capture=True)
    backup_s = time.perf_counter() - t0
    size_mb = archive.stat().st_size / 1e6
    target = Backend(b.name + "-restored", None)
    shutil.rmtree(target.env["MOTCUA_DATA_DIR"], ignore_errors=True)
    database = None
    if "DATABASE_URL" in b.env:
        base, name = b.env["DATABASE_URL"].rsplit("/", 1)
        database = f"{name}_restored"
        for sql in (f"DROP DATABASE IF EXISTS {database}", f"CREATE DATABASE {database}"):
            subprocess.run(["psql", base + "/postgres", "-q", "-c", sql], check=True)
        target.env["DATABASE_URL"] = f"{base}/{database}"
    try:
        t0 = time.perf_counter()
        target.run(*MOTCUA, "restore", str(archive), capture=True)
        restore_s = time.perf_counter() - t0
    finally:
        archive.unlink(missing_ok=True)
        shutil.rmtree(target.env["MOTCUA_DATA_DIR"], ignore_errors=True)
        if database:
            subprocess.run(["psql", base + "/postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {database}"], check=True)
    return {"backup_s": backup_s, "restore_s": restore_s, "backup_mb": size_mb}


def pg_reachable() -> bool:
    return shutil.which("pg_isready") is not None and subprocess.run(
        ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode == 0


SIZES = {"100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
BENCH_SIZES = os.environ.get("BENCH_SIZES", "100k,1M")
REPORT_YEAR = int(os.environ.get("BENCH_REPORT_YEAR", str(time.localtime().tm_year - 1)))
LIVE_UP_TO = int(os.environ.get("BENCH_REPORT_LIVE_UP_TO", "1000000"))


def bench_report(b: Backend) -> dict:
    """The yearly TTHC report of a province, all its units, at each size of ``BENCH_SIZES``.

    Each size is its own province (ten communes, eight procedures, four years), all in one
    database, so each size is generated once; generated with bulk SQL with the report triggers
    off, then the per-day aggregates are rebuilt (``motcua report rebuild``'s code) and the
    triggers put back. The report time is the best of three in one process; up to
    ``BENCH_REPORT_LIVE_UP_TO`` dossiers, also the same figures counted from the dossiers
    (the conditions, as the report did before the aggregates)."""
    sizes = [s.strip() for s in BENCH_SIZES.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        raise SystemExit(f"unknown BENCH_SIZES {unknown}; choose from {', '.join(SIZES)}")
    out: dict = {}
    b.run(PY, "-m", "bench.generate", "triggers", "off")
    for size in sizes:
        t0 = time.perf_counter()
        b.run(PY, "-m", "bench.generate", "history", str(SIZES[size]), f"BR{size.upper()}")
        out[f"report_generate_s_{size}"] = time.perf_counter() - t0
    rebuilt = b.run(PY, "-m", "bench.generate", "triggers", "on", capture=True).split()
    out["report_rebuild_s"], out["report_rows"] = float(rebuilt[1]), int(rebuilt[2])
    print(f"   aggregates rebuilt in {out['report_rebuild_s']:.0f}s ({out['report_rows']:,} rows)", flush=True)
    for size in sizes:
        args = [PY, "-m", "bench.generate", "report-time", f"BR{size.upper()}", str(REPORT_YEAR)]
        if SIZES[size] <= LIVE_UP_TO:
            args.append("live")
        line = next(x for x in b.run(*args, capture=True).splitlines() if x.startswith("RESULT "))
        r = json.loads(line[len("RESULT "):])
        out[f"report_s_{size}"] = r["report_s"]
        out[f"report_live_s_{size}"] = r.get("live_s")
        print(f"   {size}: yearly report {REPORT_YEAR}, all units: {r['report_s'] * 1000:.0f} ms "
              f"(received {r['received']:,}, online {r['online_pct']} %, in time {r['on_time_pct']} %)"
              + (f"; counted from the dossiers: {r['live_s'] * 1000:.0f} ms" if r.get("live_s") else ""), flush=True)
    for small, large in zip(sizes, sizes[1:]):
        ratio = out[f"report_s_{large}"] / out[f"report_s_{small}"]
        out[f"report_ratio_{large}_{small}"] = ratio
        print(f"   report time {large} / {small}: {ratio:.2f}×", flush=True)
    # The officers' report (kiểm tra công vụ, GET /reports/officers) of the same provinces: five
    # stored steps per resolved dossier, ratings and surveys of some returned ones (bulk SQL), the
    # yearly report of every unit, best of 3.
    for size in sizes:
        b.run(PY, "-m", "bench.generate", "steps", f"BR{size.upper()}")
        line = next(x for x in b.run(PY, "-m", "bench.generate", "officers-time", f"BR{size.upper()}", str(REPORT_YEAR),
                                     capture=True).splitlines() if x.startswith("RESULT "))
        r = json.loads(line[len("RESULT "):])
        out[f"officers_s_{size}"] = r["officers_s"]
        print(f"   {size}: officers' report {REPORT_YEAR}, all units: {r['officers_s'] * 1000:.0f} ms "
              f"({r['officers']} officers, {r['handled']:,} dossiers handled, {r['surveyed']:,} of them surveyed)",
              flush=True)
    for small, large in zip(sizes, sizes[1:]):
        ratio = out[f"officers_s_{large}"] / out[f"officers_s_{small}"]
        out[f"officers_ratio_{large}_{small}"] = ratio
        print(f"   officers' report time {large} / {small}: {ratio:.2f}×", flush=True)
    return out


PARTS = ("search", "intake", "floor", "throttles", "intake-notify", "soak", "large", "backup", "import", "report", "national", "ocr", "signing")


def main(argv: list[str]) -> None:
    """``python -m bench [search] [intake] [floor] [throttles] [intake-notify] [soak] [large] [backup] [import] [report] [national] [ocr] [signing]`` (all by default);
    ``BENCH_BACKENDS=sqlite`` or ``postgresql`` to run one backend."""
    parts = [a for a in argv if a in PARTS] or list(PARTS)
    unknown = [a for a in argv if a not in PARTS]
    if unknown:
        raise SystemExit(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    wanted = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
    backends = [Backend("sqlite", None)] if "sqlite" in wanted else []
    if "postgresql" in wanted:
        if pg_reachable():
            backends.append(Backend("postgresql", PG_URL))
        else:
            print("!! PostgreSQL not reachable on 127.0.0.1:5432: PostgreSQL figures skipped")
    machine: dict = {}
    if "ocr" in parts:  # no database: once, before the backends
        from bench.ocr import bench_ocr

        print("== OCR (digitisation, no database)", flush=True)
        machine = bench_ocr()
        parts = [p for p in parts if p != "ocr"]
    if "signing" in parts:  # no served database: once, before the backends
        from bench.signing import bench_signing

        print("== signing and verifying a result (PAdES B-LT, loopback PKI)", flush=True)
        machine.update(bench_signing())
        parts = [p for p in parts if p != "signing"]
    if machine and not parts:
        report({}, machine)
        return
    smtp = LoopbackSMTP() if "intake-notify" in parts else None
    if smtp is not None:
        email_url = smtp.start()
        for b in backends:  # e-mail goes to the loopback server (only intake-notify's applicants have an address)
            b.env["MOTCUA_EMAIL_URL"] = email_url
    results: dict[str, dict] = {}
    for b in backends:
        r = {}
        if "report" in parts:  # its own database: one province per size
            print(f"== {b.name}: report ({BENCH_SIZES} dossiers)", flush=True)
            b.reset()
            r.update(bench_report(b))
            if all(p == "report" for p in parts):
                results[b.name] = r
                continue
        served = [p for p in parts if p not in ("import", "report")]
        print(f"== {b.name}: preparing (demo data{f' + {N_PROCEDURES} procedures' if served else ''})", flush=True)
        b.reset()
        if "import" in parts:  # first, into the fresh demo database
            r.update(bench_import(b))
            print(f"   import: {r['import_lines']:,} lines in {r['import_s']:.1f} s, {r['import_per_s']:.0f} lines/s, "
                  f"peak RSS {r['import_rss_mb']:.0f} MB", flush=True)
            if served:
                b.reset()
        if not served:
            results[b.name] = r
            continue
        b.run(PY, "-m", "bench.generate", "procedures", str(N_PROCEDURES))
        b.start()
        try:
            if "search" in parts:
                r.update(bench_search(b))
                print(f"   search: p50 {r['search_p50_ms']:.1f} ms, p95 {r['search_p95_ms']:.1f} ms", flush=True)
            if "intake" in parts:
                r.update(bench_intake(b))
                print(f"   intake: median {r['intake_per_s']:.0f}/s of {INTAKE_ROUNDS} rounds "
                      f"({r['intake_min_per_s']:.0f}–{r['intake_max_per_s']:.0f}); {r['intake_n']} dossiers, "
                      f"{r['intake_errors']} errors, gapless={r['intake_gapless']}", flush=True)
                if r["intake_first_error"]:
                    print(f"   first error: {r['intake_first_error']}", flush=True)
                r.update(bench_pg_baseline(b))
                if "pg_baseline_tps" in r:
                    print(f"   pgbench baseline (same writes, no Python): {r['pg_baseline_tps']:.0f} tx/s", flush=True)
            if "floor" in parts:  # Motcua against the floor app (bench/floor), in one run
                from bench.floor.run import bench_floor

                r.update(bench_floor(b))
            if "throttles" in parts:  # what the throttles cost, in the database cache and in Redis
                from bench.throttles import bench_throttles

                r.update(bench_throttles(b))
            if smtp is not None:
                r.update(bench_intake_notify(b, smtp))
                print(f"   intake, notifications off / on: median {r['notify_off_per_s']:.0f}/s / "
                      f"{r['notify_on_per_s']:.0f}/s (rounds: off {r['notify_off_rounds']}, on {r['notify_on_rounds']}); "
                      f"{r['notify_burst_messages']} e-mails of the on rounds "
                      f"{'all delivered' if r['notify_burst_delivered'] else 'NOT all delivered'} "
                      f"{r['notify_drain_s']:.1f} s after the last round; {r['notify_errors']} errors, "
                      f"gapless={r['notify_gapless']}", flush=True)
                print(f"   intake → e-mail at the SMTP server: p50 {r['notify_delay_p50_ms']:.0f} ms, "
                      f"p95 {r['notify_delay_p95_ms']:.0f} ms, max {r['notify_delay_max_ms']:.0f} ms "
                      f"over {r['notify_delay_n']} messages", flush=True)
                if r["notify_first_error"]:
                    print(f"   first error: {r['notify_first_error']}", flush=True)
            if "soak" in parts:
                from bench.soak import Soak, print_summary

                r.update(Soak(b.port, b.server.pid).run())
                print_summary(r)
            if "large" in parts:
                r.update(bench_large(b))
                print(f"   {N_DOSSIERS:,} dossiers generated in {r['generate_s']:.0f}s; track p99 {r['track_p99_ms']:.1f} ms, "
                      f"API detail p99 {r['detail_p99_ms']:.1f} ms, API queue p99 {r['queue_p99_ms']:.1f} ms, "
                      f"dossier page p99 {r['page_p99_ms']:.1f} ms, queue page p99 {r['queue_html_p99_ms']:.1f} ms",
                      flush=True)
            if "national" in parts:  # its own server run, with the national portal's simulator on
                from bench.national import bench_national

                r.update(bench_national(b))
            if "backup" in parts:
                r.update(bench_backup(b, generated="large" in parts))
                print(f"   motcua backup of {N_DOSSIERS:,} dossiers: {r['backup_s']:.0f} s ({r['backup_mb']:.0f} MB); "
                      f"motcua restore into an empty installation: {r['restore_s']:.0f} s", flush=True)
            results[b.name] = r
        finally:
            b.stop()
    if smtp is not None:
        smtp.stop()
    report(results, machine)


TARGETS = [
    ("search_p50_ms", "catalog search, median (ms)", "< 20"),
    ("search_p95_ms", "catalog search, p95 (ms)", ""),
    ("intake_per_s", "intake through the API, median of 3 rounds (dossiers/s)", "≥ 200 (PostgreSQL)"),
    ("intake_min_per_s", "intake, slowest round (dossiers/s)", ""),
    ("intake_gapless", "codes gapless under load", "True"),
    ("pg_baseline_tps", "pgbench: the same writes without Python (tx/s)", ""),
    ("floor_intake_per_s", "floor app (bench/floor): intake, {CLIENTS} clients (dossiers/s)", ""),
    ("motcua_intake_per_s", "Motcua: intake in the same run (dossiers/s)", ""),
    ("intake_ratio", "intake: Motcua / floor", "≥ 0.5"),
    ("floor_load_intake", "load average (1 min) during the intake rounds", ""),
    ("floor_track_p50_ms", "floor app: public tracking p50 (ms), {TRACK} connections", ""),
    ("floor_track_p99_ms", "floor app: public tracking p99 (ms)", ""),
    ("motcua_track_p50_ms", "Motcua: public tracking p50 (ms), same run", ""),
    ("motcua_track_p99_ms", "Motcua: public tracking p99 (ms), same run", "< 30"),
    ("track_ratio", "public tracking requests/s: Motcua / floor", ""),
    ("floor_load_track", "load average (1 min) during tracking", ""),
    ("notify_off_per_s", "intake, notifications off: applicants without e-mail (dossiers/s, median)", ""),
    ("notify_on_per_s", "intake, notifications on: e-mail to loopback SMTP, worker running (dossiers/s, median)", ""),
    ("notify_drain_s", "the on rounds' last e-mail delivered, after the last round (s)", ""),
    ("notify_delay_p50_ms", "intake → e-mail at the SMTP server, median (ms)", ""),
    ("notify_delay_p95_ms", "intake → e-mail at the SMTP server, p95 (ms)", ""),
    ("soak_errors", "soak: errors in mixed traffic ({SOAK} s)", "0"),
    ("soak_per_s", "soak: requests/s, all routes", ""),
    ("soak_rss_start_mb", "soak: server RSS at the start (MB)", ""),
    ("soak_rss_end_mb", "soak: server RSS at the end (MB)", "flat"),
    ("track_p50_ms", "public tracking p50 (ms), {SIZE} dossiers", ""),
    ("track_p99_ms", "public tracking p99 (ms), {SIZE} dossiers", "< 30"),
    ("detail_p50_ms", "dossier detail p50 (ms), {SIZE} dossiers", ""),
    ("detail_p99_ms", "dossier detail p99 (ms), {SIZE} dossiers", "< 30"),
    ("queue_p50_ms", "officer's queue via API p50 (ms), {SIZE} dossiers", ""),
    ("queue_p99_ms", "officer's queue via API p99 (ms), {SIZE} dossiers", "< 50"),
    ("page_p50_ms", "dossier page (HTML) p50 (ms), {SIZE} dossiers", ""),
    ("page_p99_ms", "dossier page (HTML) p99 (ms), {SIZE} dossiers", "< 30"),
    ("queue_html_p50_ms", "workbench queue page (HTML) p50 (ms), {SIZE} dossiers", ""),
    ("queue_html_p99_ms", "workbench queue page (HTML) p99 (ms), {SIZE} dossiers", "< 50"),
    ("import_s", "import-dossiers, {IMPORT} lines, total (s)", "< 120"),
    ("import_per_s", "import-dossiers (lines/s)", ""),
    ("import_rss_mb", "import-dossiers, peak RSS (MB)", "flat"),
    ("national_ack_p50_ms", "a dossier change → the national portal's acknowledgement, median (ms)", ""),
    ("national_ack_p95_ms", "a dossier change → the national portal's acknowledgement, p95 (ms)", ""),
    ("national_drain_s", "national outbox: a backlog of {BACKLOG} dossiers sent by the worker (s)", ""),
    ("national_drain_per_s", "national outbox drain (dossiers/s)", ""),
    ("national_inbound_p50_ms", "dossier from the national portal → the counter's queue, median (ms)", ""),
    ("national_inbound_p95_ms", "dossier from the national portal → the counter's queue, p95 (ms)", ""),
    ("national_inbound_post_p50_ms", "POST /national/dossiers answered (the dossier created), median (ms)", ""),
    ("backup_s", "motcua backup, {SIZE} dossiers, server running (s)", ""),
    ("backup_mb", "backup archive (MB)", ""),
    ("restore_s", "motcua restore into an empty installation (s)", ""),
    *[(f"report_s_{s}", f"yearly TTHC report, all units, {s} dossiers (s)", "< 1 PostgreSQL, < 3 SQLite") for s in SIZES],
    *[(f"report_live_s_{s}", f"the same counted from the dossiers (no aggregates), {s} (s)", "") for s in SIZES],
    ("report_ratio_10M_1M", "report time 10M / 1M", "≤ 1.5"),
    ("report_ratio_1M_100k", "report time 1M / 100k", ""),
    ("report_rebuild_s", "rebuilding the per-day aggregates of every size (s)", ""),
]


MACHINE_TARGETS = [  # figures of the machine, not of a database
    ("ocr_pages_per_min", "OCR: pages per minute (Tesseract vie, MOTCUA_OCR_JOBS at once)", ""),
    ("ocr_words_pct", "OCR: words recovered with their diacritics (%)", "≥ 95"),
    ("ocr_worst_page_pct", "OCR: words recovered, worst page (%)", "≥ 95"),
    ("sign_s", "signing one result, PAdES B-LT with TSA and OCSP/CRL on loopback, median (s)", ""),
    ("sign_worst_s", "signing one result, worst (s)", ""),
    ("verify_s", "verifying one result (revocation asked again), median (s)", ""),
    ("verify_worst_s", "verifying one result, worst (s)", ""),
]


def report(results: dict[str, dict], machine: dict | None = None) -> None:
    names = list(results)
    size = f"{N_DOSSIERS // 1_000_000}M" if N_DOSSIERS % 1_000_000 == 0 else f"{N_DOSSIERS:,}"
    lines = ["| figure | " + " | ".join(names) + " | goal |", "|---|" + "---|" * len(names) + "---|"]
    for key, label, goal in TARGETS:
        label = (label.replace("{SIZE}", size).replace("{IMPORT}", f"{N_IMPORT:,}")
                 .replace("{BACKLOG}", os.environ.get("BENCH_NATIONAL_BACKLOG", "10,000"))
                 .replace("{SOAK}", os.environ.get("BENCH_SOAK_SECONDS", "600"))
                 .replace("{CLIENTS}", str(INTAKE_CLIENTS)).replace("{TRACK}", os.environ.get("BENCH_TRACK_CLIENTS", "4")))
        if all(results[n].get(key) is None for n in names):
            continue
        cells = []
        for n in names:
            v = results[n].get(key)
            precise = key.startswith(("report_s", "report_live", "report_ratio")) or key.endswith("_ratio")
            cells.append(f"{v:.3f}" if isinstance(v, float) and precise else f"{v:.1f}" if isinstance(v, float)
                         else "–" if v is None else str(v))
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {goal} |")
    if len(names) == 2 and results[names[0]].get("intake_per_s"):
        ratio = results[names[1]]["intake_per_s"] / results[names[0]]["intake_per_s"]
        lines.append(f"\nIntake PostgreSQL / SQLite: {ratio:.2f}×")
    if machine:
        lines += ["", "| figure (no database) | value | goal |", "|---|---|---|"]
        lines += [f"| {label} | {machine[key]:.{2 if key.startswith(('sign', 'verify')) else 1}f} | {goal} |"
                  for key, label, goal in MACHINE_TARGETS if key in machine]
    if not names:
        lines = lines[2:] if machine else []
    text = "\n".join(lines)
    print("\n" + text)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(
        f"# make bench — {time.strftime('%Y-%m-%d %H:%M')}\n\n{os.cpu_count()} cores; "
        f"{N_PROCEDURES} procedures, {N_DOSSIERS:,} dossiers\n\n{text}\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
