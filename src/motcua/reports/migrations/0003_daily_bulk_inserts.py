from django.db import migrations


def reinstall(apps, schema_editor):
    """The trigger function again: on PostgreSQL it now leaves a bulk writer's own rows to
    ``reports.daily.inserting_in_bulk`` (the SQLite triggers are unchanged; installing is idempotent)."""
    from motcua.reports import daily

    daily.install(schema_editor)


class Migration(migrations.Migration):

    dependencies = [("reports", "0002_daily_counts")]

    operations = [migrations.RunPython(reinstall, migrations.RunPython.noop)]
