"""The deadline arithmetic on a hand-built Calendar: no database (CONTRACT §3).

The calendar here is the 2026 public-sector calendar written out by hand, so these tests
check the arithmetic alone (sources: ``shared/domain/deadlines-and-calendar.md``).
"""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.worktime import calendar as wt
from motcua.worktime.calendar import (
    VN_TZ,
    Calendar,
    CalendarError,
    add_working_days,
    add_working_hours,
    add_working_seconds,
    due_at,
    effective_receipt,
    is_working_day,
    is_working_time,
    next_working_day,
    resume_due_at,
    working_days_between,
    working_seconds_between,
)

D = dt.date
T = dt.time

OFF_2026 = frozenset(
    [D(2026, 1, 1), D(2026, 1, 2)]
    + [D(2026, 2, d) for d in range(16, 21)]
    + [D(2026, 4, 27), D(2026, 4, 30), D(2026, 5, 1), D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2)]
)
WORKING_SATURDAYS_2026 = frozenset([D(2026, 1, 10), D(2026, 8, 22)])
CAL = Calendar(days_off=OFF_2026, extra_working_days=WORKING_SATURDAYS_2026)
UTC = dt.timezone.utc


def vn(y, m, d, hh=0, mm=0, ss=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=VN_TZ)


# ---------------------------------------------------------------- working days

def test_weekdays_work_and_weekends_rest():
    assert is_working_day(CAL, D(2026, 3, 2))  # Monday
    assert is_working_day(CAL, D(2026, 3, 6))  # Friday
    assert not is_working_day(CAL, D(2026, 3, 7))  # Saturday
    assert not is_working_day(CAL, D(2026, 3, 8))  # Sunday


def test_a_day_off_on_a_weekday_is_not_worked_and_a_compensatory_saturday_is():
    """2026: Fri 2/1 off, swapped with Sat 10/1 worked (domain file, 24h.com.vn)."""
    assert not is_working_day(CAL, D(2026, 1, 2))
    assert is_working_day(CAL, D(2026, 1, 10))
    assert next_working_day(CAL, D(2026, 1, 9)) == D(2026, 1, 10)


def test_working_time_is_inside_the_periods_of_a_working_day():
    assert is_working_time(CAL, vn(2026, 3, 2, 7, 30))
    assert is_working_time(CAL, vn(2026, 3, 2, 11, 29, 59))
    assert not is_working_time(CAL, vn(2026, 3, 2, 11, 30))
    assert not is_working_time(CAL, vn(2026, 3, 2, 12, 0))
    assert is_working_time(CAL, vn(2026, 3, 2, 13, 0))
    assert not is_working_time(CAL, vn(2026, 3, 2, 17, 0))
    assert not is_working_time(CAL, vn(2026, 3, 7, 9, 0))  # Saturday


