"""``motcua serve [--host H] [--port P] [--no-worker]``: migrate if needed, collect static
files, then serve with gunicorn and run the background worker beside it (docs/commands.md)."""

from __future__ import annotations

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from motcua.links import serve_url
from motcua.server.supervisor import supervise


class Command(BaseCommand):
    help = "Migrate if needed, then serve with gunicorn and run the background worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.SERVE_HOST, help="address to listen on (MOTCUA_HOST)")
        parser.add_argument("--port", type=int, default=settings.SERVE_PORT, help="port (MOTCUA_PORT)")
        parser.add_argument("--workers", type=int, default=settings.SERVE_WORKERS or None,
                            help="gunicorn processes (MOTCUA_WORKERS; default 2 on SQLite, 2 × cores + 1 otherwise)")
        parser.add_argument("--threads", type=int, default=settings.SERVE_THREADS,
                            help="threads per gunicorn process (MOTCUA_THREADS, default 4)")
        parser.add_argument("--no-worker", action="store_true",
                            help="do not run the background worker (run `motcua worker` elsewhere)")

    def handle(self, *args, **options):
        if not 0 < options["port"] < 65536:
            raise CommandError(f"cổng không hợp lệ / invalid port: {options['port']}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        from motcua.datadir import clean_scratch

        clean_scratch()  # work files an import killed earlier left behind
        sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
        workers = options["workers"] or (2 if sqlite else 2 * (os.cpu_count() or 1) + 1)
        threads = max(1, options["threads"])
        host = options["host"]
        bind = f"[{host}]:{options['port']}" if ":" in host else f"{host}:{options['port']}"
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        web = [
            gunicorn or sys.executable, *([] if gunicorn else ["-m", "gunicorn"]),
            "motcua.wsgi:application", "--bind", bind, "--workers", str(workers), "--threads", str(threads),
            "--config", "python:motcua.gunicorn_conf", "--timeout", "60", "--graceful-timeout", "10",
            "--preload", "--no-control-socket",
        ]
        worker = None if options["no_worker"] else [sys.executable, "-m", "motcua", "worker"]
        # Links made without a request (the worker's e-mails) point where this server listens,
        # unless MOTCUA_PUBLIC_URL names the public address (motcua.links.public_url).
        child_env = {**os.environ, "MOTCUA_SERVE_URL": serve_url(host, options["port"])}
        self.stdout.write(
            f"Motcua: http://{bind}/  (gunicorn, {workers} workers × {threads} threads"
            f"{'' if worker else '; no background worker'})"
        )
        if not settings.TRUSTED_PROXY:
            # Each slow client holds one of the workers × threads while it trickles its request
            # (bench/slow_clients.py): a buffering proxy in front is what withstands them.
            self.stdout.write(
                f"Cần một reverse proxy (nginx) phía trước trước khi mở ra Internet: {workers * threads} kết nối "
                f"gửi chậm là đủ làm máy chủ này ngừng trả lời. / A reverse proxy (nginx) is required in front "
                f"before this is reachable from the Internet: {workers * threads} slow clients stall it "
                "(docs/operators/install.md)."
            )
        sys.stdout.flush()
        status = supervise(web, worker, child_env)
        if status:
            sys.exit(status)
