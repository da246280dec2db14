"""``Dossier.version`` is the ``seq`` of the dossier's last event: named for what it is
(issue 22 §6). The column is renamed in place (``ALTER TABLE … RENAME COLUMN`` on both
databases), its rows unchanged. Its default, the first event's number that every dossier is
inserted with (intake and import wrote it explicitly), and its label are the model's only: no
database default, so the table is not rebuilt (on SQLite a rebuild would drop the triggers
kept on it)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0010_canonical_phones")]
    operations = [
        migrations.RenameField(model_name="dossier", old_name="version", new_name="last_event_seq"),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name="dossier",
                name="last_event_seq",
                field=models.PositiveIntegerField(default=1, verbose_name="số thứ tự sự kiện cuối"),
            ),
        ]),
    ]
