from django.db import migrations

from motcua.reports.migrations import _daily_v2, _daily_v3
from motcua.reports.migrations._install import installer


class Migration(migrations.Migration):
    """The triggers compiled from the conditions of ``dossiers.timeliness`` (issue 22): the same
    counts as ``_daily_v2``'s, so the counters are not rebuilt. Frozen SQL (``_daily_v3``)."""

    dependencies = [("reports", "0003_daily_bulk_inserts")]

    operations = [migrations.RunPython(installer(_daily_v3), installer(_daily_v2))]
