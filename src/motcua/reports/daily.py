"""Per-day aggregates of the TTHC report (docs/reports.md): a yearly report that does not grow with history.

Why they are exact
    Every figure of docs/reports.md for a period of whole local days [F, L] is, for a *regular*
    dossier (below), a sum of per-day counters. With r, s, w, p and dd the local days
    (Asia/Ho_Chi_Minh) of a dossier's receipt, resolution, withdrawal, pause and due time,
    z = s or w (a regular dossier has at most one), and the period's bounds F 00:00 and
    L + 1 00:00:

    * carried over (r < F ≤ z)          = Σ_{day < F} (received − closed)   (z < F implies r < F)
    * new, by channel (F ≤ r ≤ L)       = Σ_{F ≤ day ≤ L} received / online / direct / postal
    * resolved early / on time / late   = Σ_{F ≤ day ≤ L} early / on_time / late   (by s; the
      class compares the timestamps, ``dossiers.timeliness``)
    * withdrawn                         = Σ_{F ≤ day ≤ L} withdrawn (by w)
    * overdue (r ≤ L, due before the end, not resolved, withdrawn or paused before the end):
      a ≤ L < b with a = max(r, dd), b = min(s, w, p)  = Σ_{day ≤ L} (overdue_in − overdue_out),
      overdue_in counted on day a, overdue_out on day max(a, b)
    * in progress = T − R − X, within the deadline = in progress − overdue (§5's own identities).

    The scorecard's indicator 2.1 needs the same figures split by "more than one
    supplementation request", which is part of each row's key (``multi``).

    *Regular* means: received no later than resolved and than withdrawn, and not both
    resolved and withdrawn (the workflow never does otherwise). A counted dossier that is
    not regular (an import or a hand correction could make one) is listed in
    ``IrregularDossier`` and counted by the report's conditions over the dossiers
    (``services.counts_by_unit_and_field``). Dossiers never received (refused, or an online
    filing not yet accepted) count nowhere, as in the report.

Who keeps them
    Triggers on ``dossiers_dossier`` (installed by migration ``reports.0002``, SQLite and
    PostgreSQL): every INSERT, UPDATE of a column the report reads, and DELETE subtracts the
    dossier's old contribution and adds its new one, in the same transaction. So intake, every
    status transition (which all write through ``dossiers.audit``), bulk SQL, the admin and a
    restore all keep them without another line of code. The importer, a million rows in one
    statement, has the triggers skip its rows and adds them with one grouped upsert
    (:func:`inserting_in_bulk`, same transaction): a trigger a row cost PostgreSQL 385 s of
    a 1,000,000-line import.
    Reorganisations do not touch them: dossiers keep their receiving unit and the report picks
    the units (``services.units_counted``).

Checking and rebuilding
    :func:`differences` recomputes every row from the dossiers and compares it with the stored
    one (``motcua report verify`` prints them); :func:`rebuild` recomputes them all
    (``motcua report rebuild``, and the migration for existing data).
"""

from __future__ import annotations

import contextlib
import datetime as dt

from django.db import connection, transaction
from django.db.models import F, Q, Sum

from motcua.dossiers import rowsql, timeliness
from motcua.dossiers.models import Channel
from motcua.dossiers.timeliness import Timeliness

CHANNELS = tuple(Channel)  # a counter each, named by its value (DailyCount.online, .direct, .postal)
COUNTERS = ("received", *(str(c) for c in CHANNELS), "closed", "early", "on_time", "late", "withdrawn",
            "overdue_in", "overdue_out")
KEY = ("unit_id", "procedure_id", "day", "multi")
TABLE = "reports_dailycount"
IRREGULAR = "reports_irregulardossier"
FAR = "'9999-12-31'"

# ------------------------------------------------------------------ the SQL, for both databases
# Compiled per connection from the conditions of ``dossiers.timeliness`` (``dossiers.rowsql``):
# which dossiers count, late / early / on time, the local day of a moment, the channels named
# from their enum. What is written here is only the day arithmetic of the counters.

#: A regular dossier (see above): the irregular ones are listed and counted one by one.
REGULAR = ((Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("received_at")))
           & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("received_at")))
           & (Q(resolved_at__isnull=True) | Q(withdrawn_at__isnull=True)))


def _counted(conn, t: str) -> str:
    return rowsql.sql_text(timeliness.RECEIVED, conn, t)


