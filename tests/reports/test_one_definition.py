"""One definition of the report's figures and of timeliness, checked against the independent recount.

The conditions of ``dossiers.timeliness`` (and ``reports.services``, built from them) are the one
definition; the per-day counters' triggers are compiled from the same expressions
(``reports.daily``). ``reports.recount.classify`` is written separately from the words of docs/reports.md
and is only a check. On random dossiers — irregular ones too (resolved before received, both
resolved and withdrawn, paused at any time) — each dossier's figures by the conditions equal the
recount's, and so do the report's totals read from the counters the triggers kept; the class
each dossier has as of the period's end is the same as a value (``timeliness_of``) and as a
condition (``timeliness_q``). Both databases.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import BooleanField, Case, Value, When
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalog.models import Unit
from motcua.dossiers.models import Dossier
from motcua.dossiers.timeliness import RECEIVED, Timeliness, timeliness_of, timeliness_q
from motcua.reports import recount, services
from motcua.worktime.calendar import VN_TZ
from tests.profiles import examples
from tests.reports.conftest import build_dossier

FROM, TO = dt.date(2026, 3, 10), dt.date(2026, 3, 12)
START, END = services.period_bounds(FROM, TO)
EDGES = [START, END, START - dt.timedelta(seconds=1), END - dt.timedelta(seconds=1),
         dt.datetime(2026, 3, 11, tzinfo=VN_TZ), dt.datetime(2026, 3, 11, 17, tzinfo=VN_TZ)]
STATUSES = ["submitted", "refused", "received", "processing", "awaiting_supplement", "awaiting_approval",
            "approved", "rejected", "result_returned", "withdrawn"]

moments = st.one_of(st.integers(0, 60 * 24 * 12).map(lambda m: START - dt.timedelta(days=6) + dt.timedelta(minutes=m)),
                    st.sampled_from(EDGES))


@st.composite
def any_dossier(draw):
    """Any facts, in any order: the workflow's own and those an import or a hand could leave."""
    maybe = st.one_of(st.none(), moments)
    return dict(unit=draw(st.sampled_from(["YB.LY.YT", "YB.LY.MX"])),
                channel=draw(st.sampled_from(["online", "direct", "postal"])),
                status=draw(st.sampled_from(STATUSES)), received_at=draw(moments), due_at=draw(moments),
                resolved_at=draw(maybe), withdrawn_at=draw(maybe), paused_at=draw(maybe),
                refused_at=draw(st.one_of(st.none(), st.none(), moments)),
                supplement_requests=draw(st.integers(0, 3)))


def flags(conditions: dict) -> dict:
    return {name: Case(When(cond, then=Value(True)), default=Value(False), output_field=BooleanField())
            for name, cond in conditions.items()}


@pytest.mark.large
@settings(max_examples=examples(40), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(any_dossier(), min_size=1, max_size=25))
def test_the_one_definition_agrees_with_the_recount(demo, facts):
    check(facts)


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, tzinfo=VN_TZ)


IRREGULAR = {  # by hand, the cases a few random examples may miss
    "new, resolved before it was received, overdue": dict(received_at=at(11), resolved_at=at(8), due_at=at(9)),
    "new, resolved before it was received, within": dict(received_at=at(11), resolved_at=at(8), due_at=at(20)),
    "new, resolved before received, paused": dict(received_at=at(11), resolved_at=at(8), due_at=at(9), paused_at=at(10)),
    "new, withdrawn before it was received": dict(received_at=at(11), withdrawn_at=at(9), due_at=at(9)),
    "resolved and withdrawn in the period": dict(received_at=at(5), resolved_at=at(11), withdrawn_at=at(10), due_at=at(9)),
    "resolved and withdrawn, resolved after": dict(received_at=at(5), resolved_at=at(14), withdrawn_at=at(11), due_at=at(9)),
    "carried over, resolved after the end": dict(received_at=at(5), resolved_at=at(14), due_at=at(12, 20)),
    "paused before received": dict(received_at=at(11), paused_at=at(3), due_at=at(9)),
}


@pytest.mark.parametrize("case", IRREGULAR)
def test_irregular_dossiers_agree_with_the_recount(demo, case):
    check([dict(unit="YB.LY.YT", channel="direct", status="processing", **IRREGULAR[case])])


def check(facts: list[dict]) -> None:
    lookups: dict = {}
    with transaction.atomic():  # each example in its own savepoint, rolled back after it
        made = Dossier.objects.bulk_create([build_dossier(**f, lookups=lookups) for f in facts])
        ids = [d.pk for d in made]
        figures = services.figure_conditions(START, END)
        counted = set(Dossier.objects.filter(pk__in=ids).filter(RECEIVED & services.received(START, END))
                      .values_list("pk", flat=True))
        by_conditions = {row.pop("pk"): {name for name, yes in row.items() if yes}
                         for row in Dossier.objects.filter(pk__in=ids).annotate(**flags(figures))
                         .values("pk", *figures)}
        classes = {Timeliness(k): set(Dossier.objects.filter(pk__in=ids).filter(timeliness_q(k, as_of=END))
                                      .values_list("pk", flat=True)) for k in Timeliness}
        for d in Dossier.objects.filter(pk__in=ids):
            tags = recount.classify(d, START, END)
            assert (d.pk in counted) == bool(tags)
            if tags:
                assert by_conditions[d.pk] == tags, (d.__dict__, tags)
            value = timeliness_of(d, as_of=END)
            assert {k for k, pks in classes.items() if d.pk in pks} == ({value} if value else set())
        for unit in Unit.objects.filter(code__in=["YB.LY.YT", "YB.LY.MX"]):  # the counters the triggers kept
            mine = [d for d in Dossier.objects.filter(pk__in=ids, unit=unit)]
            got = services.tthc_report(unit, FROM, TO)
            assert recount.flatten(got) == recount.flatten(recount.reference_report(mine, FROM, TO))
        transaction.set_rollback(True)
