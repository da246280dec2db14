"""Hand-made dossiers for the report tests: rows written straight to the real database."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from motcua.worktime.calendar import VN_TZ

_numbers = itertools.count(1)


def vn(text: str) -> dt.datetime:
    """``vn("2026-03-02 10:00")``: a moment in Asia/Ho_Chi_Minh."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


def build_dossier(*, unit: str = "YB.LY.YT", procedure=None, lookups: dict | None = None, channel: str = "direct", status: str = "received",
                  received_at: dt.datetime, due_at: dt.datetime, resolved_at=None, withdrawn_at=None,
                  refused_at=None, paused_at=None, supplement_requests: int = 0):
    """An unsaved :class:`Dossier` with the given facts (status and timestamps as the workflow leaves them)."""
    from motcua.catalog.models import Procedure, Unit
    from motcua.dossiers.models import Dossier

    lookups = {} if lookups is None else lookups  # pass one dict to build many dossiers with few queries
    if isinstance(unit, str):
        if unit not in lookups:
            lookups[unit] = Unit.objects.get(code=unit)
        unit_obj = lookups[unit]
    else:
        unit_obj = unit
    if procedure is None:
        key = ("procedure", unit_obj.level)
        if key not in lookups:
            lookups[key] = Procedure.objects.filter(levels__level=unit_obj.level).order_by("code").first()
        procedure = lookups[key]
    elif isinstance(procedure, str):
        procedure = Procedure.objects.get(code=procedure)
    n = next(_numbers)
    return Dossier(
        code=f"T-{n:07d}", procedure=procedure, unit=unit_obj, current_unit=unit_obj, channel=channel,
        source={"online": "portal", "direct": "counter", "postal": "post"}[channel], status=status,
        applicant_name="Nguyễn Văn Thử", applicant_id_number="001090000001", applicant_phone="0912345678",
        submitted_at=received_at, received_at=received_at, due_at=due_at, original_due_at=due_at,
        resolved_at=resolved_at, withdrawn_at=withdrawn_at, refused_at=refused_at, paused_at=paused_at,
        supplement_requests=supplement_requests, last_event_seq=1,
    )


@pytest.fixture
def make_dossier(demo):
    """``make_dossier(received_at=..., due_at=..., ...)`` saves one dossier and returns it."""

    def make(**kwargs):
        dossier = build_dossier(**kwargs)
        dossier.save()
        return dossier

    return make


