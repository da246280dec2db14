"""``motcua check --database default`` (and ``migrate``): the triggers of the report's per-day
counters in the database are those the code writes (``reports.daily.trigger_sql``).

A migration installs a frozen copy of the SQL (``reports/migrations/_daily_v*.py``), so a
database keeps what its last migration installed; when the code's SQL changes without a new
migration, or a hand edits a trigger, the counters would drift: this names the difference.
"""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import connections


def _migrated(conn) -> bool:
    """Every migration of the reports app applied (before that, a migration will install them)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(conn, ignore_no_migrations=True)
    mine = {node for node in loader.graph.nodes if node[0] == "reports"}
    return bool(mine) and mine <= set(loader.applied_migrations)


@register(Tags.database)
def triggers_as_the_code_writes_them(app_configs=None, databases=None, **kwargs):
    from motcua.reports import daily

    messages = []
    for alias in databases or ():
        conn = connections[alias]
        if not _migrated(conn):
            continue
        lines = daily.installed_differences(conn)
        if lines:
            messages.append(Warning(
                "Trigger số liệu báo cáo theo ngày khác với mã nguồn / the per-day report counters' triggers differ "
                f"from the code ({alias}): " + "; ".join(lines),
                hint="motcua report rebuild (cài lại trigger theo mã và tính lại số liệu / reinstalls the code's "
                     "triggers and recomputes the counters); a change of the SQL needs a migration with a frozen copy",
                id="motcua.reports.W001",
            ))
    return messages