def _regular(conn, t: str) -> str:
    return rowsql.sql_text(REGULAR, conn, t)


def _day(conn, t: str, column: str) -> str:
    """The local day (Asia/Ho_Chi_Minh) of ``t.column``: ``timeliness.LocalDate``, compiled."""
    return rowsql.expression_text(timeliness.LocalDate(column), conn, t)


DAYS = ("received_at", "due_at", "resolved_at", "withdrawn_at", "paused_at")  # the moments whose local day counts


def _parts(conn, t: str, sign: int, source: str = "", *, days_of: bool = False) -> list[str]:
    """One SELECT per kind of day: (unit, procedure, day, multi, counters × sign); ``source``
    the FROM clause naming the dossiers ``t``.
    ``days_of``: ``t`` is :func:`_with_days`'s table, the local days already computed
    (once a row, instead of once per use: the six SELECTs use them about thirty times)."""
    def days(sql: str) -> str:  # the local days computed inline replaced by _with_days's columns
        if days_of:
            for c in DAYS:
                sql = sql.replace(_day(conn, t, c), f"{t}.{c}_day")
        return sql

    def cond(q) -> str:
        return days(rowsql.sql_text(q, conn, t))

    day = (lambda c: f"{t}.{c}_day") if days_of else (lambda c: _day(conn, t, c))  # noqa: E731
    r, dd, s, w, p = day("received_at"), day("due_at"), day("resolved_at"), day("withdrawn_at"), day("paused_at")
    if conn.vendor == "postgresql":
        a = f"GREATEST({r}, {dd})"
        b = f"LEAST({s}, {w}, {p})"
        out = f"CASE WHEN {b} IS NULL THEN NULL ELSE GREATEST({a}, {b}) END"
    else:
        a = f"max({r}, {dd})"
        b = f"nullif(min(coalesce({s}, {FAR}), coalesce({w}, {FAR}), coalesce({p}, {FAR})), {FAR})"
        out = f"max({a}, {b})"  # NULL when b is NULL
    one = lambda q: f"{sign} * (CASE WHEN {cond(q)} THEN 1 ELSE 0 END)"  # noqa: E731
    by_class = {name: one(timeliness.resolved_class_q(kind)) for name, kind in (
        ("early", Timeliness.EARLY), ("on_time", Timeliness.ON_TIME), ("late", Timeliness.LATE))}
    days_of_kind = {
        r: {"received": str(sign), **{str(ch): one(Q(channel=ch)) for ch in CHANNELS}},
        f"coalesce({s}, {w})": {"closed": str(sign)},
        s: by_class,
        w: {"withdrawn": str(sign)},
        a: {"overdue_in": str(sign)},
        out: {"overdue_out": str(sign)},
    }
    where = f"{_counted(conn, t)} AND {_regular(conn, t)}"
    parts = []
    for day_sql, counters in days_of_kind.items():
        values = ", ".join(f"{counters.get(c, '0')} AS {c}" for c in COUNTERS)
        parts.append(f"SELECT {t}.unit_id AS unit_id, {t}.procedure_id AS procedure_id, {day_sql} AS day, "
                     f"({t}.supplement_requests > 1) AS multi, {values} {source} "
                     f"WHERE ({day_sql}) IS NOT NULL AND {where}")
    return parts


def _upsert(parts: list[str]) -> str:
    """Add the contributions to the counters, one row per key (in key order: no lock cycles)."""
    sums = ", ".join(f"SUM({c})" for c in COUNTERS)
    updates = ", ".join(f"{c} = {TABLE}.{c} + excluded.{c}" for c in COUNTERS)
    return (f"INSERT INTO {TABLE} ({', '.join(KEY)}, {', '.join(COUNTERS)}) "
            f"SELECT unit_id, procedure_id, day, multi, {sums} FROM ({' UNION ALL '.join(parts)}) v "
            f"WHERE true GROUP BY unit_id, procedure_id, day, multi ORDER BY unit_id, procedure_id, day, multi "
            f"ON CONFLICT (unit_id, procedure_id, day, multi) DO UPDATE SET {updates}")


def _irregular_insert(conn, t: str) -> str:
    return (f"INSERT INTO {IRREGULAR} (dossier_id) SELECT {t}.id WHERE {_counted(conn, t)} AND NOT ({_regular(conn, t)}) "
            f"ON CONFLICT (dossier_id) DO NOTHING")


