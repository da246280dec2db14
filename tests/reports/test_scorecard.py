"""The QĐ 766/QĐ-TTg scorecard (CONTRACT §2 /reports/scorecard; shared/domain/reports.md).

Group maxima are CONTRACT (CKMB 18, TDGQ 20, CLGQ 12, TTTT 10, MDHL 18, MDSH 22); each
indicator scores full points at or above its threshold and ratio × max ÷ threshold below
it [T "Mô tả công thức tính chỉ số 766"]; a zero denominator scores 0.
"""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.reports.scorecard import GROUPS, points
from tests.reports.conftest import vn

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def test_groups_and_weights_are_the_contracts():
    assert [(g.key, g.max) for g in GROUPS] == [("CKMB", 18), ("TDGQ", 20), ("CLGQ", 12), ("TTTT", 10), ("MDHL", 18), ("MDSH", 22)]
    assert sum(g.max for g in GROUPS) == 100
    for group in GROUPS:  # the indicators' maxima add up to their group's
        assert sum(i.max for i in group.indicators) == group.max, group.key


@pytest.mark.parametrize("numerator, denominator, threshold, maximum, ratio, earned", [
    (80, 100, 80, 4, 80.0, 4.0),      # at the threshold: full points
    (95, 100, 80, 4, 95.0, 4.0),      # above it: still the maximum
    (40, 100, 80, 4, 40.0, 2.0),      # half the threshold: half the points
    (1, 3, 50, 4, 33.33, 2.67),       # ratio rounded first (33.33), points to 2 decimals
    (370, 371, 100, 20, 99.73, 19.95),  # seed 002's 370/371 is 99.73 %, not 99.96 %
    (0, 10, 80, 6, 0.0, 0.0),
    (0, 0, 80, 6, None, 0.0),         # zero denominator: no ratio, no points
    (5, 5, 100, 6, 100.0, 6.0),
])
def test_points_rule(numerator, denominator, threshold, maximum, ratio, earned):
    assert points(numerator, denominator, threshold, maximum) == (ratio, earned)


@pytest.fixture
def march(make_dossier):
    made = [
        # resolved early, on time, late; one in time but with two supplementation requests (counts as overdue)
        make_dossier(unit="YB.LY.YT", channel="online", received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"),
                     status="result_returned", resolved_at=vn("2026-03-03 10:00")),
        make_dossier(unit="YB.LY.YT", channel="online", received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"),
                     status="approved", resolved_at=vn("2026-03-04 16:00")),
        make_dossier(unit="YB.LY.YT", channel="direct", received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"),
                     status="approved", resolved_at=vn("2026-03-05 08:00")),
        make_dossier(unit="YB.LY.YT", channel="direct", received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-10 17:00"),
                     status="approved", resolved_at=vn("2026-03-06 08:00"), supplement_requests=2),
    ]
    return made


def indicator(body: dict, key: str) -> dict:
    return next(i for g in body["groups"] for i in g["indicators"] if i["key"] == key)


def test_scorecard_body_and_indicator_2_1(api_as, march):
    r = api_as("lanhdao.yt").get("/reports/scorecard", {"unit": "YB.LY.YT", **MARCH})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["unit"], body["from"], body["to"], body["max"]) == ("YB.LY.YT", "2026-03-01", "2026-03-31", 100)
    assert [g["key"] for g in body["groups"]] == ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH"]
    for group in body["groups"]:
        assert group["points"] == round(sum(i["points"] for i in group["indicators"]), 2)
        for item in group["indicators"]:
            assert set(item) >= {"key", "name", "numerator", "denominator", "ratio", "threshold", "points", "max", "source"}
            assert item["source"] in {"system", "entered", "unavailable"}
    assert body["points"] == round(sum(g["points"] for g in body["groups"]), 2)
    i21 = indicator(body, "2.1")
    # early + on time in time; late is not; the one with two requests counts as overdue.
    assert (i21["numerator"], i21["denominator"], i21["source"]) == (2, 4, "system")
    assert (i21["ratio"], i21["points"]) == (50.0, 10.0)
    online = indicator(body, "3.3")  # two received online, but the national portal holds none: × sync rate 0
    assert (online["numerator"], online["denominator"], online["points"]) == (0, 4, 0)
    from motcua.dossiers.models import NationalRecord

    for dossier in march:  # acknowledged by the portal: the two online ones count (no paper result in the catalog)
        NationalRecord.objects.create(dossier=dossier, national_code=dossier.code, synced_at=dossier.received_at)
    online = indicator(api_as("lanhdao.yt").get("/reports/scorecard", {"unit": "YB.LY.YT", **MARCH}).json(), "3.3")
    assert (online["numerator"], online["denominator"]) == (2, 4)
    assert online["points"] == 4.0  # 50 % is the threshold
    synced = indicator(body, "1.4")  # from the sync records: none of these reached the national portal
    assert (synced["source"], synced["numerator"], synced["denominator"], synced["points"]) == ("system", 0, 4, 0)