def test_moments_in_other_zones_are_judged_in_vietnam_time():
    # 01:00 UTC is 08:00 in Hà Nội.
    assert is_working_time(CAL, dt.datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    assert not is_working_time(CAL, dt.datetime(2026, 3, 2, 0, 0, tzinfo=UTC))  # 07:00


def test_naive_moments_are_refused():
    with pytest.raises(CalendarError):
        effective_receipt(CAL, dt.datetime(2026, 3, 2, 8, 0))


# ---------------------------------------------------------------- effective receipt

@pytest.mark.parametrize(
    "arrived, counted",
    [
        (vn(2026, 3, 2, 9, 15), vn(2026, 3, 2, 9, 15)),  # inside hours: as it is
        (vn(2026, 3, 2, 6, 0), vn(2026, 3, 2, 7, 30)),  # before opening: opening
        (vn(2026, 3, 2, 12, 0), vn(2026, 3, 2, 13, 0)),  # lunch break: 13:00
        (vn(2026, 3, 2, 11, 30), vn(2026, 3, 2, 13, 0)),  # the morning's end is already the break
        (vn(2026, 3, 2, 17, 0), vn(2026, 3, 3, 7, 30)),  # closing time: next morning
        (vn(2026, 3, 2, 22, 45), vn(2026, 3, 3, 7, 30)),  # evening: next morning
        (vn(2026, 3, 6, 18, 0), vn(2026, 3, 9, 7, 30)),  # Friday evening: Monday
        (vn(2026, 3, 8, 10, 0), vn(2026, 3, 9, 7, 30)),  # Sunday: Monday
        (vn(2026, 4, 29, 17, 30), vn(2026, 5, 4, 7, 30)),  # before the 30/4–3/5 break
    ],
)
def test_effective_receipt_moves_to_the_next_working_period(arrived, counted):
    """CONTRACT §3: received outside working hours counts from the next working period."""
    assert effective_receipt(CAL, arrived) == counted


def test_same_day_cutoff_moves_late_arrivals_to_the_next_working_day():
    """Hộ tịch / chứng thực: "nhận hồ sơ sau 15 giờ … trả kết quả trong ngày làm việc tiếp theo"
    (domain file, chauphu.angiang.gov.vn TTHC list)."""
    cutoff = T(15, 0)
    assert effective_receipt(CAL, vn(2026, 3, 2, 14, 59), cutoff) == vn(2026, 3, 2, 14, 59)
    assert effective_receipt(CAL, vn(2026, 3, 2, 15, 0), cutoff) == vn(2026, 3, 3, 7, 30)
    assert effective_receipt(CAL, vn(2026, 3, 2, 15, 30), cutoff) == vn(2026, 3, 3, 7, 30)
    assert effective_receipt(CAL, vn(2026, 3, 6, 15, 30), cutoff) == vn(2026, 3, 9, 7, 30)  # Friday → Monday
    # Before the cut-off but at lunch: still that afternoon.
    assert effective_receipt(CAL, vn(2026, 3, 2, 12, 0), cutoff) == vn(2026, 3, 2, 13, 0)


# ---------------------------------------------------------------- due dates

def test_contract_example_three_working_days_over_the_may_holidays():
    """CONTRACT §3: Wed 29/4/2026 10:00 + 3 working days → 30/4, 1/5 holidays, 2–3/5 weekend
    → Wed 6/5/2026 17:00 +07:00."""
    received, due = due_at(CAL, vn(2026, 4, 29, 10, 0), 3, "working_days")
    assert received == vn(2026, 4, 29, 10, 0)
    assert due == vn(2026, 5, 6, 17, 0)
    assert due.isoformat() == "2026-05-06T17:00:00+07:00"


def test_due_is_the_end_of_the_nth_working_day_after_the_receipt_day():
    assert add_working_days(CAL, vn(2026, 3, 2, 7, 30), 1) == vn(2026, 3, 3, 17, 0)
    assert add_working_days(CAL, vn(2026, 3, 2, 16, 59), 1) == vn(2026, 3, 3, 17, 0)
    assert add_working_days(CAL, vn(2026, 3, 6, 9, 0), 1) == vn(2026, 3, 9, 17, 0)  # Fri → Mon


def test_same_day_procedures_are_due_at_the_end_of_the_receipt_day():
    assert due_at(CAL, vn(2026, 3, 2, 9, 0), 0, "same_day") == (vn(2026, 3, 2, 9, 0), vn(2026, 3, 2, 17, 0))
    # After the 15:00 cut-off: the next working day.
    assert due_at(CAL, vn(2026, 3, 2, 15, 30), 0, "same_day", T(15, 0)) == (vn(2026, 3, 3, 7, 30), vn(2026, 3, 3, 17, 0))


def test_working_hours_procedures_follow_the_same_calendar():
    """CONTRACT §3: procedures measured in working hours follow the same calendar."""
    # 8 working hours from 07:30 is 17:00 the same day, not the next morning.
    assert add_working_hours(CAL, vn(2026, 3, 2, 7, 30), 8) == vn(2026, 3, 2, 17, 0)
    # 4 h from 10:00: 1.5 h before lunch, 2.5 h after → 15:30.
    assert due_at(CAL, vn(2026, 3, 2, 10, 0), 4, "working_hours") == (vn(2026, 3, 2, 10, 0), vn(2026, 3, 2, 15, 30))
    # 24 h from Wed 29/4 10:00: 5.5 h that day, then Mon 4/5, Tue 5/5 full days, 2.5 h on Wed.
    assert add_working_hours(CAL, vn(2026, 4, 29, 10, 0), 24) == vn(2026, 5, 6, 10, 0)


def test_fractions_of_a_working_day_never_shorten_the_time():
    received = vn(2026, 3, 2, 7, 30)
    half = due_at(CAL, received, 0.5, "working_days")[1]
    one = due_at(CAL, received, 1, "working_days")[1]
    one_and_half = due_at(CAL, received, 1.5, "working_days")[1]
    two = due_at(CAL, received, 2, "working_days")[1]
    assert half == vn(2026, 3, 2, 11, 30)  # half a day: 4 working hours
    assert one == vn(2026, 3, 3, 17, 0)
    assert one_and_half == vn(2026, 3, 4, 11, 30)  # one day, then 4 more working hours
    assert half < one < one_and_half < two


def test_bad_processing_times_are_calendar_errors():
    with pytest.raises(CalendarError):
        due_at(CAL, vn(2026, 3, 2, 9), 3, "fortnights")
    with pytest.raises(CalendarError):
        due_at(CAL, vn(2026, 3, 2, 9), -1, "working_days")
    with pytest.raises(CalendarError):
        due_at(CAL, vn(2026, 3, 2, 9), float("nan"), "working_days")
    with pytest.raises(CalendarError):
        add_working_days(CAL, vn(2026, 3, 2, 9), -2)
    with pytest.raises(CalendarError):
        add_working_seconds(CAL, vn(2026, 3, 2, 9), -1)


# ---------------------------------------------------------------- counting

def test_working_seconds_between_skips_nights_lunch_weekends_and_holidays():
    assert working_seconds_between(CAL, vn(2026, 3, 2, 7, 30), vn(2026, 3, 2, 17, 0)) == 8 * 3600
    assert working_seconds_between(CAL, vn(2026, 3, 2, 11, 0), vn(2026, 3, 2, 13, 30)) == 3600
    assert working_seconds_between(CAL, vn(2026, 3, 6, 16, 0), vn(2026, 3, 9, 8, 30)) == 2 * 3600
    assert working_seconds_between(CAL, vn(2026, 4, 29, 17, 0), vn(2026, 5, 4, 7, 30)) == 0
    assert working_seconds_between(CAL, vn(2026, 3, 2, 17, 0), vn(2026, 3, 2, 7, 30)) == -8 * 3600


def test_working_days_between_counts_days_after_the_first_up_to_the_last():
    assert working_days_between(CAL, D(2026, 4, 29), D(2026, 5, 6)) == 3
    assert working_days_between(CAL, D(2026, 5, 6), D(2026, 4, 29)) == -3
    assert working_days_between(CAL, D(2026, 3, 2), D(2026, 3, 2)) == 0


# ---------------------------------------------------------------- pause and resume

def test_resuming_moves_due_by_the_working_time_that_was_left():
    """CONTRACT §3: waiting for the citizen stops the clock; resuming moves due_at by the
    working time that was left."""
    due = vn(2026, 3, 5, 17, 0)  # Thursday
    paused = vn(2026, 3, 4, 9, 30)  # Wed: 6 h left on Wed, 8 h on Thu → 14 h
    resumed = vn(2026, 3, 10, 13, 0)  # Tue afternoon 4 h, Wed 11/3 8 h, Thu 12/3 2 h
    assert resume_due_at(CAL, due, paused, resumed) == vn(2026, 3, 12, 9, 30)


def test_a_pause_without_working_time_changes_nothing():
    due = vn(2026, 3, 10, 17, 0)
    # Paused Friday evening, resumed Monday before opening: no working time passed.
    assert resume_due_at(CAL, due, vn(2026, 3, 6, 18, 0), vn(2026, 3, 9, 7, 0)) == due
    # A due time set by hand outside hours (reschedule) is kept by an empty pause.
    odd_due = vn(2026, 3, 10, 20, 0)
    assert resume_due_at(CAL, odd_due, vn(2026, 3, 4, 9, 0), vn(2026, 3, 4, 9, 0)) == odd_due


def test_a_dossier_already_late_when_paused_stays_late():
    due = vn(2026, 3, 3, 17, 0)
    assert resume_due_at(CAL, due, vn(2026, 3, 5, 9, 0), vn(2026, 3, 12, 9, 0)) == due


def test_a_pause_cannot_end_before_it_starts():
    with pytest.raises(CalendarError):
        resume_due_at(CAL, vn(2026, 3, 10, 17), vn(2026, 3, 5, 9), vn(2026, 3, 4, 9))


# ---------------------------------------------------------------- hours per calendar, and by date

def test_a_calendar_with_other_hours():
    """Thanh Hóa practice 07:00–11:30, 13:30–17:00 (domain file, HuanVu201 CaculateTime.cs)."""
    other = Calendar(periods=((T(7, 0), T(11, 30)), (T(13, 30), T(17, 0))))
    assert effective_receipt(other, vn(2026, 3, 2, 6, 50)) == vn(2026, 3, 2, 7, 0)
    assert effective_receipt(other, vn(2026, 3, 2, 13, 15)) == vn(2026, 3, 2, 13, 30)
    assert other.seconds_per_day == 8 * 3600
    assert add_working_hours(other, vn(2026, 3, 2, 7, 0), 8) == vn(2026, 3, 2, 17, 0)


def test_working_hours_changed_from_a_date_judge_each_day_by_its_own_hours():
    """Rules carry effective dates: a dossier is judged by the hours in force on each day."""
    summer = ((T(7, 0), T(11, 30)), (T(13, 30), T(17, 0)))
    cal = Calendar(periods=wt.DEFAULT_PERIODS, period_changes=((D(2026, 5, 1), summer),))
    assert cal.periods_on(D(2026, 4, 30)) == wt.DEFAULT_PERIODS
    assert cal.periods_on(D(2026, 5, 1)) == summer
    # Before the change, 07:10 is before opening (07:30); after it, 07:10 is working time.
    assert effective_receipt(cal, vn(2026, 4, 28, 7, 10)) == vn(2026, 4, 28, 7, 30)
    assert effective_receipt(cal, vn(2026, 5, 4, 7, 10)) == vn(2026, 5, 4, 7, 10)
    # A lunch arrival at 13:10: at work under the old hours, waiting under the new.
    assert effective_receipt(cal, vn(2026, 4, 28, 13, 10)) == vn(2026, 4, 28, 13, 10)
    assert effective_receipt(cal, vn(2026, 5, 4, 13, 10)) == vn(2026, 5, 4, 13, 30)
    # Counting across the change uses each day's periods.
    assert working_seconds_between(cal, vn(2026, 4, 30, 16, 0), vn(2026, 5, 1, 8, 0)) == 2 * 3600


def test_overlapping_or_empty_periods_are_refused():
    with pytest.raises(CalendarError):
        Calendar(periods=())
    with pytest.raises(CalendarError):
        Calendar(periods=((T(7, 30), T(12, 0)), (T(11, 0), T(17, 0))))
    with pytest.raises(CalendarError):
        Calendar(periods=((T(17, 0), T(7, 30)),))
    with pytest.raises(CalendarError):
        Calendar(period_changes=((D(2026, 1, 1), ()),))


def test_a_calendar_without_working_days_says_so_instead_of_looping():
    never = Calendar(weekend=frozenset(range(7)))
    with pytest.raises(CalendarError):
        next_working_day(never, D(2026, 1, 1))
