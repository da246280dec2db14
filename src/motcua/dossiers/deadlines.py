"""Due dates: the effective receipt and due time of a dossier (docs/deadlines.md).

The arithmetic itself lives in ``worktime/calendar.py``; this module picks the unit's
calendar, the procedure's time (or a committed shorter one) and its same-day cut-off:
:func:`time_rule` is the one place that decides which time and which cut-off apply.
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
    cutoff: dt.time | None = None


@dataclass(frozen=True)
class TimeRule:
    """The processing time that drives due dates in a unit on a day, and its same-day cut-off."""

    value: float
    unit: str
    source: str          # "law" or "commitment"
    cutoff: dt.time | None


def time_rule(procedure: Procedure, unit: Unit, day: dt.date | None = None) -> TimeRule:
    """The time (the law's, or the unit's shorter commitment) and the cut-off that go with it.

    A commitment carries its own cut-off or, left blank, inherits the procedure's; where no
    commitment applies, the procedure's cut-off (docs/deadlines.md) stands.
    """
    commitment = catalog.commitment_for(procedure, unit, day)
    if commitment is not None:
        return TimeRule(float(commitment.time_value), commitment.time_unit, "commitment",
                        commitment.cutoff_time or procedure.cutoff_time)
    return TimeRule(float(procedure.processing_time_value), procedure.processing_time_unit, "law", procedure.cutoff_time)


def compute_deadline(procedure: Procedure | None, unit: Unit, arrived_at: dt.datetime, *, working_days: float | None = None) -> Deadline:
    """Effective receipt and due time of a dossier arriving at ``arrived_at`` (docs/deadlines.md).

    ``working_days`` given (``GET /calendar/due``) replaces the time, not the cut-off.
    """
    cal = calendar_for_unit(unit)
    rule = time_rule(procedure, unit, arrived_at.astimezone(wt.VN_TZ).date()) if procedure is not None else None
    cutoff = rule.cutoff if rule is not None else None
    if working_days is not None:
        value, unit_of_time = working_days, "working_days"
    else:
        assert rule is not None, "a deadline needs a procedure or a number of working days"
        value, unit_of_time = rule.value, rule.unit
    received, due = wt.due_at(cal, arrived_at, float(value), unit_of_time, cutoff)
    return Deadline(received, due, float(value), unit_of_time, cutoff)


# "Due soon": within the deadline and due in the next 2 working days of the unit's calendar —
# the office's queue and the overdue watch's notices (issue 22 §4: one home, below both).
DUE_SOON_WORKING_DAYS = 2


def due_soon_limits(units: list[Unit], now: dt.datetime) -> dict[int, dt.datetime]:
    """For each unit: the end of the 2nd working day from ``now`` by its calendar."""
    return {
        unit.pk: compute_deadline(None, unit, now, working_days=DUE_SOON_WORKING_DAYS).due_at
        for unit in units
    }
