"""The working calendar and deadline arithmetic (docs/deadlines.md), in plain Python.

A :class:`Calendar` is a value: which days are working days and the working periods of a
day. Every function here is pure: no ORM, no HTTP. ``motcua.worktime.services`` builds a
Calendar from the database (holidays from the ``holidays`` package plus the overrides an
administrator entered) and calls these functions.

Rules (with sources in ``shared/domain/deadlines-and-calendar.md``):

* Working days are Monday–Friday minus public holidays (Bộ luật Lao động 2019, Art. 112,
  lunar Tết included) plus compensatory working days and extra days off decided yearly.
* Working hours are periods of the day (07:30–11:30, 13:00–17:00 by default). They may
  change from a date (``Calendar.period_changes``): each day is judged by the hours in
  force on that day, so an old dossier keeps the deadline of its time.
* A moment outside working hours counts from the start of the next working period (a
  lunch-break arrival from 13:00; after closing or on a day off from the opening of the
  next working day); at or after a procedure's same-day cut-off (e.g. 15:00) on a working
  day it counts from the opening of the next working day.
* ``due_at`` for N working days is the end of working hours on the N-th working day after
  the effective receipt day; N = 0 ("same day") is the end of the receipt day.

Working time is counted internally in whole microseconds, so adding an amount and
measuring it back gives exactly the same amount.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

Periods = tuple[tuple[dt.time, dt.time], ...]

DEFAULT_PERIODS: Periods = (
    (dt.time(7, 30), dt.time(11, 30)),
    (dt.time(13, 0), dt.time(17, 0)),
)
_MAX_SCAN_DAYS = 3660  # no calendar has ten years without a working day
_US = 1_000_000  # microseconds in a second


class CalendarError(ValueError):
    """The calendar cannot answer (no working day within ten years, bad periods…)."""


def check_periods(periods) -> Periods:
    """``periods`` as a tuple of (start, end) pairs, increasing and not overlapping."""
    try:
        periods = tuple((start, end) for start, end in periods)
    except (TypeError, ValueError):
        raise CalendarError("working periods must be (start, end) pairs") from None
    if not periods:
        raise CalendarError("a calendar needs at least one working period")
    previous_end = None
    for start, end in periods:
        if not (isinstance(start, dt.time) and isinstance(end, dt.time)) or start.tzinfo or end.tzinfo:
            raise CalendarError("working periods are pairs of naive times")
        if not start < end or (previous_end is not None and start < previous_end):
            raise CalendarError("working periods must be increasing and not overlap")
        previous_end = end
    return periods


@dataclass(frozen=True)
class Calendar:
    """Working days and working hours.

    ``days_off``: dates that are not worked though they fall Monday–Friday (holidays,
    swapped days). ``extra_working_days``: Saturdays or Sundays that are worked
    (compensatory working days). A date in both is a working day (the later decision wins
    when the overrides are built; see ``services.build_calendar``).

    ``periods``: the working periods of a day. ``period_changes``: ``(valid_from, periods)``
    pairs; from ``valid_from`` on (until the next change) a day has those periods instead.
    Without changes ``periods`` holds for every day.
    """

    days_off: frozenset[dt.date] = frozenset()
    extra_working_days: frozenset[dt.date] = frozenset()
    periods: Periods = DEFAULT_PERIODS
    weekend: frozenset[int] = frozenset({5, 6})
    tz: dt.tzinfo = field(default=VN_TZ)
    period_changes: tuple[tuple[dt.date, Periods], ...] = ()
    _change_dates: list[dt.date] = field(init=False, repr=False, compare=False, default_factory=list)

    def __post_init__(self):
        object.__setattr__(self, "periods", check_periods(self.periods))
        changes = tuple(sorted(((day, check_periods(p)) for day, p in self.period_changes), key=lambda c: c[0]))
        dates = [day for day, _ in changes]
        if len(set(dates)) != len(dates):
            raise CalendarError("two changes of working hours on the same date")
        object.__setattr__(self, "period_changes", changes)
        object.__setattr__(self, "_change_dates", dates)

    def periods_on(self, day: dt.date) -> Periods:
        """The working periods in force on ``day``."""
        index = bisect.bisect_right(self._change_dates, day)
        return self.period_changes[index - 1][1] if index else self.periods

    def opening(self, day: dt.date) -> dt.time:
        """When work starts on ``day`` (whether or not it is a working day)."""
        return self.periods_on(day)[0][0]

    def closing(self, day: dt.date) -> dt.time:
        """When work ends on ``day`` (whether or not it is a working day)."""
        return self.periods_on(day)[-1][1]

    def seconds_on(self, day: dt.date) -> int:
        """Length of a working day on ``day``, in seconds."""
        return sum(_seconds(end) - _seconds(start) for start, end in self.periods_on(day))

    @property
    def seconds_per_day(self) -> int:
        return sum(_seconds(end) - _seconds(start) for start, end in self.periods)


def _seconds(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _microseconds(delta: dt.timedelta) -> int:
    return (delta.days * 86400 + delta.seconds) * _US + delta.microseconds


def _amount(seconds: float) -> int:
    """A non-negative amount of working time in seconds, as whole microseconds."""
    if isinstance(seconds, dt.timedelta):
        seconds = seconds.total_seconds()
    if not math.isfinite(seconds) or seconds < 0:
        raise CalendarError("working time must be a finite, non-negative amount")
    if seconds > _MAX_SCAN_DAYS * 86400:
        raise CalendarError("working time too long")
    return round(seconds * _US)


def _at(cal: Calendar, day: dt.date, t: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, t, tzinfo=cal.tz)


def _local(cal: Calendar, moment: dt.datetime) -> dt.datetime:
    if not isinstance(moment, dt.datetime):
        raise CalendarError("moments must be datetimes")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError("moments must be timezone-aware")
    return moment.astimezone(cal.tz)


def _opening_of(cal: Calendar, day: dt.date) -> dt.datetime:
    return _at(cal, day, cal.opening(day))


def _closing_of(cal: Calendar, day: dt.date) -> dt.datetime:
    return _at(cal, day, cal.closing(day))


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
    day = local.date()
    if not is_working_day(cal, day):
        return False
    t = local.time()
    return any(start <= t < end for start, end in cal.periods_on(day))


def effective_receipt(cal: Calendar, moment: dt.datetime, cutoff: dt.time | None = None) -> dt.datetime:
    """When a dossier arriving at ``moment`` counts as received.

    Inside working hours: the moment itself. Before opening or at a break: the start of
    the next period that day. After closing, on a day off, or at/after ``cutoff`` (a
    procedure's same-day cut-off) on a working day: the opening of the next working day.
    """
    local = _local(cal, moment)
    day, t = local.date(), local.time()
    if is_working_day(cal, day) and (cutoff is None or t < cutoff):
        for start, end in cal.periods_on(day):
            if t < start:
                return _at(cal, day, start)
            if t < end:
                return local
    return _opening_of(cal, next_working_day(cal, day))


def add_working_days(cal: Calendar, received: dt.datetime, days: int) -> dt.datetime:
    """End of working hours on the ``days``-th working day after the receipt day.

    ``received`` should already be an effective receipt (a working moment); if it is not,
    it is made one first. ``days == 0`` gives the end of the receipt day.
    """
    if isinstance(days, bool) or not isinstance(days, (int, float)) or not math.isfinite(days) or int(days) != days or days < 0:
        raise CalendarError("working days must be a whole, non-negative number")
    if days > _MAX_SCAN_DAYS:
        raise CalendarError("too many working days")
    day = effective_receipt(cal, received).date()
    for _ in range(int(days)):
        day = next_working_day(cal, day)
    return _closing_of(cal, day)


def add_working_seconds(cal: Calendar, start: dt.datetime, seconds: float) -> dt.datetime:
    """The moment when ``seconds`` of working time have passed since ``start``.

    A result that falls exactly on the end of a period stays there (17:00, not the next
    morning), so "8 working hours from 07:30" is 17:00 the same day.
    """
    return _add_working_microseconds(cal, start, _amount(seconds))


def _add_working_microseconds(cal: Calendar, start: dt.datetime, remaining: int) -> dt.datetime:
    moment = effective_receipt(cal, start)
    day = moment.date()
    while True:
        for p_start, p_end in cal.periods_on(day):
            begin, end = max(moment, _at(cal, day, p_start)), _at(cal, day, p_end)
            if begin >= end:
                continue
            available = _microseconds(end - begin)
            if remaining <= available:
                return begin + dt.timedelta(microseconds=remaining)
            remaining -= available
        day = next_working_day(cal, day)
        moment = _opening_of(cal, day)


def add_working_hours(cal: Calendar, start: dt.datetime, hours: float) -> dt.datetime:
    return add_working_seconds(cal, start, hours * 3600)


def _working_microseconds_between(cal: Calendar, start: dt.datetime, end: dt.datetime) -> int:
    start, end = _local(cal, start), _local(cal, end)
    if end < start:
        return -_working_microseconds_between(cal, end, start)
    total = 0
    day = start.date()
    while day <= end.date():
        if is_working_day(cal, day):
            for p_start, p_end in cal.periods_on(day):
                a = max(_at(cal, day, p_start), start)
                b = min(_at(cal, day, p_end), end)
                if b > a:
                    total += _microseconds(b - a)
        day += dt.timedelta(days=1)
    return total


def working_seconds_between(cal: Calendar, start: dt.datetime, end: dt.datetime) -> float:
    """Working time from ``start`` to ``end`` in seconds (negative when ``end`` is earlier)."""
    return _working_microseconds_between(cal, start, end) / _US


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

    ``unit`` is ``working_days``, ``working_hours`` or ``same_day``. A fraction of a
    working day is working time: under one day (``0.5``) it runs from the receipt
    (half a day's hours); past whole days (``1.5``) it runs on after the end of the last
    whole day, so a longer time never gives an earlier due time.
    """
    receipt = effective_receipt(cal, received, cutoff)
    if unit == "same_day":
        return receipt, add_working_days(cal, receipt, 0)
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise CalendarError("processing time must be a finite, non-negative number")
    if unit == "working_hours":
        return receipt, add_working_hours(cal, receipt, value)
    if unit == "working_days":
        whole = math.floor(value)
        fraction = value - whole
        if not fraction:
            return receipt, add_working_days(cal, receipt, whole)
        if whole == 0:
            return receipt, add_working_seconds(cal, receipt, fraction * cal.seconds_on(receipt.date()))
        # The fraction is a share of the working day it runs on (the one after the whole days),
        # not of the receipt day: their hours may differ (a unit's hours change on a date).
        end_of_whole = add_working_days(cal, receipt, whole)
        next_day = next_working_day(cal, _local(cal, end_of_whole).date())
        return receipt, add_working_seconds(cal, end_of_whole, fraction * cal.seconds_on(next_day))
    raise CalendarError(f"unknown time unit: {unit}")


def resume_due_at(cal: Calendar, due: dt.datetime, paused_at: dt.datetime, resumed_at: dt.datetime) -> dt.datetime:
    """The new due time after a pause for supplementation (docs/deadlines.md).

    The clock stopped at ``paused_at``; the working time that was left then
    (``paused_at`` → ``due``) is counted again from ``resumed_at``. Two cases keep ``due``
    as it was: no working time passed during the pause (nothing to give back), and no
    time was left when the clock stopped (the dossier was already late, and stays so).
    """
    if _local(cal, resumed_at) < _local(cal, paused_at):
        raise CalendarError("a pause cannot end before it starts")
    left = _working_microseconds_between(cal, paused_at, due)
    if left <= 0 or _working_microseconds_between(cal, paused_at, resumed_at) == 0:
        return due
    return _add_working_microseconds(cal, resumed_at, left)
