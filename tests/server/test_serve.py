"""``motcua serve`` runs gunicorn and the background worker beside it, and leaves nothing
behind when it is stopped (CONTRACT §1). Real processes on a free loopback port, SQLite in a
temporary data directory."""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def health(port: int) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return json.loads(response.read())
    except OSError:
        return None


@pytest.fixture
def start_serve(tmp_path, installation_copy):
    """``start_serve(*args, fresh=False)``: ``motcua serve`` over a copy of a migrated installation
    (tests/installations.py), or over an empty data directory (``fresh``: serve migrates it first)."""
    started = []

    def start(*args: str, fresh: bool = False) -> tuple[subprocess.Popen, int]:
        port = free_port()
        data = tmp_path / "data"
        if not fresh:
            installation_copy(data)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL", "DJANGO_"))}
        env.update(MOTCUA_DATA_DIR=str(data), MOTCUA_WORKERS="1", MOTCUA_THREADS="2")
        process = subprocess.Popen(
            [sys.executable, "-m", "motcua", "serve", "--port", str(port), *args],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        started.append(process)
        return process, port

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def wait_for(predicate, what: str, limit: float = 120.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"gave up waiting for {what}")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_runs_the_worker_beside_the_web_server_and_stops_both(start_serve, stop_signal):
    serve, port = start_serve()
    answer = wait_for(lambda: (h := health(port)) and h["worker"] == "ok" and h, "a live worker in /healthz")
    assert answer == {"status": "ok", "database": "ok", "worker": "ok"}
    children = descendants(serve.pid)
    commands = [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode() for pid in children]
    assert any("gunicorn" in c for c in commands) and any("motcua worker" in c for c in commands)

    serve.send_signal(stop_signal)
    serve.wait(timeout=60)
    assert serve.returncode == 0
    assert [pid for pid in children if alive(pid)] == []  # no orphan: gunicorn, its workers, the worker
    assert health(port) is None


def fetch(port: int, path: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


def test_serve_without_worker_reports_the_worker_stopped(start_serve):
    serve, port = start_serve("--no-worker", fresh=True)
    # an empty data directory: migrate and collectstatic first: a few seconds alone, minutes on a loaded machine
    answer = wait_for(lambda: health(port), "the web server", limit=300)
    assert answer == {"status": "ok", "database": "ok", "worker": "stopped"}

    # Issue 17 §4: serve collected the static files; pages name fingerprinted copies, served
    # gzip-compressed and cached for good; the page itself, for an anonymous visitor, gzipped.
    status, headers, body = fetch(port, "/", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip"
    page = gzip.decompress(body).decode()
    css = re.search(r'href="(/static/motcua/site\.[0-9a-f]{12}\.css)"', page)
    htmx = re.search(r'src="(/static/django_htmx/htmx-2\.min\.[0-9a-f]{12}\.js)"', page)
    assert css and htmx, page[:2000]
    for path in (css.group(1), htmx.group(1)):
        status, headers, body = fetch(port, path, **{"Accept-Encoding": "gzip"})
        assert headers.get("content-encoding") == "gzip", path
        assert "immutable" in headers["cache-control"], headers
        assert int(re.search(r"max-age=(\d+)", headers["cache-control"]).group(1)) >= 365 * 24 * 3600
        assert len(body) < len(gzip.decompress(body)) / 2
    children = descendants(serve.pid)
    assert not any(b"motcua worker" in Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ") for pid in children)
    serve.terminate()
    output = serve.communicate(timeout=60)[0]
    assert [pid for pid in children if alive(pid)] == []
    # Issue 17 §6: without MOTCUA_TRUSTED_PROXY it says plainly that a reverse proxy is required
    # (1 worker × 2 threads here: two slow clients are enough; bench/slow_clients.py measures it).
    assert "Cần một reverse proxy (nginx)" in output and "A reverse proxy (nginx) is required" in output
    assert "2 slow clients stall it" in output


def test_a_bad_port_is_a_one_line_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL"))}
    env["MOTCUA_DATA_DIR"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "motcua", "serve", "--port", "70000"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "70000" in result.stderr
