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


OPEN_DAYS = 20  # dossiers received in the last 20 days are still open; older ones are closed
YEARS = 4


# The dossier table's columns, as both generators fill them.
DOSSIER_INSERT = """        INSERT INTO dossiers_dossier (code, procedure_id, unit_id, current_unit_id, channel, source, status,
            applicant_name, applicant_id_number, applicant_phone, applicant_email, applicant_address, data,
            submitted_at, received_at, due_at, original_due_at, resolved_at, returned_at, withdrawn_at, paused_at,
            supplement_requests, reschedules, delivery, delivery_address, version, created_at, updated_at, pause_resume_status)
"""


def _dossier_insert_sql(vendor: str) -> str:
    """One INSERT … SELECT over a series ``i``: a dossier a row, like a unit's archive.

    Received ``i % (365 × YEARS)`` days ago. The last ``OPEN_DAYS`` days are open, spread
    over the open statuses; older ones are closed: returned (resolved 0–6 days after
    receipt against a 5-day due date, so some late) or, one in fifty, withdrawn.
    """
    span = 365 * YEARS
    if vendor == "postgresql":
        series = "generate_series(1, %s) AS s(i)"
        days = f"(i %% {span})"
        at = lambda extra: f"(now() - {days} * interval '1 day' - (i %% 8) * interval '1 hour' + ({extra}) * interval '1 day')"  # noqa: E731
        pad = "lpad(i::text, 7, '0')"
        id_number = "lpad(i::text, 12, '0')"
        head = ""
    else:
        series = "s"
        days = f"(i %% {span})"
        at = lambda extra: f"datetime('now', '-' || {days} || ' days', '-' || (i %% 8) || ' hours', '+' || ({extra}) || ' days')"  # noqa: E731
        pad = "printf('%%07d', i)"
        id_number = "printf('%%012d', i)"
        head = "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %s) "
    is_open = f"{days} < {OPEN_DAYS}"
    status = (f"CASE WHEN {is_open} THEN (CASE i %% 6 WHEN 0 THEN 'received' WHEN 1 THEN 'processing' "
              f"WHEN 2 THEN 'processing' WHEN 3 THEN 'awaiting_approval' WHEN 4 THEN 'awaiting_supplement' "
              f"ELSE 'approved' END) WHEN i %% 50 = 0 THEN 'withdrawn' ELSE 'result_returned' END")
    resolved = (f"CASE WHEN {is_open} AND i %% 6 = 5 THEN {at(3)} WHEN NOT ({is_open}) AND i %% 50 <> 0 "
                f"THEN {at('(i %% 7)')} END")
    returned = f"CASE WHEN NOT ({is_open}) AND i %% 50 <> 0 THEN {at('(i %% 7) + 1')} END"
    withdrawn = f"CASE WHEN NOT ({is_open}) AND i %% 50 = 0 THEN {at(1)} END"
    paused = f"CASE WHEN {is_open} AND i %% 6 = 4 THEN {at(1)} END"
    return head + f"""
{DOSSIER_INSERT}        SELECT 'B' || %s || '-' || {pad}, %s, %s, %s,
            CASE i %% 3 WHEN 0 THEN 'online' WHEN 1 THEN 'direct' ELSE 'postal' END,
            CASE i %% 3 WHEN 0 THEN 'portal' WHEN 1 THEN 'counter' ELSE 'post' END, {status},
            'Nguyễn Văn ' || i, {id_number}, '0912345678', '', '', '{{}}',
            {at(0)}, {at(0)}, {at(5)}, {at(5)}, {resolved}, {returned}, {withdrawn}, {paused},
            0, 0, 'counter', '', 1, {at(0)}, {at(0)}, CASE WHEN {is_open} AND i %% 6 = 4 THEN 'processing' ELSE '' END
        FROM {series}
    """


