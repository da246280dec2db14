"""``python -m bench national``: the national sync's figures (issue 18), against the national
portal's simulator served by the same ``motcua serve`` (its worker sends, over HTTP on loopback):

* change → acknowledged: ``BENCH_NATIONAL_CHANGES`` (50) direct intakes one at a time, each
  timed from its ``201`` to the ``synced_at`` the national portal's acknowledgement wrote
  (``GET /api/v1/dossiers/{code}/national``, polled every 20 ms): median, p95;
* drain: ``BENCH_NATIONAL_BACKLOG`` (10,000) dossiers (taken in and assigned: two progress steps
  each) put in the outbox at once, timed until the worker has sent every one;
* inbound → counter queue: ``BENCH_NATIONAL_INBOUND`` (50) dossiers pushed by a ``national_portal``
  account (``POST /api/v1/national/dossiers``), each timed until the counter officer's list of
  submitted dossiers shows it: median, p95.

A part whose count is 0 is skipped (``BENCH_NATIONAL_BACKLOG=0``: no backlog on a shared machine).
The inbound figure is also given split in two: the ``POST``'s own answer (the dossier is created
in that request) and the rest, until the counter's list shows it.

``python -m bench.national backlog N`` is the helper run inside the installation (Django set up)
that makes the backlog without the outbox and then opens its N outbox items in one go.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
import time

N_CHANGES = int(os.environ.get("BENCH_NATIONAL_CHANGES", "50"))
N_BACKLOG = int(os.environ.get("BENCH_NATIONAL_BACKLOG", "10000"))
N_INBOUND = int(os.environ.get("BENCH_NATIONAL_INBOUND", "50"))
APPLICANT = {"full_name": "Nguyễn Văn Bench", "id_number": "015090009999", "phone": "0912000999"}


def _sample(form: list) -> dict:
    kinds = {"date": "2026-01-15", "number": "1", "id_number": "001090000001", "phone": "0912000001",
             "email": "mau@example.vn"}
    return {f["name"]: (f.get("choices") or [""])[0] if f["type"] == "choice" else kinds.get(f["type"], "Mẫu thử")
            for f in form}


def _iso(text: str) -> float:
    return dt.datetime.fromisoformat(text).timestamp()


def bench_national(b) -> dict:
    from bench.__main__ import token_for

    b.stop()
    saved = dict(b.env)
    b.env.update({"MOTCUA_DVCQG_SANDBOX": "true", "MOTCUA_PUBLIC_URL": f"http://127.0.0.1:{b.port}"})
    b.start()
    out: dict = {}
    try:
        counter = token_for(b, "bench.national.counter", "counter", "YB.LY.YT")
        portal = token_for(b, "bench.national.dvcqg", "national_portal", "YB")

        # 1. change → acknowledged by the national portal
        if N_CHANGES:
            out.update(_acknowledgements(b, counter))
        # 2. a backlog drained by the worker
        if N_BACKLOG:
            out.update(_drain(b))
        # 3. inbound → the counter's queue
        if N_INBOUND:
            out.update(_inbound(b, counter, portal))
    finally:
        b.stop()
        b.env.clear()
        b.env.update(saved)
        b.start()
    return out


def _acknowledgements(b, counter: str) -> dict:
    from bench.__main__ import pct, request

    out: dict = {}
    delays = []
    for _ in range(N_CHANGES):
        status, data = request(b.port, "POST", "/api/v1/dossiers", {
            "procedure": "1.001193", "unit": "YB.LY.YT", "channel": "direct", "applicant": APPLICANT}, counter)
        answered = time.time()
        if status != 201:
            raise RuntimeError(f"intake {status}: {data[:200]!r}")
        code = json.loads(data)["code"]
        deadline = answered + 120
        while time.time() < deadline:
            status, data = request(b.port, "GET", f"/api/v1/dossiers/{code}/national", token=counter)
            state = json.loads(data)
            if state.get("synced_at") and not state.get("pending"):
                delays.append((_iso(state["synced_at"]) - answered) * 1000)
                break
            time.sleep(0.02)
        else:
            raise RuntimeError(f"{code} not acknowledged within 120 s")
        time.sleep(random.uniform(0, 0.5))  # out of step with the worker's polling
    out.update(national_ack_p50_ms=pct(delays, 50), national_ack_p95_ms=pct(delays, 95),
               national_ack_n=len(delays))
    print(f"   change → national ack: p50 {out['national_ack_p50_ms']:.0f} ms, p95 {out['national_ack_p95_ms']:.0f} ms "
          f"over {len(delays)} intakes", flush=True)
    return out


def _drain(b) -> dict:
    from bench.__main__ import MOTCUA, PY

    out: dict = {}
    env = {k: v for k, v in b.env.items() if k != "MOTCUA_DVCQG_SANDBOX"}
    made = subprocess.run([PY, "-m", "bench.national", "backlog", str(N_BACKLOG)], env=env, cwd=b_root(),
                          check=True, text=True, stdout=subprocess.PIPE).stdout
    opened = json.loads(next(x for x in made.splitlines() if x.startswith("OPENED "))[7:])
    started = opened["at"]
    waited = subprocess.run([*MOTCUA, "shell", "-c", WAIT_EMPTY], env=b.env, cwd=b_root(), check=True, text=True,
                            stdout=subprocess.PIPE).stdout
    done = json.loads(next(x for x in waited.splitlines() if x.startswith("EMPTY "))[6:])
    out["national_drain_s"] = done["at"] - started
    out["national_drain_per_s"] = N_BACKLOG / out["national_drain_s"]
    out["national_drain_n"] = N_BACKLOG
    print(f"   backlog of {N_BACKLOG:,} dossiers (2 steps each) sent by the worker in {out['national_drain_s']:.0f} s "
          f"({out['national_drain_per_s']:.0f} dossiers/s; built in {opened['build_s']:.0f} s)", flush=True)
    return out


def _inbound(b, counter: str, portal: str) -> dict:
    from bench.__main__ import pct, request

    out: dict = {}
    status, data = request(b.port, "GET", "/api/v1/procedures/1.001193")
    answers = _sample(json.loads(data)["form"])
    times, answered = [], []
    for i in range(N_INBOUND):
        code = f"G22.99-BENCH-{os.getpid()}-{i:05d}"
        t0 = time.perf_counter()
        status, data = request(b.port, "POST", "/api/v1/national/dossiers", {
            "MaHoSo": code, "MaTTHC": "1.001193", "MaDonVi": "YB.LY.YT",
            "NgayNopHoSo": dt.datetime.now().strftime("%Y%m%d%H%M%S"),
            "ChuHoSo": {"HoVaTen": "Trần Thị Bench", "SoDinhDanh": "001190009999"}, "DuLieuBieuMau": answers}, portal)
        answered.append((time.perf_counter() - t0) * 1000)
        if status != 201:
            raise RuntimeError(f"inbound {status}: {data[:200]!r}")
        ours = json.loads(data)["code"]
        while True:
            status, data = request(b.port, "GET", f"/api/v1/dossiers?status=submitted&q={ours}", token=counter)
            if ours in [d["code"] for d in json.loads(data)["items"]]:
                times.append((time.perf_counter() - t0) * 1000)
                break
        time.sleep(random.uniform(0, 0.2))  # one at a time, as the portal forwards them
    out.update(national_inbound_p50_ms=pct(times, 50), national_inbound_p95_ms=pct(times, 95),
               national_inbound_post_p50_ms=pct(answered, 50), national_inbound_post_p95_ms=pct(answered, 95),
               national_inbound_n=len(times))
    print(f"   national portal → counter queue: p50 {out['national_inbound_p50_ms']:.0f} ms, "
          f"p95 {out['national_inbound_p95_ms']:.0f} ms over {len(times)} dossiers (the POST's own answer: "
          f"p50 {out['national_inbound_post_p50_ms']:.0f} ms, p95 {out['national_inbound_post_p95_ms']:.0f} ms)",
          flush=True)
    return out


def b_root():
    from bench.__main__ import ROOT

    return ROOT


WAIT_EMPTY = """
import json, time
from motcua.national.constants import OPEN_STATES
from motcua.national.models import OutboxItem
while OutboxItem.objects.filter(state__in=OPEN_STATES).exists():
    time.sleep(0.2)
