"""Where the import's write goes, statement by statement (docs/performance.md, legacy import).

``DATABASE_URL=postgres://… MOTCUA_DATA_DIR=… .venv/bin/python -m bench.import_explain FILE.jsonl``

Checks ``FILE`` and copies its rows as ``motcua import-dossiers`` does, then runs the write's
statements (``importer._write_rows``) in a transaction that is **rolled back**, each ``INSERT`` /
``UPDATE`` under ``EXPLAIN (ANALYZE, BUFFERS)`` (PostgreSQL), and prints each one's time with its
trigger times. ``BENCH_SET_WISE=0`` forces the foreign keys' row triggers (the path of a role that
may not set ``session_replication_role``); ``BENCH_EXPLAIN_VERBOSE=1`` prints whole plans. Nothing
is kept; on SQLite only the times are printed.
"""

from __future__ import annotations

import os
import sys
import time


class _RolledBack(Exception):
    pass


def main(path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from motcua.dossiers import importer

    verbose = os.environ.get("BENCH_EXPLAIN_VERBOSE") == "1"
    set_wise = {"0": False, "1": True}.get(os.environ.get("BENCH_SET_WISE", ""))
    pg = connection.vendor == "postgresql"

    def explained(execute, sql, params, many, context):
        started = time.perf_counter()
        words = sql.split()
        if pg and not many and words[0].upper() in ("INSERT", "UPDATE", "WITH"):
            result = execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params, many, context)
            plan = [row[0] for row in context["cursor"].fetchall()]
        else:
            result, plan = execute(sql, params, many, context), []
        seconds = time.perf_counter() - started
        if seconds >= 0.1 or plan:
            print(f"{seconds:8.1f} s  {' '.join(words)[:140]}", flush=True)
            for line in plan:
                if verbose or "Trigger" in line or "Execution Time" in line:
                    print(f"            {line}")
        return result

    with importer.Staging() as staging:
        started = time.perf_counter()
        report = importer.validate_file(path, staging)
        print(f"{time.perf_counter() - started:8.1f} s  checking {report.valid} lines ({report.processes} processes)")
        if not report.ok:
            raise SystemExit(f"{len(report.errors)} bad lines: the write is not replayed")
        sql = importer._Sql(connection.vendor)
        started = time.perf_counter()
        importer._load_rows(staging, sql, None, 0)
        print(f"{time.perf_counter() - started:8.1f} s  copy into the temporary table")
        started = time.perf_counter()
        try:
            with transaction.atomic(), connection.execute_wrapper(explained), connection.cursor() as cursor:
                importer._write_rows(cursor, sql, timezone.now(), "bench ", set_wise=set_wise)
                print(f"{time.perf_counter() - started:8.1f} s  the write transaction (rolled back)")
                raise _RolledBack
        except _RolledBack:
            pass
        finally:
            importer._drop_rows(sql)


if __name__ == "__main__":
    main(sys.argv[1])