def _irregular_delete(t: str) -> str:
    return f"DELETE FROM {IRREGULAR} WHERE dossier_id = {t}.id"


# The columns whose change can change a contribution (an UPDATE of anything else fires nothing).
WATCHED = ("unit_id", "procedure_id", "channel", "status", "received_at", "due_at", "resolved_at", "withdrawn_at",
           "paused_at", "refused_at", "supplement_requests")


def trigger_sql(conn=None) -> list[str]:
    """The statements that install the triggers (idempotent) on ``conn``'s database, as the code
    writes them today. A migration installs a frozen copy (``reports/migrations/_daily_v*.py``);
    the check ``reports.W001`` compares the database with this."""
    conn = conn or connection
    vendor = conn.vendor
    ins = [_upsert(_parts(conn, "NEW", 1)), _irregular_insert(conn, "NEW")]
    dele = [_upsert(_parts(conn, "OLD", -1)), _irregular_delete("OLD")]
    upd = [_upsert(_parts(conn, "OLD", -1) + _parts(conn, "NEW", 1)), _irregular_delete("OLD"),
           _irregular_insert(conn, "NEW")]
    if vendor == "postgresql":
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)
        body = (f"IF current_setting('{SUSPENDED_SETTING}', true) = 'on' THEN RETURN NULL; END IF; "
                f"IF TG_OP = 'INSERT' THEN {'; '.join(ins)}; "
                f"ELSIF TG_OP = 'DELETE' THEN {'; '.join(dele)}; "
                f"ELSE {'; '.join(upd)}; END IF; RETURN NULL;")
        return [
            f"CREATE OR REPLACE FUNCTION reports_dailycount_keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$",
            "DROP TRIGGER IF EXISTS reports_dailycount_ins_del ON dossiers_dossier",
            "DROP TRIGGER IF EXISTS reports_dailycount_upd ON dossiers_dossier",
            "CREATE TRIGGER reports_dailycount_ins_del AFTER INSERT OR DELETE ON dossiers_dossier "
            "FOR EACH ROW EXECUTE FUNCTION reports_dailycount_keep()",
            f"CREATE TRIGGER reports_dailycount_upd AFTER UPDATE ON dossiers_dossier FOR EACH ROW WHEN ({changed}) "
            "EXECUTE FUNCTION reports_dailycount_keep()",
        ]
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in WATCHED)
    return [
        *drop_sql(vendor),
        f"CREATE TRIGGER reports_dailycount_ins AFTER INSERT ON dossiers_dossier BEGIN {'; '.join(ins)}; END",
        f"CREATE TRIGGER reports_dailycount_del AFTER DELETE ON dossiers_dossier BEGIN {'; '.join(dele)}; END",
        f"CREATE TRIGGER reports_dailycount_upd AFTER UPDATE ON dossiers_dossier WHEN {changed} "
        f"BEGIN {'; '.join(upd)}; END",
    ]


def drop_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return ["DROP TRIGGER IF EXISTS reports_dailycount_ins_del ON dossiers_dossier",
                "DROP TRIGGER IF EXISTS reports_dailycount_upd ON dossiers_dossier",
                "DROP FUNCTION IF EXISTS reports_dailycount_keep()"]
    return [f"DROP TRIGGER IF EXISTS reports_dailycount_{op}" for op in ("ins", "del", "upd")]


SUSPENDED_SETTING = "motcua.daily_suspended"  # PostgreSQL: this transaction's own rows are added in bulk


READ = ("id", *WATCHED)  # what counts (a test holds WATCHED equal to the columns the SQL reads)


