"""Installing a frozen copy of the per-day counters' SQL (``_daily_v*``), for the migrations that
put one in place or back: the statements for the connection's database, in order."""


def installer(frozen):
    def run(apps, schema_editor):
        statements = frozen.POSTGRESQL if schema_editor.connection.vendor == "postgresql" else frozen.SQLITE
        with schema_editor.connection.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
    return run
