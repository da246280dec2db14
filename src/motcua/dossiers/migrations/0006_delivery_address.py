"""The postal address a citizen gives for the result (docs/api.md ``delivery_address``).

SQLite adds a column by rebuilding the table, and the triggers of 0003 name
``dossiers_dossier``: they are dropped for the rebuild and created again after it.
"""

import importlib

from django.db import migrations, models

guard = importlib.import_module("motcua.dossiers.migrations.0003_events_delete_guard_sqlite")


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0005_vietnamese_labels'),
    ]

    operations = [
        migrations.RunPython(guard.backwards, guard.forwards),
        migrations.AddField(
            model_name='dossier',
            name='delivery_address',
            field=models.CharField(blank=True, max_length=300, verbose_name='địa chỉ nhận kết quả qua bưu chính'),
        ),
        migrations.RunPython(guard.forwards, guard.backwards),
    ]
