"""``motcua restore PATH [--force]``: put a backup back into an empty installation (docs/commands.md)."""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from motcua.backups.archive import BackupError, restore


class Command(BaseCommand):
    help = "Khôi phục từ bản sao lưu / restore a backup (an installation with data needs --force)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="tệp sao lưu .tar / the archive")
        parser.add_argument("--force", action="store_true", help="thay thế dữ liệu đang có / replace existing data")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            summary = restore(options["path"], force=options["force"])
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        call_command("migrate", verbosity=0, interactive=False)  # a backup of an older version moves forward
        self.stdout.write(f"Đã khôi phục {sum(summary.tables.values())} dòng dữ liệu, {summary.files} tệp "
                          f"trong {time.monotonic() - started:.1f} s / restored")
