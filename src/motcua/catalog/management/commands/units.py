"""``motcua units merge|move|history``: record the reorganisation of local government.

    motcua units merge YB.LY.A YB.LY.B --into YB.C [--name "Xã C" --level commune --parent YB]
                       --on 2025-07-01 [--decision "NQ 1234/NQ-UBTVQH15"] [--dry-run]
    motcua units move YB.LY.MX --to YB --on 2025-07-01 [--decision …] [--dry-run]
    motcua units history YB.LY.MX

``--dry-run`` prints what would change and writes nothing (``catalog.reorganise``).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from motcua import dates
from motcua.catalog import reorganise
from motcua.catalog.models import Unit
from motcua.errors import DomainError


def _unit(code: str, what: str = "đơn vị") -> Unit:
    unit = Unit.objects.filter(code=(code or "").strip()).first()
    if unit is None:
        raise CommandError(f"Không có {what} “{code}” / unknown unit")
    return unit


def _day(text: str):
    try:
        return dates.check(dt.date.fromisoformat((text or "").strip()), "on")
    except (ValueError, DomainError) as exc:
        raise CommandError(f"Ngày hiệu lực không hợp lệ: “{text}” (YYYY-MM-DD) / invalid --on date") from exc


class Command(BaseCommand):
    help = "Sáp nhập, chuyển đơn vị hành chính và xem lịch sử (merge, move units; history)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        merge = sub.add_parser("merge", help="units A B … into C on a date")
        merge.add_argument("sources", nargs="+", help="codes of the units that merge")
        merge.add_argument("--into", required=True, help="code of the successor (an existing unit, or a new one with --name)")
        merge.add_argument("--name", help="name of a new successor")
        merge.add_argument("--level", help="level of a new successor: province, district or commune")
        merge.add_argument("--parent", help="parent code of a new successor")
        merge.add_argument("--national-id", default="", help="national identifier of a new successor")
        merge.add_argument("--on", required=True, help="effective date, YYYY-MM-DD")
        merge.add_argument("--decision", default="", help="the decision or resolution")
        merge.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")
        move = sub.add_parser("move", help="a unit (and everything below it) to another parent")
        move.add_argument("unit")
        move.add_argument("--to", required=True, help="code of the new parent")
        move.add_argument("--on", required=True, help="effective date, YYYY-MM-DD")
        move.add_argument("--decision", default="")
        move.add_argument("--dry-run", action="store_true")
        history = sub.add_parser("history", help="the recorded changes of a unit")
        history.add_argument("unit")

    def handle(self, *args, **options):
        verb = options["verb"]
        if verb == "history":
            return self.history(_unit(options["unit"]))
        on = _day(options["on"])
        try:
            if verb == "merge":
                sources = [_unit(code) for code in options["sources"]]
                existing = Unit.objects.filter(code=options["into"]).first()
                if existing is not None and not options["name"]:
                    into = existing
                elif options["name"]:
                    parent = _unit(options["parent"], "đơn vị cấp trên") if options["parent"] else None
                    into = reorganise.NewUnit(code=options["into"], name=options["name"],
                                              level=options["level"] or (sources[0].level if sources else ""),
                                              parent=parent, national_id=options["national_id"])
                else:
                    raise CommandError(f"Không có đơn vị “{options['into']}”: để tạo đơn vị mới, thêm --name / unknown unit")
                plan = reorganise.plan_merge(sources, into, on, options["decision"])
            else:
                plan = reorganise.plan_move(_unit(options["unit"]), _unit(options["to"], "đơn vị cấp trên"),
                                            on, options["decision"])
        except DomainError as exc:
            details = "; ".join(m for msgs in exc.fields.values() for m in msgs)
            raise CommandError(f"{exc.message} {details}".strip()) from exc
        for line in plan.lines:
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("(Chạy thử: chưa ghi gì / dry run: nothing written)")
            return
        reorganise.apply(plan)
        self.stdout.write("Đã ghi. / Done.")

    def history(self, unit: Unit):
        changes = reorganise.history(unit)
        if not changes:
            self.stdout.write(f"{unit.name} ({unit.code}): chưa có thay đổi nào được ghi.")
        for change in changes:
            what = change.get_kind_display()
            if change.kind == change.Kind.MERGE:
                detail = f"{change.unit.name} → {change.successor.name if change.successor else '—'}"
            else:
                old = change.from_parent.name if change.from_parent else "—"
                new = change.to_parent.name if change.to_parent else "—"
                detail = f"{change.unit.name}: {old} → {new}"
            decision = f" ({change.decision})" if change.decision else ""
            self.stdout.write(f"{change.effective_on:%d/%m/%Y} {what}: {detail}{decision}")
