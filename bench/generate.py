"""Bulk data for the benchmarks: procedures and dossiers, written with plain SQL.

Run inside the project environment (``python -m bench.generate procedures 2000`` or
``dossiers 1000000``) with the same MOTCUA_DATA_DIR / DATABASE_URL as the server.
"""

from __future__ import annotations

import os
import random
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from motcua.catalog.models import Field, OnlineLevel, Procedure, ProcedureLevel, RequiredDocument, TimeUnit  # noqa: E402

WORDS = (
    "đăng ký cấp đổi gia hạn điều chỉnh xác nhận chứng thực thẩm định phê duyệt giấy phép chứng nhận "
    "quyền sử dụng đất nhà ở xây dựng hộ kinh doanh hợp tác xã lao động việc làm bảo trợ xã hội "
    "người có công trợ cấp thường xuyên mai táng phí khai sinh khai tử kết hôn nuôi con nuôi giám hộ "
    "môi trường tài nguyên nước khoáng sản giao thông vận tải y tế giáo dục văn hóa thể thao du lịch"
).split()


def procedures(n: int) -> None:
    """Add ``n`` synthetic procedures (codes BENCH-00001…) at random levels."""
    rng = random.Random(42)
    fields = list(Field.objects.all())
    existing = Procedure.objects.filter(code__startswith="BENCH-").count()
    started = time.perf_counter()
    with transaction.atomic():
        for i in range(existing, n):
            name = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 10))).capitalize()
            p = Procedure(
                code=f"BENCH-{i:05d}", name=name, field=rng.choice(fields),
                description=" ".join(rng.choice(WORDS) for _ in range(30)),
                online_level=rng.choice(OnlineLevel.values),
                processing_time_value=rng.choice([1, 3, 5, 10, 15]), processing_time_unit=TimeUnit.WORKING_DAYS,
                fee_amount=rng.choice([0, 10000, 50000]),
            )
            p.save()
            levels = rng.sample(["province", "district", "commune"], rng.randint(1, 2))
            ProcedureLevel.objects.bulk_create([ProcedureLevel(procedure=p, level=lv) for lv in levels])
            RequiredDocument.objects.create(procedure=p, name="Tờ khai", count=1)
    print(f"procedures: {Procedure.objects.count()} in the catalog ({time.perf_counter() - started:.1f}s)")


def dossiers(n: int) -> None:
    """Add ``n`` dossiers (and one event each) spread over the demo communes and a year."""
    from motcua.catalog.models import Unit

    units = list(Unit.objects.filter(level="commune").values_list("pk", "code"))
    proc = Procedure.objects.get(code="1.004873").pk
    started = time.perf_counter()
    vendor = connection.vendor
    statuses = ["received", "processing", "awaiting_approval", "approved", "result_returned", "processing"]
    with connection.cursor() as cur:
        for offset, (unit_id, unit_code) in enumerate(units):
            count = n // len(units) + (1 if offset < n % len(units) else 0)
            if vendor == "postgresql":
                status_expr = "(ARRAY[" + ",".join(f"'{s}'" for s in statuses) + f"])[1 + (i % {len(statuses)})]"
                cur.execute(f"""
                    INSERT INTO dossiers_dossier (code, procedure_id, unit_id, current_unit_id, channel, source, status,
                        applicant_name, applicant_id_number, applicant_phone, applicant_email, applicant_address, data,
                        submitted_at, received_at, due_at, original_due_at, supplement_requests, reschedules, delivery,
                        version, created_at, updated_at, pause_resume_status)
                    SELECT 'B' || %s || '-' || lpad(i::text, 7, '0'), %s, %s, %s, 'direct', 'counter', {status_expr},
                        'Nguyễn Văn ' || i, lpad(i::text, 12, '0'), '0912345678', '', '', '{{}}',
                        now() - (i %% 365) * interval '1 day', now() - (i %% 365) * interval '1 day',
                        now() - (i %% 365) * interval '1 day' + interval '5 day',
                        now() - (i %% 365) * interval '1 day' + interval '5 day', 0, 0, 'counter', 1, now(), now(), ''
                    FROM generate_series(1, %s) AS i
                """, [unit_code, proc, unit_id, unit_id, count])
            else:
                status_expr = "CASE i % {n} {whens} END".format(
                    n=len(statuses), whens=" ".join(f"WHEN {k} THEN '{s}'" for k, s in enumerate(statuses)))
                cur.execute(f"""
                    WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %s)
                    INSERT INTO dossiers_dossier (code, procedure_id, unit_id, current_unit_id, channel, source, status,
                        applicant_name, applicant_id_number, applicant_phone, applicant_email, applicant_address, data,
                        submitted_at, received_at, due_at, original_due_at, supplement_requests, reschedules, delivery,
                        version, created_at, updated_at, pause_resume_status)
                    SELECT 'B' || %s || '-' || printf('%%07d', i), %s, %s, %s, 'direct', 'counter', {status_expr},
                        'Nguyễn Văn ' || i, printf('%%012d', i), '0912345678', '', '', '{{}}',
                        datetime('now', '-' || (i %% 365) || ' days'), datetime('now', '-' || (i %% 365) || ' days'),
                        datetime('now', '-' || (i %% 365) || ' days', '+5 days'),
                        datetime('now', '-' || (i %% 365) || ' days', '+5 days'), 0, 0, 'counter', 1,
                        datetime('now'), datetime('now'), ''
                    FROM s
                """, [count, unit_code, proc, unit_id, unit_id])
            cur.execute(f"""
                INSERT INTO dossiers_dossierunit (dossier_id, unit_id)
                SELECT id, %s FROM dossiers_dossier WHERE code LIKE %s
            """, [unit_id, f"B{unit_code}-%"])
            cur.execute(f"""
                INSERT INTO dossiers_dossierevent (dossier_id, seq, at, actor_name, actor_role, action, from_status,
                    to_status, note, changes, unit_id)
                SELECT id, 1, received_at, '', '', 'import', '', status, '', '{{}}', %s
                FROM dossiers_dossier WHERE code LIKE %s
            """, [unit_id, f"B{unit_code}-%"])
        if vendor == "postgresql":
            cur.execute("ANALYZE")
        else:
            cur.execute("ANALYZE")
    print(f"dossiers: {n} generated in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    kind, count = sys.argv[1], int(sys.argv[2])
    {"procedures": procedures, "dossiers": dossiers}[kind](count)
