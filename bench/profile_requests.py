"""Profile one intake (``POST /api/v1/dossiers``) and one public tracking in process, through
the whole WSGI stack (middleware included) with Django's test client: pyinstrument's call
tree and the query log of each (issue 21 §1; docs/performance.md).

    MOTCUA_DATA_DIR=var/bench-sqlite .venv/bin/python -m bench.profile_requests [N]

on a database ``python -m bench`` prepared (the demo data; it adds a counter officer's token).
The first requests warm up (caches, connections); then N (20) of each are timed (the
median printed) under pyinstrument (their call tree added up: divide by N), and one more
has its queries listed. ``--html DIR``
writes pyinstrument's pages too."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_LOG_LEVEL", "ERROR")
os.environ.setdefault("MOTCUA_RATE_TRACK", "off")
os.environ.setdefault("MOTCUA_RATE_INTAKE", "off")
os.environ.setdefault("MOTCUA_ACCESS_LOG", "false")


def main(argv: list[str]) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from motcua.accounts.models import ApiToken, Role, User
    from motcua.catalog.models import Unit

    html = argv[argv.index("--html") + 1] if "--html" in argv else None
    n = int(next((a for a in argv if a.isdigit()), "20"))
    user = User.objects.filter(username="bench.profile").first()
    if user is None:
        user = User.objects.create_user("bench.profile", password=None, role=Role.COUNTER)
        user.memberships.create(unit=Unit.objects.get(code="YB.LY.YT"))
    _, raw = ApiToken.issue(user, name="profile")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    anonymous = Client()
    seq = iter(range(10**9))

    def intake():
        i = next(seq)
        body = {"procedure": "1.004873", "unit": "YB.LY.YT", "channel": "direct",
                "applicant": {"full_name": f"Người nộp {i}", "id_number": f"9{i:011d}", "phone": "0912345678"}}
        r = client.post("/api/v1/dossiers", json.dumps(body), content_type="application/json")
        assert r.status_code == 201, r.content
        return r.json()["code"]

    codes = [intake() for _ in range(5)]

    def track():
        r = anonymous.get(f"/api/v1/public/track/{codes[0]}")
        assert r.status_code == 200, r.content

    for name, call in (("intake", intake), ("tracking", track)):
        for _ in range(5):
            call()
        times = []
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(n):
            t0 = time.perf_counter()
            call()
            times.append((time.perf_counter() - t0) * 1000)
        profiler.stop()
        with CaptureQueriesContext(connection) as queries:
            call()
        cpu = profiler.last_session.cpu_time / n * 1000
        print(f"\n=== {name}: median {statistics.median(times):.1f} ms, CPU {cpu:.1f} ms a request over {n} "
              f"(load average {os.getloadavg()[0]:.1f}); {len(queries.captured_queries)} queries")
        for q in queries.captured_queries:
            print(f"  {q['time']:>6}s  {q['sql'][:220]}")
        print(profiler.output_text(unicode=True, color=False, show_all=False, time="percent_of_total"))
        if html:
            os.makedirs(html, exist_ok=True)
            with open(os.path.join(html, f"{name}.html"), "w") as f:
                f.write(profiler.output_html())


if __name__ == "__main__":
    main(sys.argv[1:])