def dossiers(n: int) -> None:
    """Add ``n`` dossiers (and one event each) spread over the demo communes and four years."""
    from motcua.catalog.models import Unit

    units = list(Unit.objects.filter(level="commune").values_list("pk", "code"))
    proc = Procedure.objects.get(code="1.004873").pk
    started = time.perf_counter()
    vendor = connection.vendor
    sql = _dossier_insert_sql(vendor)
    with connection.cursor() as cur:
        for offset, (unit_id, unit_code) in enumerate(units):
            count = n // len(units) + (1 if offset < n % len(units) else 0)
            params = [unit_code, proc, unit_id, unit_id]
            cur.execute(sql, [count, *params] if vendor != "postgresql" else [*params, count])
            cur.execute("""
                INSERT INTO dossiers_dossierunit (dossier_id, unit_id)
                SELECT id, %s FROM dossiers_dossier WHERE code LIKE %s
            """, [unit_id, f"B{unit_code}-%"])
            cur.execute("""
                INSERT INTO dossiers_dossierevent (dossier_id, seq, at, actor_name, actor_role, action, from_status,
                    to_status, note, changes, unit_id)
                SELECT id, 1, received_at, '', '', 'import', '', status, '', '{}', %s
                FROM dossiers_dossier WHERE code LIKE %s
            """, [unit_id, f"B{unit_code}-%"])
        cur.execute("ANALYZE")
    if vendor == "postgresql":
        with connection.cursor() as cur:  # set the visibility map, as autovacuum would, for index-only scans
            cur.execute("VACUUM ANALYZE dossiers_dossier")
            cur.execute("VACUUM ANALYZE dossiers_dossierunit")
    print(f"dossiers: {n} generated in {time.perf_counter() - started:.1f}s")


def import_file(n: int, path: str) -> None:
    """Write ``n`` lines of a legacy export (docs/import-format.md) to ``path``: three years of the demo
    communes' archives, about 90 % online and 97 % of the resolved ones early, a few withdrawn,
    the last weeks still open; four lines in five carry the old system's code, one in two
    its due time (the others get it computed by the working calendar)."""
    import datetime as dt
    import json

    from motcua.catalog.models import Unit

    units = list(Unit.objects.filter(level="commune").values_list("code", flat=True))
    procs = list(Procedure.objects.filter(levels__level="commune", processing_time_unit=TimeUnit.WORKING_DAYS,
                                          processing_time_value__gt=0).exclude(code__startswith="BENCH-")
                 .order_by("code").values_list("code", flat=True).distinct())
    rng = random.Random(11)
    tz = dt.timezone(dt.timedelta(hours=7))
    start = dt.datetime(2023, 1, 2, 7, 30, tzinfo=tz)
    span_minutes = 3 * 365 * 24 * 60
    last_open = span_minutes - 30 * 24 * 60
    started = time.perf_counter()
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            minute = rng.randrange(span_minutes)
            received = start + dt.timedelta(minutes=minute)
            channel = "online" if rng.random() < 0.9 else rng.choice(("direct", "postal"))
            record = {"procedure": rng.choice(procs), "unit": rng.choice(units), "channel": channel,
                      "received_at": received.isoformat(),
                      "applicant": {"full_name": f"Nguyễn Văn {i}", "id_number": f"{i + 1:012d}",
                                    "phone": f"09{rng.randrange(10 ** 8):08d}"}}
            if rng.random() < 0.8:
                record["code"] = f"CU-{i:08d}"
            due = received + dt.timedelta(days=7)
            if rng.random() < 0.5:
                record["due_at"] = due.isoformat()
            if minute < last_open:
                r = rng.random()
                if r < 0.02:
                    record["withdrawn_at"] = (received + dt.timedelta(days=1)).isoformat()
                else:
                    late = r > 0.97
                    record["resolved_at"] = (received + dt.timedelta(days=8 if late else rng.choice((1, 2, 3)))).isoformat()
                    record["outcome"] = "rejected" if rng.random() < 0.03 else "approved"
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"import file: {n} lines in {path} ({time.perf_counter() - started:.1f}s)")


# ------------------------------------------------------------------ report history (``python -m bench report``)

HISTORY_COMMUNES = 10
HISTORY_PROCEDURES = 8


