"""``motcua worker``: run background tasks (notifications, the daily overdue watch) until
stopped (docs/commands.md). ``--batch`` runs what is due now and exits (cron, tests)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from motcua.server.worker import run_due_tasks, run_worker


class Command(BaseCommand):
    help = "Run background tasks (notifications, the daily overdue watch) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run the tasks due now, then exit")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds between looks at the queue when it is empty (default 1)")

    def handle(self, *args, **options):
        from motcua.datadir import clean_scratch

        clean_scratch()  # work files an import killed earlier left behind
        if options["batch"]:
            done = run_due_tasks()
            self.stdout.write(f"{done} tác vụ đã chạy / tasks run")
            return
        self.stdout.write("Motcua: background worker started")
        self.stdout.flush()
        run_worker(interval=max(0.1, options["interval"]))