@contextlib.contextmanager
def inserting_in_bulk(cursor, dossiers: str):
    """For a bulk writer that inserts many dossiers with one statement (the importer): inside,
    the row triggers leave this transaction's inserts alone; on the way out the counters and
    irregular dossiers of ``dossiers`` — SQL of a FROM item naming rows ``d`` with the columns of
    :data:`READ`, exactly the rows inserted inside, as inserted — are added with one grouped
    upsert: what the triggers would have added, row by row. It must run inside the writer's
    transaction, so that both or neither are kept. Other transactions are not affected: on
    PostgreSQL the trigger function reads a transaction-local setting; on SQLite the triggers
    are dropped and put back inside the transaction, which holds the database's only write
    lock throughout (no other writer can insert meanwhile; readers see the committed schema)."""
    if not connection.in_atomic_block:
        raise RuntimeError("inserting_in_bulk needs the writer's transaction")
    vendor = connection.vendor
    if vendor == "postgresql":
        cursor.execute(f"SET LOCAL {SUSPENDED_SETTING} = 'on'")
    else:  # put back exactly the triggers that were there (those a migration installed), not today's
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'reports_dailycount_%' "
                       "ORDER BY name")
        installed = [row[0] for row in cursor.fetchall()]
        for statement in drop_sql(vendor):
            cursor.execute(statement)
    yield
    if vendor == "postgresql":
        cursor.execute(f"SET LOCAL {SUSPENDED_SETTING} = 'off'")
    else:
        for statement in installed:
            cursor.execute(statement)
    if vendor == "postgresql":
        # grouped by hashing, not by sorting the six contributions of every row (5 to 6 million rows a
        # million-line import; the planner, which cannot tell how many rows the filters keep, sorts);
        # and not compiled (the cost that steers it away from sorting would make it spend seconds in JIT)
        cursor.execute("SELECT current_setting('enable_sort'), current_setting('jit')")
        settings = cursor.fetchone()
        cursor.execute("SET LOCAL enable_sort = off; SET LOCAL jit = off")
    cursor.execute(_with_days(connection, source=dossiers) + _upsert(_parts(connection, "t", 1, "FROM t", days_of=True)))
    if vendor == "postgresql":
        cursor.execute("SELECT set_config('enable_sort', %s, true), set_config('jit', %s, true)", list(settings))
    cursor.execute(f"INSERT INTO {IRREGULAR} (dossier_id) {_irregular_sql(connection, dossiers)} "
                   f"ON CONFLICT (dossier_id) DO NOTHING")


def _with_days(conn, *, source: str = "dossiers_dossier d") -> str:
    """``WITH t AS MATERIALIZED (…)``: the counted, regular dossiers ``d`` of ``source`` with the
    local day of each moment of :data:`DAYS` as ``<moment>_day``, computed once a row."""
    days = ", ".join(f"{_day(conn, 'd', c)} AS {c}_day" for c in DAYS)
    return (f"WITH t AS MATERIALIZED (SELECT {', '.join('d.' + c for c in READ)}, {days} FROM {source} "
            f"WHERE {_counted(conn, 'd')} AND {_regular(conn, 'd')}) ")


def _recomputed_sql(conn) -> str:
    """Every row as the dossiers give it now (zero rows left out)."""
    parts = _parts(conn, "t", 1, "FROM t", days_of=True)
    sums = ", ".join(f"SUM({c}) AS {c}" for c in COUNTERS)
    nonzero = " OR ".join(f"SUM({c}) <> 0" for c in COUNTERS)
    return (f"{_with_days(conn)}SELECT unit_id, procedure_id, day, multi, {sums} FROM ({' UNION ALL '.join(parts)}) v "
            f"GROUP BY unit_id, procedure_id, day, multi HAVING {nonzero}")


def _irregular_sql(conn, source: str = "dossiers_dossier d") -> str:
    """The ids of the counted dossiers ``d`` of ``source`` that are not regular."""
    return f"SELECT d.id FROM {source} WHERE {_counted(conn, 'd')} AND NOT ({_regular(conn, 'd')})"


def installed_differences(conn=None) -> list[str]:
    """How the triggers in ``conn``'s database differ from :func:`trigger_sql` (empty: the same),
    one line each naming the trigger (or function) and the difference."""
    conn = conn or connection
    expected = trigger_sql(conn)
    lines: list[str] = []
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            want_body = next(s for s in expected if s.startswith("CREATE OR REPLACE FUNCTION")).split("$$")[1]
            cur.execute("SELECT prosrc FROM pg_proc WHERE proname = 'reports_dailycount_keep'")
            got = cur.fetchone()
            if got is None:
                lines.append("function reports_dailycount_keep: thiếu/missing")
            elif got[0] != want_body:
                lines.append(f"function reports_dailycount_keep: {_first_difference(got[0], want_body)}")
            want = {_pg_trigger(s) for s in expected if s.startswith("CREATE TRIGGER")}
            cur.execute("SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'dossiers_dossier'::regclass "
                        "AND NOT tgisinternal AND tgname LIKE 'reports_dailycount%'")
            got_triggers = {_pg_trigger(row[0]) for row in cur.fetchall()}
        else:
            want = {s.split()[2]: s for s in expected if s.startswith("CREATE TRIGGER")}
            cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                        "AND name LIKE 'reports_dailycount%'")
            got_sql = dict(cur.fetchall())
            for name in sorted(set(want) & set(got_sql)):
                if got_sql[name] != want[name]:
                    lines.append(f"trigger {name}: {_first_difference(got_sql[name], want[name])}")
            want, got_triggers = {(n,) for n in want}, {(n,) for n in got_sql}
    by_name = {t[0]: t for t in want}
    for t in sorted(got_triggers - want):
        if t[0] in by_name:
            lines.append(f"trigger {t[0]}: {t[1:]} ≠ {by_name[t[0]][1:]} (đã cài/installed ≠ mã/code)")
        else:
            lines.append(f"trigger {t[0]}: thừa/extra")
    for t in sorted(want - got_triggers):
        if t[0] not in {g[0] for g in got_triggers}:
            lines.append(f"trigger {t[0]}: thiếu/missing")
    return lines


