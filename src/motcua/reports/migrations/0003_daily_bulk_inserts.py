from django.db import migrations

from motcua.reports.migrations import _daily_v1, _daily_v2


def _install(frozen):
    def run(apps, schema_editor):
        statements = frozen.POSTGRESQL if schema_editor.connection.vendor == "postgresql" else frozen.SQLITE
        with schema_editor.connection.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
    return run


class Migration(migrations.Migration):
    """The trigger function again: on PostgreSQL it now leaves a bulk writer's own rows to
    ``reports.daily.inserting_in_bulk`` (the SQLite triggers are unchanged). The SQL as this
    migration wrote it (``_daily_v2``), not today's code's."""

    dependencies = [("reports", "0002_daily_counts")]

    operations = [migrations.RunPython(_install(_daily_v2), _install(_daily_v1))]
