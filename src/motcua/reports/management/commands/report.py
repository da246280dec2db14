"""``motcua report tthc --unit CODE --from YYYY-MM-DD --to YYYY-MM-DD [--children] [--format json|xlsx|pdf] [--output PATH]``.

The statistics report of docs/reports.md: JSON on stdout by default; ``xlsx`` and ``pdf`` are
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
        parser.add_argument("kind", choices=["tthc", "verify", "rebuild"],
                            help="tthc: Biểu 06/VPCP/KSTT; verify: đếm lại từng hồ sơ và so với báo cáo; "
                                 "rebuild: tính lại số liệu theo ngày từ hồ sơ")
        parser.add_argument("--unit", help="mã đơn vị, ví dụ YB.LY (verify: đơn vị này và các đơn vị trực thuộc)")
        parser.add_argument("--from", dest="date_from", help="từ ngày YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="đến ngày YYYY-MM-DD")
        parser.add_argument("--children", action="store_true", help="cộng cả các đơn vị trực thuộc")
        parser.add_argument("--format", choices=["json", "xlsx", "pdf"], default="json")
        parser.add_argument("--output", help="ghi ra tệp này (mặc định: stdout)")

    def handle(self, *args, **options):
        if options["kind"] == "verify":
            return self.verify(options.get("unit"))
        if options["kind"] == "rebuild":
            return self.rebuild()
        missing = [f"--{name}" for name, key in (("unit", "unit"), ("from", "date_from"), ("to", "date_to")) if not options.get(key)]
        if missing:
            _one_line_error(f"thiếu / missing {', '.join(missing)}")
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

    def rebuild(self) -> None:
        """``report rebuild``: recompute the per-day counters from the dossiers (``reports.daily``)."""
        from motcua.reports import daily

        daily.install()
        rows = daily.rebuild()
        self.stdout.write(f"Đã tính lại {rows} dòng số liệu theo ngày từ hồ sơ / per-day aggregates rebuilt ({rows} rows)")

    def verify(self, unit_code: str | None) -> None:
        """``report verify [--unit CODE]``: exit 0 when every figure agrees with a one-by-one recount,
        else exit 1 listing every difference."""
        from django.utils import timezone

        from motcua.reports.recount import verify

        if unit_code:
            unit = Unit.objects.filter(code=unit_code).first()
            if unit is None:
                raise CommandError(f"Không tìm thấy đơn vị “{unit_code}” / unknown unit {unit_code!r}")
            units = list(unit.subtree().order_by("path"))
        else:
            units = list(Unit.objects.order_by("path"))
        checked: list[Unit] = []
        differences = verify(units, timezone.localdate(), progress=checked.append)
        for line in differences:
            self.stdout.write(line)
        if differences:
            self.stderr.write(f"{len(differences)} số liệu không khớp / figures differ")
            sys.exit(1)
        self.stdout.write(f"Khớp: {len(checked)} đơn vị có hồ sơ, mọi số liệu (đọc từ số liệu theo ngày) bằng số đếm lại "
                          f"từng hồ sơ, số liệu theo ngày bằng số tính lại / all figures agree (the report reads the "
                          f"per-day aggregates; they equal a recount from the dossiers)")

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
