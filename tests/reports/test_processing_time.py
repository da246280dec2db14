"""Processing times are never negative (issue 17 §1).

A dossier taken in on Sunday at 19:43 counts from Monday 07:30 (CONTRACT §3); an officer
working late who resolves it at once resolves it before its effective receipt. That took no
time: ``dossiers.moments.processing_duration`` counts it as zero, and ``/reports/indicators``
averages zeros, never ``-0.5`` days.
"""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers.moments import processing_duration
from motcua.worktime.calendar import VN_TZ

SUNDAY_EVENING = dt.datetime(2026, 3, 1, 19, 43, tzinfo=VN_TZ)
MONDAY_OPENING = dt.datetime(2026, 3, 2, 7, 30, tzinfo=VN_TZ)


@pytest.mark.parametrize("received, resolved, expected", [
    (MONDAY_OPENING, MONDAY_OPENING + dt.timedelta(hours=6), dt.timedelta(hours=6)),  # the ordinary case
    (MONDAY_OPENING, MONDAY_OPENING, dt.timedelta(0)),                                # at the very moment
    (MONDAY_OPENING, SUNDAY_EVENING + dt.timedelta(minutes=7), dt.timedelta(0)),      # before the clock started
    (MONDAY_OPENING, MONDAY_OPENING - dt.timedelta(days=3), dt.timedelta(0)),         # an old system's odd row
])
def test_a_processing_duration_runs_from_the_effective_receipt_and_is_never_negative(received, resolved, expected):
    assert processing_duration(received, resolved) == expected


def test_the_indicators_never_average_a_negative_time(api_as, demo):
    from motcua.accounts.models import User
    from motcua.dossiers.actions import apply_action
    from motcua.dossiers.intake import receive_dossier
    from tests.dossiers.data import APPLICANT, THREE_DAY_COMMUNE

    counter, leader = User.objects.get(username="motcua.yt"), User.objects.get(username="lanhdao.yt")
    late_night = receive_dossier(actor=counter, procedure_code=THREE_DAY_COMMUNE, unit_code="YB.LY.YT",
                                 channel="direct", applicant=APPLICANT, arrived_at=SUNDAY_EVENING)
    assert late_night.received_at == MONDAY_OPENING
    apply_action(leader, late_night.code, "reject", {"note": "Không đủ điều kiện"},
                 at=SUNDAY_EVENING + dt.timedelta(minutes=7))

    body = api_as("lanhdao.yt").get("/reports/indicators", {"unit": "YB.LY.YT", "from": "2026-03-01",
                                                               "to": "2026-03-31"}).json()
    assert body["processing_time"] == {"count": 1, "average_days": 0.0, "median_days": 0.0}
