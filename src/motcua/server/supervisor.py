"""``motcua serve``'s process tree: gunicorn and, beside it, one background worker.

The ``serve`` process starts both as children and watches them:
- SIGTERM, SIGINT or SIGHUP to ``serve`` is passed on as SIGTERM to both; ``serve`` waits for
  them (up to ``STOP_GRACE`` seconds, then SIGKILL) and exits. Each child also asks the kernel
  for SIGTERM should ``serve`` itself die (``PR_SET_PDEATHSIG`` on Linux): no orphans.
- If gunicorn exits, the worker is stopped and ``serve`` exits with gunicorn's status.
- If the worker dies, it is started again after ``RESTART_DELAY`` seconds (the site keeps
  serving; ``/healthz`` says ``stopped`` meanwhile).
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import time

STOP_GRACE = 20.0
RESTART_DELAY = 5.0
POLL = 0.2
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the signal forwarding below still applies
        pass


def _start(argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(argv, env=env, preexec_fn=_die_with_parent if sys.platform == "linux" else None)


def _stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    for child in children:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def supervise(web: list[str], worker: list[str] | None, env: dict[str, str] | None = None) -> int:
    """Run ``web`` (and ``worker`` beside it, both with ``env``) until told to stop; return the exit status."""
    stopping: list[int] = []

    def on_signal(signum, frame):
        stopping.append(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, on_signal)

    web_process = _start(web, env)
    worker_process = _start(worker, env) if worker else None
    worker_died_at: float | None = None
    try:
        while not stopping:
            status = web_process.poll()
            if status is not None:
                return status
            if worker and worker_process is not None and worker_process.poll() is not None:
                print(f"Motcua: background worker exited ({worker_process.returncode}); restarting in "
                      f"{RESTART_DELAY:.0f} s", file=sys.stderr, flush=True)
                worker_process, worker_died_at = None, time.monotonic()
            if worker and worker_process is None and time.monotonic() - worker_died_at >= RESTART_DELAY:
                worker_process = _start(worker, env)
            time.sleep(POLL)
        return 0
    finally:
        _stop([p for p in (worker_process, web_process) if p is not None])
