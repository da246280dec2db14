"""SQLite: an event of an existing dossier cannot be deleted either.

Migration 0002 blocks UPDATE on both databases and DELETE on PostgreSQL. SQLite had no
DELETE guard because Django empties tables one by one, in no fixed order, to reset a
test database (``flush``): a trigger that aborted would break that. So on SQLite:

- deleting an event whose dossier still exists is silently skipped (``RAISE(IGNORE)``):
  the row stays, whatever the statement;
- deleting a dossier (which the ORM refuses while it has events: ``PROTECT``) takes its
  events with it, so a whole-database wipe still works in any table order.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER IF NOT EXISTS dossierevent_no_delete BEFORE DELETE ON dossiers_dossierevent
    WHEN EXISTS (SELECT 1 FROM dossiers_dossier WHERE id = OLD.dossier_id)
    BEGIN SELECT RAISE(IGNORE); END;
    """,
    """
    CREATE TRIGGER IF NOT EXISTS dossier_delete_takes_events AFTER DELETE ON dossiers_dossier
    BEGIN DELETE FROM dossiers_dossierevent WHERE dossier_id = OLD.id; END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS dossierevent_no_delete;",
    "DROP TRIGGER IF EXISTS dossier_delete_takes_events;",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_events_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
