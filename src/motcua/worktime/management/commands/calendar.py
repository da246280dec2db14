"""``motcua calendar YEAR [--unit CODE]``: the year's days off and extra working days;
``motcua calendar import FILE.json [--dry-run]``: load a year's official decisions (docs/commands.md).

Prints what the deadline arithmetic will use, so an administrator can check it against
the Prime Minister's decision for the year: the working hours, every Monday–Friday that
is not worked and every Saturday or Sunday that is, each with its name and where it comes
from (the law through the ``holidays`` package, or an override entered in the admin).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.models import Unit
from motcua.worktime import calendar as wt
from motcua.worktime.services import year_overview

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
SOURCES = {"law": "ngày lễ theo luật", "override": "quản trị nhập"}


def _hours(periods: wt.Periods) -> str:
    return ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in periods)


class Command(BaseCommand):
    help = "Print a year's days off and extra working days (Lịch nghỉ, ngày làm bù của một năm)."

    def add_arguments(self, parser):
        parser.add_argument("year", help="the year, e.g. 2026; or `import` followed by a file")
        parser.add_argument("file", nargs="?", help="with `import`: the year's decisions (motcua-calendar/1 JSON)")
        parser.add_argument("--unit", help="unit code: the calendar that unit uses (default: the default calendar)")
        parser.add_argument("--dry-run", action="store_true", help="with `import`: check and say what would change")

    def handle(self, *args, **options):
        if str(options["year"]).strip() == "import":
            return self.import_file(options["file"], dry_run=options["dry_run"])
        year_text = str(options["year"]).strip()
        if not year_text.isdigit() or not 1900 < int(year_text) < 2200:
            raise CommandError(f"Năm không hợp lệ: “{year_text}” / invalid year")
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị “{options['unit']}” / unknown unit")
        overview = year_overview(int(year_text), unit)
        out = self.stdout.write
        calendar_name = overview.work_calendar.name if overview.work_calendar else "Giờ hành chính (mặc định)"
        out(f"Lịch làm việc năm {overview.year}" + (f" — {unit.name} ({unit.code})" if unit else "") + f": {calendar_name}")
        for since, periods in overview.hours:
            prefix = f"từ {since:%d/%m/%Y}" if since else "đầu năm"
            out(f"Giờ làm việc ({prefix}): {_hours(periods)}")
        out("")
        out(f"Ngày nghỉ trong tuần / weekdays off ({len(overview.days_off)}):")
        for note in overview.days_off:
            out(self._line(note))
        out("")
        out(f"Ngày làm việc thứ Bảy, Chủ nhật / extra working days ({len(overview.extra_working_days)}):")
        for note in overview.extra_working_days:
            out(self._line(note))
        out("")
        out(f"Tổng số ngày làm việc / working days: {overview.working_days}")

    def import_file(self, path: str | None, *, dry_run: bool) -> None:
        from motcua.worktime.models import CalendarDay
        from motcua.worktime.official import CalendarFileError, load_days, read_calendar_file
        from motcua.worktime.services import clear_cache

        if not path:
            raise CommandError("Thiếu tệp: motcua calendar import FILE.json / missing file")
        try:
            year, days = read_calendar_file(path)
        except CalendarFileError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(exc.problems)} lỗi trong tệp {path}, chưa nạp gì / problems found, nothing loaded") from None
        result = load_days(CalendarDay, year, days, dry_run=dry_run)
        clear_cache()
        verb = "Sẽ ghi (chạy thử) / would write" if dry_run else "Đã nạp / loaded"
        self.stdout.write(f"{verb} lịch năm {year}: {result.created} ngày mới, {result.updated} ngày sửa, "
                          f"{result.unchanged} ngày giữ nguyên / {result.created} new, {result.updated} changed, "
                          f"{result.unchanged} unchanged")

    @staticmethod
    def _line(note) -> str:
        source = SOURCES.get(note.source, note.source)
        decision = f"; {note.decision}" if note.decision else ""
        return f"  {WEEKDAYS[note.date.weekday()]:<9} {note.date:%d/%m/%Y}  {note.name}  [{source}{decision}]"
