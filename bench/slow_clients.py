"""Slow senders against ``motcua serve`` without a reverse proxy (issue 17 §6).

Starts ``motcua serve`` (gunicorn, as production runs it) on a fresh SQLite installation, measures
``GET /healthz`` one request at a time, then opens ``N`` connections that send a request's
headers one byte a second (a phone on a bad line, or an attacker), and measures ``GET /healthz``
again while they trickle. Prints the median and worst latency of each phase and how many
requests did not answer within the timeout.

    .venv/bin/python -m bench.slow_clients [N=8] [SECONDS=20] [THREADS]

``THREADS`` sets ``MOTCUA_THREADS`` (4 by default in production). Never fails on speed.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, timeout: float) -> float | None:
    start = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", "/healthz")
        conn.getresponse().read()
        conn.close()
    except OSError:
        return None
    return time.perf_counter() - start


def slow_sender(port: int, seconds: float, stop: threading.Event) -> None:
    request = (b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow-sender\r\n"
               + b"X-Padding: " + b"a" * 400 + b"\r\n\r\n")
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError:
        return
    end = time.monotonic() + seconds
    for byte in request:
        if stop.is_set() or time.monotonic() > end:
            break
        try:
            sock.send(bytes([byte]))
        except OSError:
            break
        time.sleep(1)
    sock.close()


def phase(port: int, count: int, timeout: float) -> tuple[list[float], int]:
    times, failed = [], 0
    for _ in range(count):
        took = get(port, timeout)
        if took is None:
            failed += 1
        else:
            times.append(took)
        time.sleep(0.5)
    return times, failed


def describe(name: str, times: list[float], failed: int, timeout: float) -> str:
    if not times:
        return f"{name}: no answer within {timeout:.0f} s ({failed} requests)"
    return (f"{name}: median {statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms, "
            f"{failed} of {len(times) + failed} without an answer within {timeout:.0f} s")


def main(argv: list[str]) -> None:
    senders = int(argv[0]) if argv else 8
    seconds = float(argv[1]) if len(argv) > 1 else 20
    threads = argv[2] if len(argv) > 2 else ""
    timeout = seconds + 15
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="motcua-bench-slow-") as data:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL"))}
        env.update(MOTCUA_DATA_DIR=data, MOTCUA_DEBUG="false", MOTCUA_ACCESS_LOG="false")
        if threads:
            env["MOTCUA_THREADS"] = threads
        server = subprocess.Popen([sys.executable, "-m", "motcua", "serve", "--port", str(port)], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.monotonic() + 600
            while get(port, 5) is None:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("motcua serve did not start")
                time.sleep(1)
            print(f"motcua serve (SQLite, MOTCUA_THREADS={threads or 'default'}), {senders} slow senders "
                  f"(one header byte a second for {seconds:.0f} s)")
            print(describe("  before", *phase(port, 10, timeout), timeout))
            stop = threading.Event()
            trickles = [threading.Thread(target=slow_sender, args=(port, seconds, stop), daemon=True)
                        for _ in range(senders)]
            for t in trickles:
                t.start()
            time.sleep(2)  # every sender connected and holding its request open
            during = phase(port, 5, timeout)
            stop.set()
            print(describe("  during", *during, timeout))
            for t in trickles:
                t.join(timeout=5)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)


if __name__ == "__main__":
    main(sys.argv[1:])