def _history_sql(vendor: str) -> str:
    """One INSERT … SELECT over a series ``i`` for one (commune, procedure): four years of history
    in the articles' proportions. Received ``i % 1460`` days ago; about 90 % online, 5 % direct,
    5 % postal; of the closed ones (older than 20 days) 1 % withdrawn, the rest resolved:
    about 97 % early (96 of 99: a day after receipt, due after five), 2 % on time (on the due day,
    before the due time), 1 % late (a day after the due time). The last 20 days are open:
    received, processing, awaiting approval, waiting for supplementation, some overdue."""
    span = 365 * YEARS
    h = "((i * 7919) %% 100)"  # a spread-out 0–99 per dossier
    if vendor == "postgresql":
        series = "generate_series(1, %s) AS s(i)"
        at = lambda extra: (f"(now() - (i %% {span}) * interval '1 day' - (i %% 9) * interval '1 hour' "  # noqa: E731
                            f"+ ({extra}) * interval '1 hour')")
        head = ""
    else:
        series = "s"
        at = lambda extra: (f"datetime('now', '-' || (i %% {span}) || ' days', '-' || (i %% 9) || ' hours', "  # noqa: E731
                            f"'+' || ({extra}) || ' hours')")
        head = "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %s) "
    is_open = f"(i %% {span}) < {OPEN_DAYS}"
    withdrawn_ = f"NOT ({is_open}) AND {h} = 99"
    resolved_ = f"NOT ({is_open}) AND {h} <> 99"
    status = (f"CASE WHEN {is_open} THEN (CASE i %% 5 WHEN 0 THEN 'received' WHEN 1 THEN 'processing' "
              f"WHEN 2 THEN 'awaiting_approval' WHEN 3 THEN 'awaiting_supplement' ELSE 'processing' END) "
              f"WHEN {withdrawn_} THEN 'withdrawn' ELSE 'result_returned' END")
    # hours after receipt: early +24, on time +5 days − 1 h (the due day), late +5 days + 24 h
    resolve_after = f"(CASE WHEN {h} < 96 THEN 24 WHEN {h} < 98 THEN 119 ELSE 144 END)"
    resolved = f"CASE WHEN {resolved_} THEN {at(resolve_after)} END"
    returned = f"CASE WHEN {resolved_} THEN {at(resolve_after + ' + 2')} END"
    withdrawn = f"CASE WHEN {withdrawn_} THEN {at(24)} END"
    paused = f"CASE WHEN {is_open} AND i %% 5 = 3 THEN {at(24)} END"
    channel = f"CASE WHEN {h} < 90 THEN 'online' WHEN {h} < 95 THEN 'direct' ELSE 'postal' END"
    source = f"CASE WHEN {h} < 90 THEN 'portal' WHEN {h} < 95 THEN 'counter' ELSE 'post' END"
    return head + f"""
{DOSSIER_INSERT}        SELECT %s || '-' || i, %s, %s, %s, {channel}, {source}, {status},
            'Người nộp ' || i, '001090000001', '0912345678', '', '', '{{}}',
            {at(0)}, {at(0)}, {at(120)}, {at(120)}, {resolved}, {returned}, {withdrawn}, {paused},
            CASE WHEN i %% 200 = 0 THEN 2 WHEN i %% 20 = 0 THEN 1 ELSE 0 END, 0, 'counter', '', 1, {at(0)}, {at(0)},
            CASE WHEN {is_open} AND i %% 5 = 3 THEN 'processing' ELSE '' END
        FROM {series}
    """


def history(n: int, province_code: str) -> None:
    """A province ``province_code`` with ten communes and ``n`` dossiers over four years, by bulk SQL
    (the report triggers keep the per-day aggregates as the rows go in)."""
    from motcua.catalog.models import Level, Unit

    with transaction.atomic():
        province, _ = Unit.objects.get_or_create(code=province_code, defaults={
            "name": f"Tỉnh thử {province_code}", "level": Level.PROVINCE})
        communes = []
        for k in range(HISTORY_COMMUNES):
            unit, _ = Unit.objects.get_or_create(code=f"{province_code}.X{k:02d}", defaults={
                "name": f"Xã thử {k:02d}", "level": Level.COMMUNE, "parent": province})
            communes.append(unit)
    procs = list(Procedure.objects.filter(levels__level="commune").order_by("code")
                 .values_list("pk", flat=True)[:HISTORY_PROCEDURES])
    vendor = connection.vendor
    sql = _history_sql(vendor)
    started = time.perf_counter()
    pairs = [(u, p) for u in communes for p in procs]
    with connection.cursor() as cur:
        for k, (unit, proc) in enumerate(pairs):
            count = n // len(pairs) + (1 if k < n % len(pairs) else 0)
            params = [f"H{unit.code}-{proc}", proc, unit.pk, unit.pk]
            with transaction.atomic():
                cur.execute(sql, [count, *params] if vendor != "postgresql" else [*params, count])
        cur.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
    print(f"history: {n} dossiers for {province_code} ({len(communes)} communes × {len(procs)} procedures) "
          f"in {time.perf_counter() - started:.1f}s", flush=True)


