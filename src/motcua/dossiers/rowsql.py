"""A query condition over one dossier, as SQL text for a trigger or a hand-written statement.

Django compiles an expression for the database it runs on (``LocalDate.as_sqlite``, PostgreSQL's
``AT TIME ZONE``); a trigger cannot take parameters and names its row ``NEW``/``OLD``, so
:func:`sql_text` compiles a :class:`~django.db.models.Q` for a connection, names the row, and
writes the parameters as literals. The per-day counters of the report (``reports.daily``) are
written this way from the conditions of ``dossiers.timeliness``: one definition, compiled per
database, instead of a copy in SQL.
"""

from __future__ import annotations

from django.db.models import Q
from django.db.models.sql import Query

from motcua.dossiers.models import Dossier


def _literal(value) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {value!r}")


def sql_text(condition: Q, connection, row: str) -> str:
    """``condition`` over the dossier ``row`` (``NEW``, ``OLD``, an alias), compiled for
    ``connection``'s database, parameters written as literals."""
    def make(query, compiler):
        return query.build_where(condition).as_sql(compiler, connection)
    return _text(connection, make, row)


def expression_text(expression, connection, row: str) -> str:
    """An expression (``LocalDate("due_at")``) over the dossier ``row``, as :func:`sql_text`."""
    def make(query, compiler):
        return compiler.compile(expression.resolve_expression(query, allow_joins=False))
    return _text(connection, make, row)


def _text(connection, make, row: str) -> str:
    query = Query(Dossier)
    sql, params = make(query, query.get_compiler(connection=connection))
    sql = sql.replace(connection.ops.quote_name(Dossier._meta.db_table) + ".", row + ".")
    return sql % tuple(_literal(p) for p in params)