def _pg_trigger(definition: str) -> tuple:
    """(name, events, watched columns) of a PostgreSQL ``CREATE TRIGGER`` (as written, or as
    ``pg_get_triggerdef`` gives it back)."""
    import re

    words = definition.split()
    events = definition.split(" AFTER ", 1)[1].split(" ON ", 1)[0]
    pairs = re.findall(r"(?i)old\.(\w+)\)?(?:::[\w ]+?)? IS DISTINCT FROM \(?new\.(\w+)", definition)
    watched = tuple(sorted({old if old == new else f"{old}≠{new}" for old, new in pairs}))
    return words[2], events, watched


def _first_difference(got: str, want: str) -> str:
    i = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    return (f"đã cài khác mã/installed differs from the code at character {i}: "
            f"…{got[max(0, i - 40):i + 40]!r}… ≠ …{want[max(0, i - 40):i + 40]!r}…")


def install(schema_editor=None) -> None:
    """Install (or re-install) the triggers on the current database."""
    conn = schema_editor.connection if schema_editor else connection
    with conn.cursor() as cur:
        for statement in trigger_sql(conn):
            cur.execute(statement)


def uninstall(schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor else connection
    with conn.cursor() as cur:
        for statement in drop_sql(conn.vendor):
            cur.execute(statement)


def rebuild(conn=None) -> int:
    """Recompute every row from the dossiers (one INSERT … SELECT); returns the number of rows."""
    conn = conn or connection
    with transaction.atomic(using=conn.alias), conn.cursor() as cur:
        if conn.vendor == "postgresql":  # no intake may slip between the delete and the insert
            cur.execute("LOCK TABLE dossiers_dossier IN SHARE MODE")
        cur.execute(f"DELETE FROM {TABLE}")
        cur.execute(f"DELETE FROM {IRREGULAR}")
        cur.execute(f"INSERT INTO {TABLE} ({', '.join(KEY)}, {', '.join(COUNTERS)}) {_recomputed_sql(conn)}")
        cur.execute(f"INSERT INTO {IRREGULAR} (dossier_id) {_irregular_sql(conn)}")
        cur.execute(f"SELECT count(*) FROM {TABLE}")
        return cur.fetchone()[0]


def _norm(row) -> tuple:
    unit, procedure, day, multi, *counters = row
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return (unit, procedure, day, bool(multi)), tuple(int(c) for c in counters)


def differences(unit_ids=None) -> list[str]:
    """Stored rows that differ from a recomputation from the dossiers, one line each (empty: all agree)."""
    wanted = None if unit_ids is None else set(unit_ids)
    with connection.cursor() as cur:
        cur.execute(_recomputed_sql(connection))
        expected = dict(_norm(r) for r in cur.fetchall())
        cur.execute(f"SELECT {', '.join(KEY)}, {', '.join(COUNTERS)} FROM {TABLE}")
        stored = {k: v for k, v in map(_norm, cur.fetchall()) if any(v)}
        cur.execute(_irregular_sql(connection))
        irregular_expected = {r[0] for r in cur.fetchall()}
        cur.execute(f"SELECT dossier_id FROM {IRREGULAR}")
        irregular_stored = {r[0] for r in cur.fetchall()}
    lines = []
    for key in sorted(set(expected) | set(stored), key=lambda k: (k[0], k[1], k[2], k[3])):
        if wanted is not None and key[0] not in wanted:
            continue
        got, want = stored.get(key, (0,) * len(COUNTERS)), expected.get(key, (0,) * len(COUNTERS))
        if got != want:
            diff = ", ".join(f"{c} {g}≠{e}" for c, g, e in zip(COUNTERS, got, want) if g != e)
            lines.append(f"số liệu theo ngày/daily aggregate unit={key[0]} procedure={key[1]} day={key[2]} "
                         f"multi={key[3]}: {diff}")
    for pk in sorted(irregular_expected ^ irregular_stored):
        lines.append(f"hồ sơ đếm riêng/irregular dossier id={pk}: "
                     f"{'thiếu/missing' if pk in irregular_expected else 'thừa/extra'}")
    return lines


# ------------------------------------------------------------------ the report's groups from the counters

def groups(unit_ids, date_from: dt.date, date_to: dt.date, *, field=None, procedure=None) -> list[dict]:
    """Every figure of ``services.COUNTED`` per (receiving unit, procedure), from the counters and the
    irregular dossiers: the same groups ``services.counts_by_unit_and_field`` gives over the
    period's dossiers (a group exists when it received at least one dossier)."""
    from motcua.reports.models import DailyCount

    rows = DailyCount.objects.filter(unit_id__in=list(unit_ids), day__lte=date_to)
    if field is not None:
        rows = rows.filter(procedure__field=field)
    if procedure is not None:
        rows = rows.filter(procedure=procedure)
    inside = Q(day__gte=date_from)
    sums = {
        "carried_over": Sum(F("received") - F("closed"), filter=Q(day__lt=date_from)),
        "new": Sum("received", filter=inside), "online": Sum("online", filter=inside),
        "direct": Sum("direct", filter=inside), "postal": Sum("postal", filter=inside),
        "early": Sum("early", filter=inside), "on_time": Sum("on_time", filter=inside),
        "late": Sum("late", filter=inside), "withdrawn": Sum("withdrawn", filter=inside),
        "overdue": Sum(F("overdue_in") - F("overdue_out")),
    }
    merged: dict[tuple[int, int], dict] = {}
    for row in rows.values("unit_id", "procedure_id", "procedure__field_id", "multi").annotate(**sums).order_by():
        f = {name: int(row[name] or 0) for name in sums}
        f["received"] = f["carried_over"] + f["new"]
        f["resolved"] = f["early"] + f["on_time"] + f["late"]
        f["in_progress"] = f["received"] - f["resolved"] - f["withdrawn"]
        f["within_deadline"] = f["in_progress"] - f["overdue"]
        handled = f["resolved"] + f["in_progress"]
        f["sc_handled"] = handled
        f["sc_multi"] = handled if row["multi"] else 0
        f["sc_in_time"] = 0 if row["multi"] else f["early"] + f["on_time"] + f["within_deadline"]
        _merge(merged, row, f)
    for row in _irregular_groups(unit_ids, date_from, date_to, field, procedure):
        _merge(merged, row, row)
    return [g for g in merged.values() if g["received"]]


def _merge(merged: dict, row: dict, figures: dict) -> None:
    from motcua.reports.services import COUNTED

    key = (row["unit_id"], row["procedure_id"])
    group = merged.setdefault(key, {"unit_id": row["unit_id"], "procedure_id": row["procedure_id"],
                                    "procedure__field_id": row["procedure__field_id"], **dict.fromkeys(COUNTED, 0)})
    for name in COUNTED:
        group[name] += int(figures.get(name) or 0)


def _irregular_groups(unit_ids, date_from, date_to, field, procedure) -> list[dict]:
    """The irregular dossiers' figures, counted by the report's conditions over the dossiers
    (``services.counts_by_unit_and_field``, built from ``dossiers.timeliness``): their timestamps
    are out of the workflow's order, so the per-day shortcut does not hold for them."""
    from motcua.dossiers.models import Dossier
    from motcua.reports import services
    from motcua.reports.models import IrregularDossier

    if not IrregularDossier.objects.exists():
        return []
    start, end = services.period_bounds(date_from, date_to)
    qs = Dossier.objects.filter(pk__in=IrregularDossier.objects.values("dossier_id"), unit_id__in=list(unit_ids))
    if field is not None:
        qs = qs.filter(procedure__field=field)
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    return services.counts_by_unit_and_field(qs.filter(timeliness.RECEIVED & services.received(start, end)), start, end)
