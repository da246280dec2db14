"""Timings of the online filing pages (docs/performance.md, "Online filing").

``.venv/bin/python -m bench.filing`` (``DATABASE_URL=postgres://…`` for PostgreSQL; unset: a
fresh SQLite file in a temporary folder): a fresh database with the demo data, a logged-in
citizen, and Django's test client (the whole middleware stack, no network), so each figure
is server time:

* ``GET /thu-tuc/1.004873/nop-ho-so/`` and its form step — median of 20;
* a 5 MB PDF uploaded through the papers step (``POST …/giay-to/``) — median of 5;
* the submission (``POST …/nop/``) of a draft carrying that 5 MB PDF — median of 5.

``BENCH_PROFILE=1`` also prints the submission's profile (pyinstrument when installed, else cProfile).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

MARITAL = "1.004873"
BASE = f"/thu-tuc/{MARITAL}/nop-ho-so/"
FIVE_MB = 5 * 1024 * 1024


def pdf_of(size: int, seed: int) -> bytes:
    head = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\n%" + str(seed).encode() + b"\n"
    tail = b"\ntrailer<<>>\n%%EOF\n"
    body = (os.urandom(64 * 1024) * (size // (64 * 1024) + 1))[: size - len(head) - len(tail)]
    return head + body + tail


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000, result


def main() -> int:
    tmp = tempfile.mkdtemp(prefix="motcua-bench-filing-")
    os.environ.setdefault("MOTCUA_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    if os.environ.get("BENCH_COLD"):
        import django

        django.setup()
    else:
        import motcua.wsgi  # noqa: F401  (as ``motcua serve`` loads it before forking: --preload and its warm-up)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from motcua.accounts.models import Role, User
    from motcua.demo.catalog import seed_demo

    call_command("migrate", verbosity=0)
    seed_demo()
    user = User.objects.create_user("bench-citizen", password="bench-password-1", role=Role.CITIZEN,
                                    full_name="Nguyễn Văn Bốn", id_number="015090004444", phone="0912004444",
                                    address="Tổ 1, thị trấn Yên Thế")
    client = Client()
    client.force_login(user)

    def fill() -> None:
        assert client.post(BASE).status_code == 302
        r = client.post(BASE + "nguoi-nop/", {"full_name": user.full_name, "id_number": user.id_number,
                                              "phone": user.phone, "address": user.address, "unit": "YB.LY.YT"})
        assert r.status_code == 302, r.content[:500]
        r = client.post(BASE + "to-khai/", {"purpose": "Để đăng ký kết hôn", "marital_status": "Chưa kết hôn", "copies": "1"})
        assert r.status_code == 302

    def upload(seed: int):
        return client.post(BASE + "giay-to/", {"file_1": SimpleUploadedFile("can-cuoc.pdf", pdf_of(FIVE_MB, seed),
                                                                           "application/pdf"), "upload": "1"})

    fill()
    for _ in range(3):  # warm up (templates, first queries)
        client.get(BASE), client.get(BASE + "to-khai/")
    intro = [timed(lambda: client.get(BASE))[0] for _ in range(20)]
    form = [timed(lambda: client.get(BASE + "to-khai/"))[0] for _ in range(20)]

    uploads, submits = [], []
    for i in range(5):
        ms, r = timed(lambda: upload(i))
        assert r.status_code == 302, r.content[:500]
        uploads.append(ms)
        assert client.post(BASE + "nhan-ket-qua/", {"delivery": "electronic"}).status_code == 302
        if os.environ.get("BENCH_PROFILE") and i == int(os.environ.get("BENCH_PROFILE_ROUND", "0")):
            profile_submit(client)
        else:
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                ms, r = timed(lambda: client.post(BASE + "nop/"))
            statements = len(queries)
            assert r.status_code == 302 and "/bien-nhan/" in r["Location"], r.content[:500]
            submits.append(ms)
        fill()

    print(f"backend: {connection.vendor}")
    print(f"GET {BASE} (intro), median of 20: {statistics.median(intro):.1f} ms (max {max(intro):.1f})")
    print(f"GET {BASE}to-khai/ (the form), median of 20: {statistics.median(form):.1f} ms (max {max(form):.1f})")
    print(f"POST {BASE}giay-to/ with a 5 MB PDF, median of 5: {statistics.median(uploads):.1f} ms "
          f"(all: {', '.join(f'{u:.0f}' for u in uploads)})")
    print(f"statements of the last submission: {statements}")
    print(f"POST {BASE}nop/, the first of the process: {submits[0]:.1f} ms" if submits else "")
    print(f"POST {BASE}nop/ with that 5 MB PDF, median of {len(submits)}: {statistics.median(submits):.1f} ms "
          f"(all: {', '.join(f'{u:.0f}' for u in submits)})")
    return 0


def profile_submit(client) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        Profiler = None
    if Profiler is not None:
        profiler = Profiler()
        profiler.start()
        r = client.post(BASE + "nop/")
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    else:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        r = profile.runcall(client.post, BASE + "nop/")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
    assert r.status_code == 302


if __name__ == "__main__":
    sys.exit(main())
