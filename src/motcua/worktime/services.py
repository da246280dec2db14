"""Build :class:`~motcua.worktime.calendar.Calendar` values from the database.

A calendar is: Vietnam's public holidays from the ``holidays`` package (Bộ luật Lao động
2019, Art. 112, lunar Tết included, with the swaps the package knows), then the national
overrides an administrator entered (``CalendarDay`` without a calendar), then the
calendar's own overrides; the more specific decision wins. Working hours are the
calendar's ``periods`` changed from a date on by its ``WorkingHours`` rows.

Calendars are cached per process for a few seconds. Each process checks a version (the
latest change and the row counts of every calendar table, and which calendar the unit
uses) before reusing one, and a save or delete in this process clears the cache at once,
so several server processes agree without shared memory.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time as _time
from dataclasses import dataclass

import holidays as holidays_lib
from django.db.models import Count, Max

from motcua.worktime import calendar as wt
from motcua.worktime.models import CalendarDay, DayKind, WorkCalendar, WorkingHours, parse_periods

FIRST_YEAR = 2000  # holidays are known from here…
YEARS_AHEAD = 10  # …to this many years after the current one
_CACHE_SECONDS = 5.0
STATUTORY_SOURCE = "gói holidays (Bộ luật Lao động 2019, Điều 112)"
_cache: dict[int | None, tuple[float, tuple, wt.Calendar]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class DayNote:
    """Why a date is off or worked: its name and where the rule comes from."""

    date: dt.date
    kind: str  # DayKind
    name: str
    source: str  # "law" (the holidays package) or "override" (entered by an administrator)
    decision: str = ""


def default_years() -> range:
    """The years a built calendar knows: 2000 to ten years ahead."""
    return range(FIRST_YEAR, dt.date.today().year + YEARS_AHEAD + 1)


@functools.lru_cache(maxsize=8)
def _statutory(years: tuple[int, ...]) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    found = holidays_lib.country_holidays("VN", years=list(years), language="vi")
    names = {day: str(name) for day, name in found.items()}
    return names, frozenset(getattr(found, "weekend_workdays", ()) or ())


def public_holidays(years: range) -> set[dt.date]:
    """Vietnam's public holidays (lunar Tết, Giỗ Tổ and observed days) from ``holidays``."""
    return set(_statutory(tuple(years))[0])


def day_notes(work_calendar: WorkCalendar | None, years: range | None = None) -> dict[dt.date, DayNote]:
    """Every date the statutory holidays or an override say something about.

    Dates on which the result differs from the plain Monday–Friday week are exactly the
    days off on weekdays and the worked weekend days of :func:`build_calendar`.
    """
    years = years if years is not None else default_years()
    notes: dict[dt.date, DayNote] = {}
    if work_calendar is None or work_calendar.use_public_holidays:
        names, weekend_workdays = _statutory(tuple(years))
        for day, name in names.items():
            notes[day] = DayNote(day, DayKind.OFF, name, "law", STATUTORY_SOURCE)
        for day in weekend_workdays:
            notes[day] = DayNote(day, DayKind.WORKING, "Ngày làm việc bù", "law", STATUTORY_SOURCE)
    overrides = CalendarDay.objects.filter(calendar__isnull=True)
    if work_calendar is not None and work_calendar.pk is not None:
        overrides = overrides | CalendarDay.objects.filter(calendar=work_calendar)
    # National overrides first, then the calendar's own: the more specific wins.
    for row in sorted(overrides, key=lambda d: (d.calendar_id is not None, d.date)):
        notes[row.date] = DayNote(row.date, row.kind, row.name, "override", row.decision)
    return notes


def _period_changes(work_calendar: WorkCalendar | None) -> tuple[tuple[dt.date, wt.Periods], ...]:
    if work_calendar is None or work_calendar.pk is None:
        return ()
    return tuple((row.valid_from, parse_periods(row.periods)) for row in WorkingHours.objects.filter(calendar=work_calendar))


