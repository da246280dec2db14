"""Report periods a leader picks: a month, a quarter, a half-year, a year, or any dates.

Plain Python (no ORM): ``period_for(kind, year, number)`` → ``(first day, last day)``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from motcua.errors import InvalidInput

MONTH, QUARTER, HALF, YEAR, CUSTOM = "thang", "quy", "6-thang", "nam", "tuy-chon"
KINDS = (MONTH, QUARTER, HALF, YEAR, CUSTOM)
# How many periods of each kind a year has.
PER_YEAR = {MONTH: 12, QUARTER: 4, HALF: 2, YEAR: 1}
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int
    first: dt.date
    last: dt.date


def period_for(kind: str, year: int, number: int = 1) -> tuple[dt.date, dt.date]:
    """The first and last day of the ``number``-th month, quarter or half of ``year`` (or the year)."""
    if kind not in PER_YEAR:
        raise InvalidInput("Loại kỳ báo cáo không hợp lệ.", code="invalid_period", fields={"ky": [f"Chọn: {', '.join(KINDS)}."]})
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput("Năm không hợp lệ.", code="invalid_period", fields={"nam": [f"Từ {MIN_YEAR} đến {MAX_YEAR}."]})
    if not 1 <= number <= PER_YEAR[kind]:
        raise InvalidInput("Kỳ không hợp lệ.", code="invalid_period", fields={"so": [f"Từ 1 đến {PER_YEAR[kind]}."]})
    months = 12 // PER_YEAR[kind]
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    return dt.date(year, first_month, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


def current_number(kind: str, day: dt.date) -> int:
    """Which month, quarter or half ``day`` falls in."""
    return (day.month - 1) // (12 // PER_YEAR[kind]) + 1


def months_between(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The calendar months of ``[first, last]``, each cut to the period (for monthly charts)."""
    months = []
    day = first
    while day <= last:
        end = dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
        months.append((day, min(end, last)))
        day = end + dt.timedelta(days=1)
    return months


def options(year: int) -> list[tuple[str, str]]:
    """The choices of one select box: every month, quarter and half of a year, the year, any dates."""
    roman = ["I", "II", "III", "IV"]
    return (
        [(f"{MONTH}-{m}", f"Tháng {m}/{year}") for m in range(1, 13)]
        + [(f"{QUARTER}-{q}", f"Quý {roman[q - 1]}/{year}") for q in range(1, 5)]
        + [(f"{HALF}-1", f"6 tháng đầu năm {year}"), (f"{HALF}-2", f"6 tháng cuối năm {year}"),
           (YEAR, f"Năm {year}"), (CUSTOM, "Chọn ngày bắt đầu, kết thúc")]
    )


def split_choice(value: str) -> tuple[str, int | None]:
    """``"quy-2"`` → ``("quy", 2)``; ``"nam"`` → ``("nam", None)``."""
    head, _, tail = value.rpartition("-")
    if head and tail.isdigit():
        return head, int(tail)
    return value, None


def choose(params, today: dt.date, default_kind: str = MONTH) -> Period:
    """The period a page's query string asks for (``ky`` as in :func:`options`, ``nam``, or
    ``from``/``to`` with ``ky=tuy-chon``); by default the current month (or year). Bad values
    raise :class:`InvalidInput` naming the parameter."""
    kind, number = split_choice(str(params.get("ky") or default_kind))
    if kind == CUSTOM:
        from motcua.reports.services import parse_period

        first, last = parse_period(params.get("from"), params.get("to"))
        return Period(CUSTOM, first.year, 1, first, last)
    try:
        year = int(params.get("nam") or today.year)
    except ValueError:
        raise InvalidInput("Năm không hợp lệ.", code="invalid_period", fields={"nam": ["Nhập số, ví dụ 2026."]})
    if number is None:
        number = current_number(kind, today) if kind in PER_YEAR and kind != YEAR else 1
    first, last = period_for(kind, year, number)
    return Period(kind, year, number, first, last)


def choice_value(period: Period) -> str:
    """The select box's value for ``period`` (the inverse of :func:`split_choice`)."""
    if period.kind in (YEAR, CUSTOM):
        return period.kind
    return f"{period.kind}-{period.number}"
