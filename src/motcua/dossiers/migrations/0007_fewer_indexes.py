"""Five foreign-key indexes that a composite index already starts with (each was written on every
intake and imported line, and the importer writes a million at a time).

The database side is a plain ``DROP INDEX`` (the names are the same on SQLite and PostgreSQL):
``AlterField`` would make SQLite copy each whole table into a new one, which is slow at millions of
rows and would drop the report's triggers on ``dossiers_dossier`` with the old table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


DROPPED = [  # (index, table, column)
    ("dossiers_dossier_current_unit_id_879e2efd", "dossiers_dossier", "current_unit_id"),
    ("dossiers_dossier_owner_id_21952ae7", "dossiers_dossier", "owner_id"),
    ("dossiers_dossier_unit_id_49f6b550", "dossiers_dossier", "unit_id"),
    ("dossiers_dossierevent_dossier_id_90237d93", "dossiers_dossierevent", "dossier_id"),
    ("dossiers_dossierunit_unit_id_e8403e05", "dossiers_dossierunit", "unit_id"),
]


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0004_unit_changes'),
        ('dossiers', '0006_delivery_address'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='dossier',
                    name='current_unit',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='handling_dossiers', to='catalog.unit', verbose_name='đơn vị đang xử lý'),
                ),
                migrations.AlterField(
                    model_name='dossier',
                    name='owner',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='owned_dossiers', to=settings.AUTH_USER_MODEL, verbose_name='tài khoản chủ hồ sơ'),
                ),
                migrations.AlterField(
                    model_name='dossier',
                    name='unit',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='dossiers', to='catalog.unit', verbose_name='đơn vị tiếp nhận'),
                ),
                migrations.AlterField(
                    model_name='dossierevent',
                    name='dossier',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='dossiers.dossier', verbose_name='hồ sơ'),
                ),
                migrations.AlterField(
                    model_name='dossierunit',
                    name='unit',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.unit', verbose_name='đơn vị'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(f"DROP INDEX IF EXISTS {name}", f"CREATE INDEX {name} ON {table} ({column})")
                for name, table, column in DROPPED
            ],
        ),
    ]
