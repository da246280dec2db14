"""``motcua report tthc --unit CODE --from YYYY-MM-DD --to YYYY-MM-DD [--children] [--format json|xlsx|pdf] [--output PATH]``.

The statistics report of CONTRACT §5: JSON on stdout by default; ``xlsx`` and ``pdf`` are
Biểu số 06/VPCP/KSTT, written to ``--output`` (or to stdout as bytes). User errors exit 1
with one line on stderr.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.models import Unit
from motcua.errors import DomainError
from motcua.reports import export
from motcua.reports.services import parse_period, tthc_report


def _one_line_error(message: str):
    """Argument errors: one line on stderr and exit 1 (argparse would print usage and exit 2)."""
    sys.stderr.write(f"Lỗi / error: tham số không hợp lệ / invalid arguments: {message}\n")
    sys.exit(1)


class Command(BaseCommand):
    help = "Báo cáo thống kê giải quyết TTHC (Biểu 06/VPCP/KSTT) / the TTHC statistics report."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = _one_line_error
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["tthc"], help="loại báo cáo: tthc (Biểu 06/VPCP/KSTT)")
        parser.add_argument("--unit", required=True, help="mã đơn vị, ví dụ YB.LY")
        parser.add_argument("--from", dest="date_from", required=True, help="từ ngày YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="đến ngày YYYY-MM-DD")
        parser.add_argument("--children", action="store_true", help="cộng cả các đơn vị trực thuộc")
        parser.add_argument("--format", choices=["json", "xlsx", "pdf"], default="json")
        parser.add_argument("--output", help="ghi ra tệp này (mặc định: stdout)")

    def handle(self, *args, **options):
        try:
            date_from, date_to = parse_period(options["date_from"], options["date_to"])
        except DomainError as exc:
            detail = "; ".join(f"--{k}: {' '.join(v)}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message} {detail} / invalid period") from None
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Không tìm thấy đơn vị “{options['unit']}” / unknown unit {options['unit']!r}")
        report = tthc_report(unit, date_from, date_to, children=options["children"])
        fmt = options["format"]
        if fmt == "json":
            content = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        elif fmt == "xlsx":
            content = export.to_xlsx(report)
        else:
            content = export.to_pdf(report)
        self._write(content, options.get("output"), fmt)

    def _write(self, content: bytes, output: str | None, fmt: str) -> None:
        if output:
            try:
                with open(output, "wb") as fh:
                    fh.write(content)
            except OSError as exc:
                raise CommandError(f"Không ghi được tệp {output}: {exc.strerror} / cannot write {output}") from None
            self.stderr.write(f"Đã ghi {output} ({len(content)} byte) / written")
            return
        if fmt == "json":
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        buffer = getattr(self.stdout._out, "buffer", None) if hasattr(self.stdout, "_out") else None
        if buffer is None:
            buffer = sys.stdout.buffer
        buffer.write(content)
        buffer.flush()
