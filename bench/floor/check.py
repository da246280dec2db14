"""One intake and one tracking through the floor app's own URLs, in process (Django's test
client): ``python -m bench.floor.check`` on a fresh ``BENCH_FLOOR_DB`` prints the two codes
received (tests/server/test_bench_floor.py runs it)."""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.floor.settings")

if __name__ == "__main__":
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from bench.floor.models import Event, Sequence
    from bench.floor.urls import seed

    call_command("migrate", run_syncdb=True, verbosity=0)
    seed("t0ken")
    client = Client(headers={"Authorization": "Bearer t0ken"})
    body = {"procedure": "1.004873", "unit": "YB.LY.YT", "channel": "direct",
            "applicant": {"full_name": "Nguyễn Văn A", "id_number": "001099012345", "phone": "0912345678"}}
    codes = [client.post("/api/v1/dossiers", json.dumps(body), content_type="application/json").json()["code"]
             for _ in range(2)]
    assert Client().post("/api/v1/dossiers", json.dumps(body), content_type="application/json").status_code == 401
    tracked = Client().get(f"/api/v1/public/track/{codes[1]}")
    assert tracked.status_code == 200 and tracked.json()["code"] == codes[1], tracked.content
    assert Event.objects.filter(kind="received").count() == 2 and Sequence.objects.get().last == 2
    print(" ".join(codes))