def triggers(state: str) -> None:
    """``off``: drop the report triggers (bulk loading); ``on``: install them and rebuild the
    per-day aggregates from the dossiers (what ``motcua report rebuild`` does), timed."""
    from motcua.reports import daily

    if state == "off":
        daily.uninstall()
        print("triggers: off", flush=True)
        return
    started = time.perf_counter()
    daily.install()
    rows = daily.rebuild()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE reports_dailycount" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"REBUILD {time.perf_counter() - started:.1f} {rows}", flush=True)


def report_time(province_code: str, year: int, live: bool = False) -> None:
    """Time the yearly report of ``province_code`` with every unit below it (best of 3), as JSON;
    with ``live`` also the same groups counted from the dossiers by the report's conditions."""
    import datetime as dt
    import json

    from motcua.catalog.models import Unit
    from motcua.reports import services

    unit = Unit.objects.get(code=province_code)
    a, b = dt.date(year, 1, 1), dt.date(year, 12, 31)

    def best(fn, runs=3):
        times, result = [], None
        for _ in range(runs):
            t0 = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - t0)
        return min(times), result

    out = {}
    out["report_s"], report = best(lambda: services.tthc_report(unit, a, b, children=True))
    out["received"] = report["received"]["total"]
    out["online_pct"] = report["rates"]["online_pct"]
    out["on_time_pct"] = report["rates"]["resolved_on_time_pct"]
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM reports_dailycount")
        out["aggregate_rows"] = cur.fetchone()[0]
    if live:
        start, end = services.period_bounds(a, b)
        out["live_s"], groups = best(lambda: services.counts_by_unit_and_field(
            services.period_dossiers(unit, start, end, True), start, end), runs=1)
        out["live_agrees"] = sum(g["received"] for g in groups) == out["received"]
    print("RESULT " + json.dumps(out), flush=True)


# ------------------------------------------------------------------ officers' steps (``python -m bench report``)

STEP_ROWS = (
    # kind, action, seq, officer column, started_at, ended_at, worked seconds, late
    ("intake", "receive", 1, "counter_id", "d.received_at", "d.received_at", "0", "FALSE"),
    ("assignment", "assign", 2, "leader_id", "d.received_at", "d.received_at", "1800 + (d.id %% 5) * 600", "FALSE"),
    ("processing", "propose", 3, "specialist_id", "d.received_at", "d.resolved_at",
     "CASE WHEN d.resolved_at > d.due_at THEN 40 * 3600 ELSE 4 * 3600 + (d.id %% 9) * 1800 END",
     "CASE WHEN d.resolved_at > d.due_at THEN TRUE ELSE FALSE END"),
    ("approval", "approve", 4, "leader_id", "d.resolved_at", "d.resolved_at", "900 + (d.id %% 4) * 900", "FALSE"),
    ("return", "return_result", 5, "counter_id", "d.resolved_at", "d.returned_at", "7200", "FALSE"),
)