def test_entered_indicator_is_summed_over_the_period(api_as, march):
    from motcua.catalog.models import Unit
    from motcua.reports.models import ScorecardEntry

    unit = Unit.objects.get(code="YB.LY.YT")
    ScorecardEntry.objects.create(unit=unit, indicator="5.2", period_from=dt.date(2026, 3, 1), period_to=dt.date(2026, 3, 15),
                                  numerator=3, denominator=4, source="Hệ thống PAKN của tỉnh")
    ScorecardEntry.objects.create(unit=unit, indicator="5.2", period_from=dt.date(2026, 3, 16), period_to=dt.date(2026, 3, 31),
                                  numerator=5, denominator=6, source="Hệ thống PAKN của tỉnh")
    ScorecardEntry.objects.create(unit=unit, indicator="5.2", period_from=dt.date(2026, 4, 1), period_to=dt.date(2026, 4, 30),
                                  numerator=0, denominator=9, source="outside the period")
    body = api_as("lanhdao.yt").get("/reports/scorecard", {"unit": "YB.LY.YT", **MARCH}).json()
    item = indicator(body, "5.2")
    assert (item["source"], item["numerator"], item["denominator"], item["ratio"]) == ("entered", 8, 10, 80.0)
    assert item["points"] == 4.8 and item["entered_source"] == "Hệ thống PAKN của tỉnh"


def test_an_administrator_cannot_enter_a_system_indicator():
    from django.core.exceptions import ValidationError

    from motcua.reports.models import ScorecardEntry

    entry = ScorecardEntry(indicator="2.1", period_from=dt.date(2026, 3, 1), period_to=dt.date(2026, 2, 1),
                           numerator=5, denominator=4, source="x")
    with pytest.raises(ValidationError) as caught:
        entry.clean()
    assert set(caught.value.message_dict) == {"indicator", "period_to", "numerator"}


def test_zero_denominators_score_zero_without_failing(api_as, demo):
    body = api_as("admin").get("/reports/scorecard", {"unit": "LC.NN.NM", **MARCH}).json()
    i21 = indicator(body, "2.1")
    assert (i21["numerator"], i21["denominator"], i21["ratio"], i21["points"]) == (0, 0, None, 0.0)


def test_scorecard_is_scoped_like_the_report(api_as, demo):
    assert api_as("lanhdao.yt").get("/reports/scorecard", {"unit": "YB.LY", **MARCH}).status_code == 403
    assert api_as("congdan").get("/reports/scorecard", {"unit": "YB", **MARCH}).status_code == 403


def test_procedure_counts_agree_across_indicators_in_a_two_level_tree(api_as, make_dossier):
    """1.3, 3.1, 3.2 and 6.x count procedures the catalog's way — (procedure, level) pairs —
    so with a district and its communes a procedure performed at both levels counts twice
    everywhere, and 3.2's denominator is 3.1's numerator."""
    from motcua.catalog.models import OnlineLevel, Procedure, Unit
    from motcua.catalog.services import procedure_stats

    district = Unit.objects.get(code="YB.LY")
    both = Procedure.objects.filter(levels__level="commune").filter(levels__level="district").exclude(
        online_level=OnlineLevel.NONE).order_by("code").first()
    assert both is not None, "the demo catalog has an online procedure performed at two levels"
    make_dossier(unit="YB.LY.YT", procedure=both, channel="online", received_at=vn("2026-03-02 08:00"),
                 due_at=vn("2026-03-04 17:00"))
    body = api_as("admin").get("/reports/scorecard", {"unit": "YB.LY", "children": "true", **MARCH}).json()
    stats = procedure_stats(district, children=True, day=dt.date(2026, 3, 31))
    online_pairs = stats["by_online_level"]["partial"] + stats["by_online_level"]["full"]
    i13, i31, i32 = indicator(body, "1.3"), indicator(body, "3.1"), indicator(body, "3.2")
    assert i13["denominator"] == i31["denominator"] == stats["total"]
    assert i31["numerator"] == i32["denominator"] == online_pairs
    # the one online dossier used the commune-level pair only: the district-level pair of the same procedure is unused
    assert i32["numerator"] == 1
