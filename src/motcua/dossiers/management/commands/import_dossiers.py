"""``motcua import-dossiers FILE.jsonl [--dry-run]`` (docs/commands.md, docs/import-format.md).

Validates the whole file first. On any bad line: ``line N: reason`` on stderr for each,
nothing imported, exit 1. ``--dry-run`` validates and reports the counts, writes nothing.
``FILE`` ``-`` reads standard input. On a terminal, a progress bar on stderr (checking, then
writing).
"""

from __future__ import annotations

import os
import stat
import sys
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.dossiers.importer import default_workers, import_dossiers, import_file


def _one_line_error(message: str):
    """Argument errors: one line on stderr and exit 1 (argparse would print usage and exit 2)."""
    sys.stderr.write(f"Lỗi / error: tham số không hợp lệ / invalid arguments: {message}\n")
    sys.exit(1)


class ProgressBar:
    """``[#####-----]  48 % kiểm tra / checking`` on one terminal line, redrawn at most 5 times a second."""

    WORDS = {"validate": "kiểm tra / checking", "write": "ghi / writing"}

    def __init__(self, stream) -> None:
        self.stream, self.last = stream, 0.0
        self.phase: str | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == self.phase and now - self.last < 0.2 and done < total:
            return
        if self.phase is not None and phase != self.phase:
            self.stream.write("\n")
        self.phase, self.last = phase, now
        share = min(1.0, done / total) if total else 0.0
        filled = int(share * 30)
        self.stream.write(f"\r[{'#' * filled}{'-' * (30 - filled)}] {share * 100:3.0f} % {self.WORDS.get(phase, phase)}")
        self.stream.flush()

    def close(self) -> None:
        if self.phase is not None:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = "Nhập hồ sơ từ tệp JSON Lines (mỗi dòng một hồ sơ) / import dossiers from a JSONL file."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = _one_line_error
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp .jsonl (- : đọc từ stdin)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi / validate only")
        parser.add_argument("--workers", type=int, default=None, metavar="N",
                            help=f"số tiến trình kiểm tra một tệp lớn song song (mặc định {default_workers()}, "
                                 f"tệp nhỏ: 1) / processes that check a large file side by side")

    def handle(self, *args, **options):
        from motcua.datadir import clean_scratch

        clean_scratch()  # an earlier import killed with kill -9 left its staging files
        path, dry_run, workers = options["file"], options["dry_run"], options["workers"]
        if workers is not None and not 1 <= workers <= 64:
            _one_line_error("--workers: từ 1 đến 64 / between 1 and 64")
        bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
        try:
            if path == "-":
                report = import_dossiers(sys.stdin.buffer, dry_run=dry_run, file_name="stdin", progress=bar)
            else:
                try:
                    handle = open(path, "rb")
                except OSError as exc:
                    raise CommandError(f"Không mở được tệp {path}: {exc.strerror} / cannot open {path}") from None
                with handle:
                    regular = stat.S_ISREG(os.fstat(handle.fileno()).st_mode)
                    if not regular:  # a pipe or a device: read as a stream, in one process
                        report = import_dossiers(handle, dry_run=dry_run, file_name=os.path.basename(path), progress=bar)
                if regular:  # checked in parts side by side when it is large
                    report = import_file(path, workers=workers, dry_run=dry_run, progress=bar)
        finally:
            if bar:
                bar.close()

        if report.errors:
            for number, reason in report.errors:
                self.stderr.write(f"line {number}: {reason}" if number else reason)
            raise CommandError(
                f"{len(report.errors)} dòng lỗi, không nhập hồ sơ nào / {len(report.errors)} bad lines, nothing imported"
            )
        total = report.valid
        counts = ", ".join(f"{status} {n}" for status, n in report.counts().items()) or "0"
        rate = total / report.seconds if report.seconds else 0
        n = report.processes
        vi, en = (f", kiểm tra bằng {n} tiến trình song song", f", checked by {n} processes") if n > 1 else ("", "")
        if dry_run:
            self.stdout.write(
                f"Tệp hợp lệ: {total} hồ sơ ({counts}); chạy thử, không ghi gì{vi} / dry run: {total} valid, nothing written{en}"
            )
        else:
            self.stdout.write(
                f"Đã nhập {report.imported} hồ sơ ({counts}) trong {report.seconds:.1f} s, {rate:.0f} dòng/s"
                f" (ghi trong một giao dịch {report.transaction_seconds:.1f} s{vi})"
                f" / imported {report.imported} dossiers, write transaction {report.transaction_seconds:.1f} s{en}"
            )
