from django.db import migrations

from motcua.reports.migrations import _daily_v1, _daily_v2
from motcua.reports.migrations._install import installer


class Migration(migrations.Migration):
    """The trigger function again: on PostgreSQL it now leaves a bulk writer's own rows to
    ``reports.daily.inserting_in_bulk`` (the SQLite triggers are unchanged). The SQL as this
    migration wrote it (``_daily_v2``), not today's code's."""

    dependencies = [("reports", "0002_daily_counts")]

    operations = [migrations.RunPython(installer(_daily_v2), installer(_daily_v1))]
