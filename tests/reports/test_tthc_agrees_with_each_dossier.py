"""CONTRACT §5: "Integers are exact: a report must agree with the dossiers, one by one."

The report's database aggregates are compared with ``motcua/reports/recount.py``, which
classifies every dossier in plain Python from the CONTRACT's words. Dossiers are generated
with times around the period's boundaries: received, resolved, withdrawn, paused and due
before, at and after ``from`` 00:00 and ``to`` 24:00.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalog.models import Unit
from motcua.dossiers.models import Dossier
from motcua.reports.services import tthc_report
from motcua.worktime.calendar import VN_TZ
from tests.reports.conftest import build_dossier
from tests.profiles import examples
from motcua.reports.recount import reference_report

FROM, TO = dt.date(2026, 3, 10), dt.date(2026, 3, 12)
START = dt.datetime(2026, 3, 10, tzinfo=VN_TZ)
END = dt.datetime(2026, 3, 13, tzinfo=VN_TZ)
UNITS = ["YB.LY", "YB.LY.YT", "YB.LY.MX", "LC.TP"]
FATES = ["open", "resolved", "returned", "withdrawn", "supplement", "refused", "submitted"]
CONTRACT_KEYS = ("received", "resolved", "in_progress", "withdrawn", "rates")

# Moments worth hitting exactly: the period's edges, a second either side, local midnights.
EDGES = [START, END, START - dt.timedelta(seconds=1), END - dt.timedelta(seconds=1),
         dt.datetime(2026, 3, 11, tzinfo=VN_TZ), dt.datetime(2026, 3, 11, 17, tzinfo=VN_TZ)]


def moments(base: dt.datetime | None = None):
    """Any moment within ±6 days of the period (minute resolution), or an edge."""
    anchor = base or START - dt.timedelta(days=6)
    span = 60 * 24 * (9 if base is None else 8)
    return st.one_of(
        st.integers(0, span).map(lambda m: anchor + dt.timedelta(minutes=m)),
        st.sampled_from(EDGES if base is None else [e for e in EDGES if e >= base] or [base]),
    )


@st.composite
def dossier_facts(draw):
    received = draw(moments())
    due = draw(moments(received))
    fate = draw(st.sampled_from(FATES))
    facts = dict(unit=draw(st.sampled_from(UNITS)), channel=draw(st.sampled_from(["online", "direct", "postal"])),
                 received_at=received, due_at=due, status="processing")
    later = draw(moments(received))
    if fate in ("resolved", "returned"):
        facts.update(status=draw(st.sampled_from(["approved", "rejected"])) if fate == "resolved" else "result_returned",
                     resolved_at=later)
    elif fate == "withdrawn":
        facts.update(status="withdrawn", withdrawn_at=later)
    elif fate == "supplement":
        facts.update(status="awaiting_supplement", paused_at=later, supplement_requests=draw(st.integers(1, 3)))
    elif fate == "refused":
        facts.update(status="refused", refused_at=later, channel="online")
    elif fate == "submitted":
        facts.update(status="submitted", channel="online")
    return facts


def assert_agrees(unit_code: str, children: bool, dossiers: list[Dossier]) -> None:
    unit = Unit.objects.get(code=unit_code)
    codes = set(unit.subtree().values_list("code", flat=True)) if children else {unit_code}
    mine = [d for d in dossiers if d.unit.code in codes]
    got = tthc_report(unit, FROM, TO, children=children)
    expected = reference_report(mine, FROM, TO)
    assert {k: got[k] for k in CONTRACT_KEYS} == expected
    # The breakdowns add up to the same totals.
    for key in ("rows", "units"):
        assert sum(row["received"]["total"] for row in got[key]) == got["received"]["total"]
        assert sum(row["in_progress"]["overdue"] for row in got[key]) == got["in_progress"]["overdue"]


@pytest.mark.large
@settings(max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(dossier_facts(), min_size=0, max_size=30))
def test_report_agrees_with_each_dossier(demo, facts):
    """Any set of dossiers: the aggregates equal the one-by-one classification (CONTRACT §5)."""
    lookups: dict = {}
    with transaction.atomic():  # each example in its own savepoint, rolled back after it
        dossiers = Dossier.objects.bulk_create([build_dossier(**f, lookups=lookups) for f in facts])
        assert_agrees("YB.LY", True, dossiers)
        assert_agrees("YB.LY.YT", False, dossiers)
        assert_agrees("LC", True, dossiers)
        transaction.set_rollback(True)


def test_report_agrees_on_thousands_of_random_dossiers(demo):
    """The same check on 3,000 dossiers from a fixed seed (reproducible)."""
    rng = random.Random(20260310)

    def moment(after: dt.datetime | None = None) -> dt.datetime:
        if rng.random() < 0.1:
            candidates = [e for e in EDGES if after is None or e >= after]
            if candidates:
                return rng.choice(candidates)
        base = after or START - dt.timedelta(days=6)
        return base + dt.timedelta(seconds=rng.randrange(0, 9 * 86400))

    facts = []
    for _ in range(3000):
        received = moment()
        f = dict(unit=rng.choice(UNITS), channel=rng.choice(["online", "direct", "postal"]),
                 received_at=received, due_at=moment(received), status="processing")
        fate = rng.choice(FATES)
        if fate in ("resolved", "returned"):
            f.update(status="approved" if fate == "resolved" else "result_returned", resolved_at=moment(received))
        elif fate == "withdrawn":
            f.update(status="withdrawn", withdrawn_at=moment(received))
        elif fate == "supplement":
            f.update(status="awaiting_supplement", paused_at=moment(received), supplement_requests=rng.randint(1, 3))
        elif fate == "refused":
            f.update(status="refused", refused_at=moment(received), channel="online")
        elif fate == "submitted":
            f.update(status="submitted", channel="online")
        facts.append(f)
    lookups: dict = {}
    dossiers = Dossier.objects.bulk_create([build_dossier(**f, lookups=lookups) for f in facts], batch_size=500)
    for unit_code, children in (("YB.LY", True), ("YB.LY", False), ("YB.LY.MX", False), ("LC", True), ("YB", True)):
        assert_agrees(unit_code, children, dossiers)
    assert tthc_report(Unit.objects.get(code="YB"), FROM, TO, children=True)["received"]["total"] > 500
