from django.db import migrations

from motcua.reports.migrations import _daily_v2, _daily_v3


def _install(frozen):
    def run(apps, schema_editor):
        statements = frozen.POSTGRESQL if schema_editor.connection.vendor == "postgresql" else frozen.SQLITE
        with schema_editor.connection.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
    return run


class Migration(migrations.Migration):
    """The triggers compiled from the conditions of ``dossiers.timeliness`` (issue 22): the same
    counts as ``_daily_v2``'s, so the counters are not rebuilt. Frozen SQL (``_daily_v3``)."""

    dependencies = [("reports", "0003_daily_bulk_inserts")]

    operations = [migrations.RunPython(_install(_daily_v3), _install(_daily_v2))]
