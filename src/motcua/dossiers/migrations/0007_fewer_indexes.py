"""Five foreign-key indexes that a composite index already starts with (each was written on every
intake and imported line, and the importer writes a million at a time).

The database side is a plain ``DROP INDEX`` (the names are the same on SQLite and PostgreSQL):
``AlterField`` would make SQLite copy each whole table into a new one, which is slow at millions of
rows and would drop the report's triggers on ``dossiers_dossier`` with the old table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


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
                migrations.RunSQL("DROP INDEX IF EXISTS dossiers_dossier_current_unit_id_879e2efd", "CREATE INDEX dossiers_dossier_current_unit_id_879e2efd ON dossiers_dossier (current_unit_id)"),
                migrations.RunSQL("DROP INDEX IF EXISTS dossiers_dossier_owner_id_21952ae7", "CREATE INDEX dossiers_dossier_owner_id_21952ae7 ON dossiers_dossier (owner_id)"),
                migrations.RunSQL("DROP INDEX IF EXISTS dossiers_dossier_unit_id_49f6b550", "CREATE INDEX dossiers_dossier_unit_id_49f6b550 ON dossiers_dossier (unit_id)"),
                migrations.RunSQL("DROP INDEX IF EXISTS dossiers_dossierevent_dossier_id_90237d93", "CREATE INDEX dossiers_dossierevent_dossier_id_90237d93 ON dossiers_dossierevent (dossier_id)"),
                migrations.RunSQL("DROP INDEX IF EXISTS dossiers_dossierunit_unit_id_e8403e05", "CREATE INDEX dossiers_dossierunit_unit_id_e8403e05 ON dossiers_dossierunit (unit_id)"),
            ],
        ),
    ]
