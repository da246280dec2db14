"""The working calendar and deadline arithmetic (CONTRACT §3), in plain Python.

A :class:`Calendar` is a value: which days are working days and the working periods of a
day. Every function here is pure: no ORM, no HTTP. ``motcua.worktime.services`` builds a
Calendar from the database (holidays from the ``holidays`` package plus the overrides an
administrator entered) and calls these functions.

Rules (with sources in ``shared/domain/deadlines-and-calendar.md``):

* Working days are Monday–Friday minus public holidays (Bộ luật Lao động 2019, Art. 112,
  lunar Tết included) plus compensatory working days and extra days off decided yearly.
* A moment outside working hours counts from the start of the next working period; after
  a procedure's same-day cut-off (e.g. 15:00) it counts from the next working day.
* ``due_at`` for N working days is the end of working hours on the N-th working day after
  the effective receipt day; N = 0 ("same day") is the end of the receipt day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_PERIODS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(7, 30), dt.time(11, 30)),
    (dt.time(13, 0), dt.time(17, 0)),
)
_MAX_SCAN_DAYS = 3660  # no calendar has ten years without a working day


class CalendarError(ValueError):
    """The calendar cannot answer (no working day within ten years, bad periods…)."""


@dataclass(frozen=True)
class Calendar:
    """Working days and working hours.

    ``days_off``: dates that are not worked though they fall Monday–Friday (holidays,
    swapped days). ``extra_working_days``: Saturdays or Sundays that are worked
    (compensatory working days). A date in both is a working day (the later decision wins
    when the overrides are built; see ``services.build_calendar``).
    """

    days_off: frozenset[dt.date] = frozenset()
    extra_working_days: frozenset[dt.date] = frozenset()
    periods: tuple[tuple[dt.time, dt.time], ...] = DEFAULT_PERIODS
    weekend: frozenset[int] = frozenset({5, 6})
    tz: dt.tzinfo = field(default=VN_TZ)

    def __post_init__(self):
        if not self.periods:
            raise CalendarError("a calendar needs at least one working period")
        previous_end = None
        for start, end in self.periods:
            if not start < end or (previous_end is not None and start < previous_end):
                raise CalendarError("working periods must be increasing and not overlap")
            previous_end = end

    @property
    def day_start(self) -> dt.time:
        return self.periods[0][0]

    @property
    def day_end(self) -> dt.time:
        return self.periods[-1][1]

    @property
    def seconds_per_day(self) -> int:
        return sum(_seconds(end) - _seconds(start) for start, end in self.periods)


def _seconds(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _at(cal: Calendar, day: dt.date, t: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, t, tzinfo=cal.tz)


def _local(cal: Calendar, moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise CalendarError("moments must be timezone-aware")
    return moment.astimezone(cal.tz)


def is_working_day(cal: Calendar, day: dt.date) -> bool:
    if day in cal.extra_working_days:
        return True
    return day.weekday() not in cal.weekend and day not in cal.days_off


def next_working_day(cal: Calendar, day: dt.date) -> dt.date:
    """The first working day strictly after ``day``."""
    for _ in range(_MAX_SCAN_DAYS):
        day = day + dt.timedelta(days=1)
        if is_working_day(cal, day):
            return day
    raise CalendarError("no working day within ten years")


def working_day_on_or_after(cal: Calendar, day: dt.date) -> dt.date:
    return day if is_working_day(cal, day) else next_working_day(cal, day)


def is_working_time(cal: Calendar, moment: dt.datetime) -> bool:
    local = _local(cal, moment)
    if not is_working_day(cal, local.date()):
        return False
    t = local.time()
    return any(start <= t < end for start, end in cal.periods)


def effective_receipt(cal: Calendar, moment: dt.datetime, cutoff: dt.time | None = None) -> dt.datetime:
    """When a dossier arriving at ``moment`` counts as received.

    Inside working hours: the moment itself. Before opening, at a break or after closing:
    the start of the next working period. After ``cutoff`` (a procedure's same-day cut-off)
    on a working day: the start of the next working day.
    """
    local = _local(cal, moment)
    day, t = local.date(), local.time()
    if is_working_day(cal, day):
        if cutoff is not None and t >= cutoff:
            return _at(cal, next_working_day(cal, day), cal.day_start)
        for start, end in cal.periods:
            if t < start:
                return _at(cal, day, start)
            if t < end:
                return local
    return _at(cal, next_working_day(cal, day), cal.day_start)


def add_working_days(cal: Calendar, received: dt.datetime, days: int) -> dt.datetime:
    """End of working hours on the ``days``-th working day after the receipt day.

    ``received`` should already be an effective receipt (a working moment); if it is not,
    it is made one first. ``days == 0`` gives the end of the receipt day.
    """
    if days < 0:
        raise CalendarError("working days must not be negative")
    day = effective_receipt(cal, received).date()
    for _ in range(days):
        day = next_working_day(cal, day)
    return _at(cal, day, cal.day_end)


def add_working_seconds(cal: Calendar, start: dt.datetime, seconds: float) -> dt.datetime:
    """The moment when ``seconds`` of working time have passed since ``start``.

    A result that falls exactly on the end of a period stays there (17:00, not the next
    morning), so "8 working hours from 07:30" is 17:00 the same day.
    """
    if seconds < 0:
        raise CalendarError("working time must not be negative")
    current = effective_receipt(cal, start)
    remaining = float(seconds)
    for _ in range(_MAX_SCAN_DAYS * len(cal.periods) + 1):
        day, t = current.date(), current.time()
        for p_start, p_end in cal.periods:
            if t >= p_end:
                continue
            begin = max(t, p_start)
            available = _seconds(p_end) - _seconds(begin) - begin.microsecond / 1e6
            if remaining <= available:
                return _at(cal, day, begin) + dt.timedelta(seconds=remaining)
            remaining -= available
            t = p_end
        current = _at(cal, next_working_day(cal, day), cal.day_start)
    raise CalendarError("working time too long")


def add_working_hours(cal: Calendar, start: dt.datetime, hours: float) -> dt.datetime:
    return add_working_seconds(cal, start, hours * 3600)


def working_seconds_between(cal: Calendar, start: dt.datetime, end: dt.datetime) -> float:
    """Working time from ``start`` to ``end`` in seconds (negative when ``end`` is earlier)."""
    start, end = _local(cal, start), _local(cal, end)
    if end < start:
        return -working_seconds_between(cal, end, start)
    total = 0.0
    day = start.date()
    while day <= end.date():
        if is_working_day(cal, day):
            for p_start, p_end in cal.periods:
                a = max(_at(cal, day, p_start), start)
                b = min(_at(cal, day, p_end), end)
                if b > a:
                    total += (b - a).total_seconds()
        day += dt.timedelta(days=1)
    return total


def working_days_between(cal: Calendar, start_day: dt.date, end_day: dt.date) -> int:
    """How many working days lie after ``start_day`` up to and including ``end_day``."""
    if end_day < start_day:
        return -working_days_between(cal, end_day, start_day)
    count, day = 0, start_day
    while day < end_day:
        day += dt.timedelta(days=1)
        if is_working_day(cal, day):
            count += 1
    return count


def due_at(cal: Calendar, received: dt.datetime, value: float, unit: str, cutoff: dt.time | None = None) -> tuple[dt.datetime, dt.datetime]:
    """``(effective receipt, due time)`` for a processing time of ``value`` ``unit``.

    ``unit`` is ``working_days``, ``working_hours`` or ``same_day``. Fractions of a working
    day (``0.5``) are measured in working hours.
    """
    receipt = effective_receipt(cal, received, cutoff)
    if unit == "same_day":
        return receipt, add_working_days(cal, receipt, 0)
    if unit == "working_hours":
        return receipt, add_working_hours(cal, receipt, float(value))
    if unit == "working_days":
        if float(value) != int(value):
            return receipt, add_working_seconds(cal, receipt, float(value) * cal.seconds_per_day)
        return receipt, add_working_days(cal, receipt, int(value))
    raise CalendarError(f"unknown time unit: {unit}")


def resume_due_at(cal: Calendar, due: dt.datetime, paused_at: dt.datetime, resumed_at: dt.datetime) -> dt.datetime:
    """The new due time after a pause for supplementation (CONTRACT §3).

    The clock stopped at ``paused_at``; the working time that was left then
    (``paused_at`` → ``due``) is counted again from ``resumed_at``.
    """
    left = max(0.0, working_seconds_between(cal, paused_at, due))
    return add_working_seconds(cal, resumed_at, left)
