"""Build :class:`~motcua.worktime.calendar.Calendar` values from the database.

Calendars are cached per process for a short time and rebuilt whenever an override or a
calendar changes (the cache key includes the latest ``updated_at``), so several server
processes agree without shared memory.
"""

from __future__ import annotations

import datetime as dt
import threading
import time as _time

import holidays as holidays_lib
from django.db.models import Max

from motcua.worktime import calendar as wt
from motcua.worktime.models import CalendarDay, DayKind, WorkCalendar

YEARS_AROUND = 6  # holidays are loaded for [this year − 5, this year + 5]
_CACHE_SECONDS = 5.0
_cache: dict[int | None, tuple[float, tuple, wt.Calendar]] = {}
_lock = threading.Lock()


def _parse_time(text: str) -> dt.time:
    hours, minutes = text.split(":")[:2]
    return dt.time(int(hours), int(minutes))


def public_holidays(years: range) -> set[dt.date]:
    """Vietnam's public holidays (lunar Tết, Giỗ Tổ and observed days) from ``holidays``."""
    return set(holidays_lib.country_holidays("VN", years=list(years)).keys())


def _version(calendar_id: int | None) -> tuple:
    days = CalendarDay.objects.aggregate(m=Max("updated_at"))["m"]
    cals = WorkCalendar.objects.aggregate(m=Max("updated_at"))["m"]
    return (days, cals)


def build_calendar(work_calendar: WorkCalendar | None, years: range | None = None) -> wt.Calendar:
    """The Calendar for ``work_calendar`` (None: the default hours, national days only)."""
    if years is None:
        this_year = dt.date.today().year
        years = range(this_year - YEARS_AROUND + 1, this_year + YEARS_AROUND)
    days_off: set[dt.date] = set()
    if work_calendar is None or work_calendar.use_public_holidays:
        days_off = public_holidays(years)
    extra_working: set[dt.date] = set()
    overrides = CalendarDay.objects.filter(calendar__isnull=True)
    if work_calendar is not None:
        overrides = CalendarDay.objects.filter(calendar__in=[work_calendar]) | overrides
    # National overrides first, then the calendar's own: the more specific wins.
    for day in sorted(overrides, key=lambda d: d.calendar_id is not None):
        if day.kind == DayKind.OFF:
            days_off.add(day.date)
            extra_working.discard(day.date)
        else:
            days_off.discard(day.date)
            extra_working.add(day.date)
    periods = wt.DEFAULT_PERIODS
    if work_calendar is not None and work_calendar.periods:
        periods = tuple((_parse_time(a), _parse_time(b)) for a, b in work_calendar.periods)
    return wt.Calendar(days_off=frozenset(days_off), extra_working_days=frozenset(extra_working), periods=periods)


def _calendar_id_for(unit) -> int | None:
    if unit is None:
        return None
    if unit.calendar_id:
        return unit.calendar_id
    for ancestor in reversed(unit.ancestors()):
        if ancestor.calendar_id:
            return ancestor.calendar_id
    return None


def calendar_for_unit(unit) -> wt.Calendar:
    """The working calendar of ``unit`` (its own, an ancestor's, or the default)."""
    key = unit.pk if unit is not None else None
    now = _time.monotonic()
    with _lock:
        hit = _cache.get(key)
    if hit and now - hit[0] < _CACHE_SECONDS:
        return hit[2]
    version = _version(None)
    if hit and hit[1] == version:
        with _lock:
            _cache[key] = (now, version, hit[2])
        return hit[2]
    calendar_id = _calendar_id_for(unit)
    if calendar_id is not None:
        work_calendar = WorkCalendar.objects.get(pk=calendar_id)
    else:
        work_calendar = WorkCalendar.objects.filter(is_default=True).first()
    built = build_calendar(work_calendar)
    with _lock:
        _cache[key] = (now, version, built)
    return built


def clear_cache() -> None:
    with _lock:
        _cache.clear()