def steps(province_code: str) -> None:
    """The officers' steps of the resolved dossiers of ``province_code``'s communes, by bulk SQL: a
    counter officer, a specialist and a leader per commune, five steps a dossier (the late ones
    held past the processing share), as the workflow would have stored them."""
    from motcua.accounts.models import Membership, Role, User
    from motcua.catalog.models import Unit

    started = time.perf_counter()
    communes = list(Unit.objects.filter(parent__code=province_code))
    officers = {}
    for unit in communes:
        ids = {}
        for role in (Role.COUNTER, Role.SPECIALIST, Role.LEADER):
            user, _ = User.objects.get_or_create(username=f"bench.{unit.code}.{role}".lower(),
                                                 defaults={"role": role, "full_name": f"Cán bộ {role} {unit.code}"})
            Membership.objects.get_or_create(user=user, unit=unit)
            ids[role] = user.pk
        officers[unit.pk] = ids
    case = lambda role: "CASE d.unit_id " + " ".join(  # noqa: E731
        f"WHEN {u} THEN {ids[role]}" for u, ids in officers.items()) + " END"
    columns = {"counter_id": case(Role.COUNTER), "specialist_id": case(Role.SPECIALIST), "leader_id": case(Role.LEADER)}
    ids = ",".join(str(u) for u in officers)
    rows = 0
    with connection.cursor() as cur:
        for kind, action, seq, officer, start, end, worked, late in STEP_ROWS:
            with transaction.atomic():
                cur.execute(
                    "INSERT INTO inspection_handlingstep (dossier_id, seq, kind, action, officer_id, officer_name, unit_id, "
                    "level, started_at, ended_at, worked_seconds, allowed_seconds, late, unexplained) "
                    f"SELECT d.id, {seq}, %s, %s, {columns[officer]}, '', d.unit_id, 'commune', {start}, {end}, {worked}, "
                    f"10800, {late}, FALSE FROM dossiers_dossier d WHERE d.unit_id IN ({ids}) AND d.resolved_at IS NOT NULL"
                    + (" AND d.returned_at IS NOT NULL" if kind == "return" else ""), [kind, action])
                rows += cur.rowcount
        # The applicants' answers the report's ratings and survey scores count: a rating of one
        # returned dossier in two, a five-criteria survey of one in three (answers 1, 2 or 3).
        def one(cond):
            return f"(CASE WHEN {cond} THEN 1 ELSE 0 END)"

        returned = f"FROM dossiers_dossier d WHERE d.unit_id IN ({ids}) AND d.returned_at IS NOT NULL"
        with transaction.atomic():
            cur.execute("INSERT INTO dossiers_rating (dossier_id, score, comment, created_at) "
                        f"SELECT d.id, 1 + {one('d.id %% 7 > 0')} + {one('d.id %% 3 > 0')}, %s, d.returned_at {returned} "
                        "AND d.id %% 2 = 0",
                        [""])
            answers = ", ".join(f"1 + {one(f'd.id %% {m} > 0')} + {one(f'(d.id / {m}) %% 2 = 0')}" for m in (11, 7, 13, 5, 9))
            cur.execute("INSERT INTO feedback_survey (dossier_id, access, procedure, officers, result, feedback, comment, "
                        f"created_at) SELECT d.id, {answers}, %s, d.returned_at {returned} AND d.id %% 3 = 0", [""])
            surveys = cur.rowcount
        cur.execute("VACUUM ANALYZE inspection_handlingstep, dossiers_rating, feedback_survey" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"steps: {rows} for {province_code}, {surveys} surveys, in {time.perf_counter() - started:.1f}s", flush=True)


def officers_time(province_code: str, year: int) -> None:
    """Time the yearly officers' report of ``province_code`` with every unit below it (best of 3), as JSON."""
    import datetime as dt
    import json

    from motcua.catalog.models import Unit
    from motcua.inspection.officers import officers_report
    from motcua.reports.services import ReportQuery

    query = ReportQuery(Unit.objects.get(code=province_code), dt.date(year, 1, 1), dt.date(year, 12, 31), True)
    times, report = [], None
    for _ in range(3):
        t0 = time.perf_counter()
        report = officers_report(query)
        times.append(time.perf_counter() - t0)
    print("RESULT " + json.dumps({"officers_s": min(times), "officers": len(report["items"]),
                                  "handled": sum(i["handled"] for i in report["items"]),
                                  "surveyed": sum(i["surveyed"] for i in report["items"])}), flush=True)


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "history":
        history(int(sys.argv[2]), sys.argv[3])
    elif kind == "triggers":
        triggers(sys.argv[2])
    elif kind == "report-time":
        report_time(sys.argv[2], int(sys.argv[3]), live=len(sys.argv) > 4 and sys.argv[4] == "live")
    elif kind == "steps":
        steps(sys.argv[2])
    elif kind == "officers-time":
        officers_time(sys.argv[2], int(sys.argv[3]))
    elif kind == "import-file":
        import_file(int(sys.argv[2]), sys.argv[3])
    else:
        {"procedures": procedures, "dossiers": dossiers}[kind](int(sys.argv[2]))