def build_calendar(work_calendar: WorkCalendar | None, years: range | None = None) -> wt.Calendar:
    """The Calendar for ``work_calendar`` (None: the default hours, national days only)."""
    days_off: set[dt.date] = set()
    extra_working: set[dt.date] = set()
    for note in day_notes(work_calendar, years).values():
        if note.kind == DayKind.OFF:
            days_off.add(note.date)
        else:
            extra_working.add(note.date)
    periods = wt.DEFAULT_PERIODS
    if work_calendar is not None and work_calendar.periods:
        periods = parse_periods(work_calendar.periods)
    return wt.Calendar(
        days_off=frozenset(days_off), extra_working_days=frozenset(extra_working),
        periods=periods, period_changes=_period_changes(work_calendar),
    )


def _calendar_id_for(unit) -> int | None:
    """The unit's own calendar, else its nearest ancestor's, else the default one."""
    if unit is not None:
        if unit.calendar_id:
            return unit.calendar_id
        for ancestor in reversed(unit.ancestors()):
            if ancestor.calendar_id:
                return ancestor.calendar_id
    return WorkCalendar.objects.filter(is_default=True).order_by("pk").values_list("pk", flat=True).first()


def work_calendar_for_unit(unit) -> WorkCalendar | None:
    """The stored calendar ``unit`` uses (its own, an ancestor's, the default, or None)."""
    calendar_id = _calendar_id_for(unit)
    return WorkCalendar.objects.filter(pk=calendar_id).first() if calendar_id is not None else None


def _version() -> tuple:
    """Changes whenever any calendar row is added, changed or deleted."""
    return tuple(
        tuple(model.objects.aggregate(m=Max("updated_at"), n=Count("pk")).values())
        for model in (CalendarDay, WorkCalendar, WorkingHours)
    ) + (dt.date.today().year,)


def calendar_for_unit(unit) -> wt.Calendar:
    """The working calendar of ``unit`` (its own, an ancestor's, or the default)."""
    key = unit.pk if unit is not None else None
    now = _time.monotonic()
    with _lock:
        hit = _cache.get(key)
    if hit and now - hit[0] < _CACHE_SECONDS:
        return hit[2]
    calendar_id = _calendar_id_for(unit)
    version = (calendar_id, _version())
    if hit and hit[1] == version:
        built = hit[2]
    else:
        work_calendar = WorkCalendar.objects.filter(pk=calendar_id).first() if calendar_id is not None else None
        built = build_calendar(work_calendar)
    with _lock:
        _cache[key] = (now, version, built)
    return built


def clear_cache() -> None:
    with _lock:
        _cache.clear()


# ---------------------------------------------------------------- what an administrator checks

@dataclass(frozen=True)
class YearOverview:
    """The days of ``year`` that differ from the plain Monday–Friday week, with reasons."""

    year: int
    work_calendar: WorkCalendar | None
    days_off: list[DayNote]  # Monday–Friday dates that are not worked
    extra_working_days: list[DayNote]  # weekend dates that are worked
    hours: list[tuple[dt.date | None, wt.Periods]]  # (from, periods) in force during the year
    working_days: int


def year_overview(year: int, unit=None) -> YearOverview:
    """What the system will use in ``year`` for ``unit`` (None: the default calendar)."""
    if not 1900 < year < 2200:
        raise wt.CalendarError("year out of range")
    work_calendar = work_calendar_for_unit(unit)
    cal = build_calendar(work_calendar, range(year - 1, year + 2))
    notes = day_notes(work_calendar, range(year - 1, year + 2))
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    days_off, extra, working = [], [], 0
    day = first
    while day <= last:
        is_weekend = day.weekday() in cal.weekend
        if wt.is_working_day(cal, day):
            working += 1
            if is_weekend:
                extra.append(notes.get(day) or DayNote(day, DayKind.WORKING, "", "override"))
        elif not is_weekend:
            days_off.append(notes.get(day) or DayNote(day, DayKind.OFF, "", "override"))
        day += dt.timedelta(days=1)
    hours: list[tuple[dt.date | None, wt.Periods]] = [(None, cal.periods_on(first))]
    hours += [(since, periods) for since, periods in cal.period_changes if first < since <= last]
    return YearOverview(year, work_calendar, days_off, extra, hours, working)
