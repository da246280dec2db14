"""``motcua serve``: migrate if needed, then serve with gunicorn (a production server)."""

from __future__ import annotations

import os
import shutil
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate if needed, then serve the application with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("MOTCUA_WORKERS", "0")) or None)
        parser.add_argument("--threads", type=int, default=int(os.environ.get("MOTCUA_THREADS", "4")),
                            help="threads per worker process (default 4; 1 = one request at a time per process)")

    def handle(self, *args, **options):
        from django.conf import settings

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        cores = os.cpu_count() or 1
        sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
        workers = options["workers"] or (2 if sqlite else 2 * cores + 1)
        bind = f"{options['host']}:{options['port']}"
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        argv = [
            gunicorn or sys.executable, *([] if gunicorn else ["-m", "gunicorn"]),
            "motcua.wsgi:application", "--bind", bind, "--workers", str(workers), "--threads", str(max(1, options["threads"])),
            "--access-logfile", "-", "--timeout", "60", "--graceful-timeout", "10",
            "--preload", "--no-control-socket",
        ]
        # Links made without a request (the worker's e-mails) point where this server listens,
        # unless MOTCUA_PUBLIC_URL names the public address (motcua.links.public_url).
        from motcua.links import serve_url

        os.environ["MOTCUA_SERVE_URL"] = serve_url(options["host"], options["port"])
        self.stdout.write(f"Motcua: http://{bind}/  (gunicorn, {workers} workers × {options['threads']} threads)")
        sys.stdout.flush()
        os.execv(argv[0], argv)
