"""The audit trail is append-only in the database too: UPDATE and DELETE of an event fail.

(PostgreSQL's TRUNCATE, used only by test teardown and by an operator wiping a database,
is not a row change and is not blocked.)"""

from django.db import migrations

PG = """
CREATE OR REPLACE FUNCTION motcua_event_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'dossier events are append-only'; END; $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS dossierevent_append_only ON dossiers_dossierevent;
CREATE TRIGGER dossierevent_append_only BEFORE UPDATE OR DELETE ON dossiers_dossierevent
FOR EACH ROW EXECUTE FUNCTION motcua_event_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS dossierevent_append_only ON dossiers_dossierevent;
DROP FUNCTION IF EXISTS motcua_event_append_only();
"""
SQLITE = """
CREATE TRIGGER IF NOT EXISTS dossierevent_no_update BEFORE UPDATE ON dossiers_dossierevent
BEGIN SELECT RAISE(ABORT, 'dossier events are append-only'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS dossierevent_no_update;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
