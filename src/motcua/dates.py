"""The dates Motcua accepts as input: one home for the bound.

Every date or moment that comes from outside (API parameters and bodies, report periods,
the importer, the reschedule form) must fall in the years 1900–2200. Older dates belong to
no dossier; later ones to no appointment. The bound keeps the arithmetic that follows
(time-zone conversion, adding working days, database columns) far from the ends of
Python's and the databases' ranges, so bad input gets a 4xx, never an overflow.
"""

from __future__ import annotations

import datetime as dt

from motcua.errors import InvalidInput

EARLIEST_YEAR = 1900
LATEST_YEAR = 2200

OUT_OF_RANGE = f"Ngoài khoảng cho phép (từ năm {EARLIEST_YEAR} đến năm {LATEST_YEAR})."


def in_range(value: dt.date | dt.datetime) -> bool:
    """Whether ``value`` (a date, or a moment in its own offset) lies in the years accepted."""
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR


DAY_FORMAT = "Nhập ngày dạng YYYY-MM-DD, ví dụ 2026-04-01."


def parse_day(text) -> dt.date:
    """A day typed as ``YYYY-MM-DD`` (a query parameter, a form field) in the years accepted.

    Raises :class:`ValueError` whose text is the Vietnamese message to show beside the field:
    :data:`DAY_FORMAT` for anything that is not such a day, :data:`OUT_OF_RANGE` for a real
    day outside the years (``0001-01-01``, ``9999-12-31``), so no caller turns one into a
    moment or adds a day to it.
    """
    value = str(text or "").strip()
    try:
        if len(value) != 10:
            raise ValueError(value)
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(DAY_FORMAT) from None
    if not in_range(day):
        raise ValueError(OUT_OF_RANGE)
    return day


def check(value, field: str):
    """``value`` if it is in range; else :class:`InvalidInput` naming ``field`` (422)."""
    if value is not None and not in_range(value):
        raise InvalidInput("Ngày hoặc thời điểm nằm ngoài khoảng cho phép.", code="date_out_of_range",
                           fields={field: [OUT_OF_RANGE]})
    return value
