"""``motcua backup PATH``: one archive with the database and every stored file (docs/commands.md)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from motcua.backups.archive import BackupError, backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và mọi tệp vào một tệp / back up the database and every stored file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="tệp .tar sẽ ghi (hoặc thư mục) / the archive to write (or a folder)")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            summary = backup(options["path"])
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        rows = sum(summary.tables.values())
        self.stdout.write(f"Đã sao lưu {rows} dòng dữ liệu, {summary.files} tệp ({summary.bytes} byte) "
                          f"trong {time.monotonic() - started:.1f} s / backed up")
