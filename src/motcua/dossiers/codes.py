"""Dossier codes ``{unit identifier}-{YYMMDD}-{XXXX}`` (TT 01/2018 Art. 19): XXXX is the
sequence of the unit's dossiers received that day, unique and gapless under any concurrency."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection

from motcua.catalog.models import Unit
from motcua.dossiers.models import Dossier, DossierSequence

CODE_PATTERN = re.compile(r"^(?P<prefix>.+)-(?P<day>\d{6})-(?P<seq>\d{4,})$")


def allocate_code(unit: Unit, day: dt.date) -> str:
    """The next code ``{unit identifier}-{YYMMDD}-{XXXX}`` for ``unit`` on ``day``.

    One atomic upsert: the sequence row stays locked until the caller's transaction ends,
    so codes are unique and gapless per unit and day under any concurrency (a rolled-back
    intake rolls its number back too).
    """
    table = DossierSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, day, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (unit_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [unit.pk, day],
        )
        (number,) = cursor.fetchone()
    return f"{unit.dossier_prefix}-{day:%y%m%d}-{number:04d}"


def assign_code(dossier: Dossier, day: dt.date) -> str:
    """Give ``dossier`` (already inserted with a provisional code) its final code for
    ``day``, inside the caller's transaction, and return it.

    The sequence row's lock is what serialises intakes of one unit and day, so it is taken
    as late as possible: after the dossier's rows are written, one statement takes the next
    number and sets the code (on PostgreSQL an ``INSERT … ON CONFLICT`` inside the
    ``UPDATE``); only the event and the commit follow while it is held.
    """
    unit = dossier.unit
    if connection.vendor != "postgresql":  # SQLite: the transaction holds the database's write lock anyway
        code = allocate_code(unit, day)
        Dossier.objects.filter(pk=dossier.pk).update(code=code)
    else:
        seq_t, dossier_t = DossierSequence._meta.db_table, Dossier._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH seq AS (INSERT INTO {seq_t} (unit_id, day, last) VALUES (%s, %s, 1) "
                f"ON CONFLICT (unit_id, day) DO UPDATE SET last = {seq_t}.last + 1 RETURNING last) "
                f"UPDATE {dossier_t} SET code = %s || lpad(seq.last::text, greatest(4, length(seq.last::text)), '0') FROM seq "
                f"WHERE {dossier_t}.id = %s RETURNING {dossier_t}.code",
                [unit.pk, day, f"{unit.dossier_prefix}-{day:%y%m%d}-", dossier.pk],
            )
            (code,) = cursor.fetchone()
    dossier.code = code
    return code


def note_imported_code(unit: Unit, code: str) -> None:
    """Keep the day's sequence ahead of an imported code in our own format.

    One atomic upsert (``last = max(last, number)``), safe beside concurrent intakes.
    """
    match = CODE_PATTERN.match(code)
    if not match or match["prefix"] != unit.dossier_prefix:
        return
    try:
        day = dt.datetime.strptime(match["day"], "%y%m%d").date()
    except ValueError:
        return
    number = int(match["seq"])
    table = DossierSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, day, last) VALUES (%s, %s, %s) "
            f"ON CONFLICT (unit_id, day) DO UPDATE SET last = "
            f"CASE WHEN {table}.last < excluded.last THEN excluded.last ELSE {table}.last END",
            [unit.pk, day, number],
        )
