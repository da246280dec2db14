"""Properties of the deadline arithmetic that hold for every calendar (hypothesis).

Calendars are generated: random days off and worked weekend days, one to three working
periods a day, and sometimes a change of hours from a date. No database.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua.worktime.calendar import (
    VN_TZ,
    Calendar,
    add_working_days,
    add_working_seconds,
    due_at,
    effective_receipt,
    is_working_day,
    is_working_time,
    resume_due_at,
    working_days_between,
    working_seconds_between,
)
from tests.profiles import examples

FIRST, LAST = dt.date(2025, 10, 1), dt.date(2027, 3, 31)
ZONES = st.sampled_from([VN_TZ, dt.timezone.utc, dt.timezone(dt.timedelta(hours=-5))])
moments = st.datetimes(
    min_value=dt.datetime(2025, 12, 1), max_value=dt.datetime(2026, 12, 31), timezones=ZONES,
)
dates = st.dates(min_value=FIRST, max_value=LAST)
working_days = st.integers(min_value=0, max_value=40)
working_seconds = st.integers(min_value=0, max_value=30 * 8 * 3600)


@st.composite
def day_periods(draw):
    """One to three increasing, non-overlapping periods on a minute grid."""
    count = draw(st.integers(min_value=1, max_value=3))
    minutes = sorted(draw(st.sets(st.integers(min_value=5 * 60, max_value=22 * 60), min_size=2 * count, max_size=2 * count)))
    times = [dt.time(m // 60, m % 60) for m in minutes]
    return tuple((times[i], times[i + 1]) for i in range(0, len(times), 2))


@st.composite
def calendars(draw):
    days_off = draw(st.frozensets(dates, max_size=40))
    extra = draw(st.frozensets(dates, max_size=10))
    changes = ()
    if draw(st.booleans()):
        changes = ((draw(st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31))), draw(day_periods())),)
    return Calendar(days_off=days_off, extra_working_days=extra, periods=draw(day_periods()), period_changes=changes)


cutoffs = st.none() | st.times(min_value=dt.time(9, 0), max_value=dt.time(18, 0))

PROPERTY = settings(max_examples=examples(150), deadline=None)
pytestmark = pytest.mark.large


@PROPERTY
@given(cal=calendars(), start=moments, cutoff=cutoffs)
def test_effective_receipt_is_a_working_moment_not_before_the_arrival(cal, start, cutoff):
    receipt = effective_receipt(cal, start, cutoff)
    assert receipt >= start
    assert is_working_time(cal, receipt)
    assert effective_receipt(cal, receipt) == receipt  # already effective


@PROPERTY
@given(cal=calendars(), start=moments, days=working_days)
def test_adding_n_working_days_then_counting_gives_n(cal, start, days):
    receipt = effective_receipt(cal, start)
    due = add_working_days(cal, receipt, days)
    assert working_days_between(cal, receipt.date(), due.astimezone(cal.tz).date()) == days


@PROPERTY
@given(cal=calendars(), start=moments, days=working_days, cutoff=cutoffs, same_day=st.booleans())
def test_due_dates_fall_at_the_close_of_a_working_day(cal, start, days, cutoff, same_day):
    receipt, due = due_at(cal, start, 0 if same_day else days, "same_day" if same_day else "working_days", cutoff)
    local = due.astimezone(cal.tz)
    assert is_working_day(cal, local.date())
    assert local.time() == cal.closing(local.date())
    assert due > receipt


@PROPERTY
@given(cal=calendars(), a=moments, b=moments, days=working_days, cutoff=cutoffs)
def test_a_later_arrival_is_never_due_earlier(cal, a, b, days, cutoff):
    early, late = sorted([a, b])
    r1, d1 = due_at(cal, early, days, "working_days", cutoff)
    r2, d2 = due_at(cal, late, days, "working_days", cutoff)
    assert r1 <= r2
    assert d1 <= d2


@PROPERTY
@given(cal=calendars(), a=moments, b=moments, seconds=working_seconds)
def test_adding_working_time_is_monotonic_in_the_start(cal, a, b, seconds):
    early, late = sorted([a, b])
    assert add_working_seconds(cal, early, seconds) <= add_working_seconds(cal, late, seconds)


@PROPERTY
@given(cal=calendars(), start=moments, x=working_seconds, y=working_seconds)
def test_more_working_time_is_never_due_earlier(cal, start, x, y):
    small, big = sorted([x, y])
    assert add_working_seconds(cal, start, small) <= add_working_seconds(cal, start, big)


@PROPERTY
@given(cal=calendars(), start=moments, value=st.floats(min_value=0, max_value=20, allow_nan=False), more=st.floats(min_value=0, max_value=5, allow_nan=False))
def test_a_longer_processing_time_is_never_due_earlier(cal, start, value, more):
    assume(value > 0)  # 0 working days means "the end of the receipt day", the generous same-day rule
    assert due_at(cal, start, value, "working_days")[1] <= due_at(cal, start, value + more, "working_days")[1]


@PROPERTY
@given(cal=calendars(), start=moments, seconds=working_seconds, micro=st.integers(min_value=0, max_value=999_999))
def test_add_working_seconds_then_measuring_gives_the_amount_back(cal, start, seconds, micro):
    amount = (seconds * 1_000_000 + micro) / 1_000_000
    end = add_working_seconds(cal, start, amount)
    assert working_seconds_between(cal, start, end) == amount
    assert working_seconds_between(cal, end, start) == -amount


@PROPERTY
@given(cal=calendars(), due=moments, paused=moments)
def test_resuming_right_away_changes_nothing(cal, due, paused):
    assert resume_due_at(cal, due, paused, paused) == due


@PROPERTY
@given(cal=calendars(), start=moments, days=st.integers(min_value=1, max_value=20), a=moments, b=moments)
def test_resuming_gives_back_exactly_the_working_time_that_was_left(cal, start, days, a, b):
    due = add_working_days(cal, effective_receipt(cal, start), days)
    paused, resumed = sorted([a, b])
    new_due = resume_due_at(cal, due, paused, resumed)
    left = working_seconds_between(cal, paused, due)
    assert new_due >= due
    if left > 0 and working_seconds_between(cal, paused, resumed) > 0:
        assert working_seconds_between(cal, resumed, new_due) == left
    else:
        assert new_due == due
