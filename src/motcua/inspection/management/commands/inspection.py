"""``motcua inspection rebuild`` and ``motcua inspection verify --unit U --from D --to D [--children]``."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from motcua.errors import DomainError


class Command(BaseCommand):
    help = "Kiểm tra công vụ: dựng lại các bước xử lý từ nhật ký (rebuild), đối chiếu báo cáo cán bộ (verify)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("rebuild", help="recompute the stored steps from the audit trail")
        verify = sub.add_parser("verify", help="recount the officers' report dossier by dossier")
        verify.add_argument("--unit", required=True)
        verify.add_argument("--from", dest="date_from", required=True)
        verify.add_argument("--to", dest="date_to", required=True)
        verify.add_argument("--children", action="store_true")

    def handle(self, *args, what: str, **options):
        if what == "rebuild":
            from motcua.inspection import store

            self.stdout.write(f"{store.rebuild()} bước/steps")
            return
        from motcua.inspection import recount
        from motcua.reports.services import ReportQuery, parse_period
        from motcua.catalog import services as catalog

        try:
            unit = catalog.get_unit(options["unit"])
            first, last = parse_period(options["date_from"], options["date_to"])
        except DomainError as error:
            raise CommandError(error.message) from None
        found = recount.differences(ReportQuery(unit, first, last, options["children"]))
        for line in found:
            self.stdout.write(line)
        if found:
            sys.exit(1)
        self.stdout.write("OK")