print("EMPTY " + json.dumps({"at": time.time()}))
"""


def backlog(n: int) -> None:
    """Inside the installation: ``n`` dossiers taken in and assigned (national portal not
    connected in this process, so nothing is queued), then their outbox items opened at once."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from motcua.accounts.models import User
    from motcua.dossiers import actions, intake
    from motcua.national import outbox
    from motcua.national.constants import OutboxKind
    from motcua.national.models import OutboxItem

    counter = User.objects.get(username="motcua.yt")
    t0 = time.time()
    made = []
    for _ in range(n):
        dossier = intake.receive_dossier(actor=counter, procedure_code="1.001193", unit_code="YB.LY.YT",
                                           channel="direct", applicant=APPLICANT)
        dossier = actions.apply_action(counter, dossier.code, "assign", {"assignee": "chuyenvien.yt"})
        made.append((dossier.pk, dossier.last_event_seq))
    build = time.time() - t0
    now = timezone.now()
    with transaction.atomic():
        OutboxItem.objects.bulk_create([OutboxItem(kind=OutboxKind.DOSSIER, dossier_id=pk, version=version,
                                                   next_attempt_at=now) for pk, version in made], batch_size=1000)
        opened = time.time()
    outbox.kick()
    print("OPENED " + json.dumps({"at": opened, "build_s": build}), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["backlog"]:
        backlog(int(sys.argv[2]))
