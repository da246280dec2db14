"""The demo data seeded once per test process, then copied back in for each test that asks.

``seed_demo()`` runs about 5,700 queries (0.35–0.45 s on SQLite, more on PostgreSQL) and nine
tests in ten use it. The first test that asks seeds it for real and keeps what the seeding
wrote: every row it added or changed, table by table, in the database's own text form. Each
later test writes those rows back inside one transaction (foreign keys are checked at its
end, so the order of tables does not matter) and, on PostgreSQL, moves each sequence past
the ids written. The test's rollback (or ``transactional_db``'s flush) removes them as it
removes the rest. What the seeding writes depends on what is there before it (a test's own
rows, ``admin_user``; the rows migrations wrote, gone after a ``transactional_db`` flush), so a
copy is kept per state of the database it was taken from (a digest of every row). Tests of
the seeding itself call ``seed_demo()`` and see the real thing.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

# Never copied: the cache (each test starts empty) and the migration ledger.
SKIPPED = {"motcua_cache", "django_migrations"}


@dataclass
class Snapshot:
    """The rows the seeding wrote: per table, its primary key column, the keys of rows that
    existed before and were changed, and the new and changed rows."""

    tables: dict[str, tuple[str, list, list]] = field(default_factory=dict)


_SNAPSHOTS: dict[tuple[str, str], Snapshot] = {}


_TABLES: dict[str, list[tuple[str, str]]] = {}


def _tables() -> list[tuple[str, str]]:
    """Every table with its primary key column (tables without one are left out); read once
    per process and database (the test database's schema is the migrated one throughout)."""
    if connection.settings_dict["NAME"] not in _TABLES:
        _TABLES[connection.settings_dict["NAME"]] = _read_tables()
    return _TABLES[connection.settings_dict["NAME"]]


def _read_tables() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        names = [t.name for t in connection.introspection.get_table_list(cursor)
                 if t.type == "t" and t.name not in SKIPPED]
        return [(t, pk) for t in names if (pk := connection.introspection.get_primary_key_column(cursor, t))]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _read(table: str, pk: str) -> dict:
    """The table's rows by primary key, in a form that can be written back as it was."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY's text form round-trips every type (JSON, arrays, ranges) unchanged.
            rows = {}
            with cursor.cursor.copy(f"COPY (SELECT {_quote(pk)}::text, t.* FROM {_quote(table)} t) TO STDOUT") as copy:
                text = b"".join(bytes(chunk) for chunk in copy).decode()
            for line in text.splitlines():
                key, _, rest = line.partition("\t")
                rows[key] = rest
            return rows
        cursor.execute(f"SELECT * FROM {_quote(table)}")
        columns = [c[0] for c in cursor.description]
        at = columns.index(pk)
        return {row[at]: tuple(map(_as_stored, row)) for row in cursor.fetchall()}


def _as_stored(value):
    """A value read through Django's SQLite converters back in the form Django stores it
    (dates, times and moments as their ``str``, decimals as text, booleans as 0/1)."""
    if isinstance(value, (dt.date, dt.time, decimal.Decimal)):
        return str(value)
    if isinstance(value, bool):
        return int(value)
    return value


def take(seed) -> Snapshot:
    """Run ``seed`` and keep what it wrote."""
    tables = _tables()
    before = {t: _read(t, pk) for t, pk in tables}
    seed()
    snapshot = Snapshot()
    for table, pk in tables:
        after = _read(table, pk)
        changed = [k for k, row in after.items() if k in before[table] and before[table][k] != row]
        rows = [row for k, row in after.items() if before[table].get(k) != row]
        if rows:
            snapshot.tables[table] = (pk, changed, rows)
    return snapshot


def restore(snapshot: Snapshot) -> None:
    """Write the snapshot's rows back (one transaction) and move the sequences past them."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (pk, changed, rows) in snapshot.tables.items():
            if changed:
                cursor.execute(f"DELETE FROM {_quote(table)} WHERE {_quote(pk)} IN ({', '.join(['%s'] * len(changed))})",
                               changed)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {_quote(table)} FROM STDIN") as copy:
                    copy.write(("\n".join(rows) + "\n").encode())
            else:
                marks = ", ".join(["%s"] * len(rows[0]))
                cursor.executemany(f"INSERT INTO {_quote(table)} VALUES ({marks})", rows)
        if connection.vendor == "postgresql":
            written = set(snapshot.tables)
            models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in written]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


def _state() -> str:
    """A digest of every row of every table: the state the seeding starts from."""
    digest = hashlib.blake2b(digest_size=16)
    if connection.vendor == "postgresql":  # one round trip instead of one per table
        parts = [f"SELECT {i}, md5(coalesce(string_agg(t::text, '|' ORDER BY t.{_quote(pk)}), '')) "
                 f"FROM {_quote(table)} t" for i, (table, pk) in enumerate(_tables())]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts))
            digest.update(repr(sorted(cursor.fetchall())).encode())
        return digest.hexdigest()
    for table, pk in _tables():
        for key, row in sorted(_read(table, pk).items(), key=lambda item: str(item[0])):
            digest.update(repr((table, key, row)).encode())
    return digest.hexdigest()


def seed_once() -> None:
    """The demo data in this test's database: seeded for real the first time in this process
    from a given state of the database (just migrated, flushed by a ``transactional_db`` test,
    or with rows a test wrote first), copied back in afterwards from the same state."""
    from motcua.demo.catalog import seed_demo

    key = (connection.vendor, _state())
    snapshot = _SNAPSHOTS.get(key)
    if snapshot is None:
        _SNAPSHOTS[key] = take(seed_demo)
    else:
        restore(snapshot)
