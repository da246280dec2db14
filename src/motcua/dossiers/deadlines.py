"""Due dates: the effective receipt and due time of a dossier (CONTRACT §3).

The arithmetic itself lives in ``worktime/calendar.py``; this module picks the unit's
calendar, the procedure's time (or a committed shorter one) and its same-day cut-off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from motcua.catalog import services as catalog
from motcua.catalog.models import Procedure, Unit
from motcua.worktime import calendar as wt
from motcua.worktime.services import calendar_for_unit


@dataclass(frozen=True)
class Deadline:
    received_at: dt.datetime
    due_at: dt.datetime
    time_value: float
    time_unit: str


def compute_deadline(procedure: Procedure | None, unit: Unit, arrived_at: dt.datetime, *, working_days: float | None = None) -> Deadline:
    """Effective receipt and due time of a dossier arriving at ``arrived_at`` (CONTRACT §3)."""
    cal = calendar_for_unit(unit)
    cutoff = procedure.cutoff_time if procedure is not None else None
    if working_days is not None:
        value, unit_of_time = working_days, "working_days"
    else:
        value, unit_of_time, _ = catalog.processing_time_for(procedure, unit, arrived_at.astimezone(wt.VN_TZ).date())
    received, due = wt.due_at(cal, arrived_at, float(value), unit_of_time, cutoff)
    return Deadline(received, due, float(value), unit_of_time)


