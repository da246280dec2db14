"""GET /api/v1/reports/tthc/dossiers (CONTRACT §2): the dossiers behind each figure of §5.

The list's count equals its figure for every figure name, on hand-built sets covering every
branch of CONTRACT §5: carried over, paused, withdrawn, late by one minute, on time at 16:59
on the due day, a 2-level and a 3-level tree, and a merged (abolished) unit.
"""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.reports.services import FIGURES
from tests.reports.conftest import vn

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def flat(report: dict) -> dict[str, int]:
    """The report's figures by CONTRACT §5 name."""
    return {
        "received": report["received"]["total"], "carried_over": report["received"]["carried_over"],
        "new": report["received"]["new"]["total"], "online": report["received"]["new"]["online"],
        "direct": report["received"]["new"]["direct"], "postal": report["received"]["new"]["postal"],
        "resolved": report["resolved"]["total"], "early": report["resolved"]["early"],
        "on_time": report["resolved"]["on_time"], "late": report["resolved"]["late"],
        "in_progress": report["in_progress"]["total"], "within_deadline": report["in_progress"]["within_deadline"],
        "overdue": report["in_progress"]["overdue"], "withdrawn": report["withdrawn"],
    }


@pytest.fixture
def every_branch(make_dossier):
    from motcua.catalog.models import Unit

    made = {}
    # 3-level tree: YB → YB.LY → YB.LY.YT / YB.LY.MX
    made["carried_over"] = make_dossier(unit="YB.LY.YT", received_at=vn("2026-02-20 08:00"), due_at=vn("2026-03-10 17:00"),
                                        status="approved", resolved_at=vn("2026-03-05 09:00"))
    made["carried_open"] = make_dossier(unit="YB.LY.YT", received_at=vn("2026-02-25 08:00"), due_at=vn("2026-03-03 17:00"),
                                        status="processing")
    made["resolved_before"] = make_dossier(unit="YB.LY.YT", received_at=vn("2026-02-02 08:00"), due_at=vn("2026-02-10 17:00"),
                                           status="approved", resolved_at=vn("2026-02-09 08:00"))
    made["paused"] = make_dossier(unit="YB.LY.YT", channel="online", received_at=vn("2026-03-02 08:00"),
                                  due_at=vn("2026-03-04 17:00"), status="awaiting_supplement",
                                  paused_at=vn("2026-03-03 09:00"), supplement_requests=1)
    made["withdrawn"] = make_dossier(unit="YB.LY.YT", channel="online", received_at=vn("2026-03-02 09:00"),
                                     due_at=vn("2026-03-06 17:00"), status="withdrawn", withdrawn_at=vn("2026-03-04 10:00"))
    made["late_by_a_minute"] = make_dossier(unit="YB.LY.MX", channel="postal", received_at=vn("2026-03-09 08:00"),
                                            due_at=vn("2026-03-11 17:00"), status="rejected", resolved_at=vn("2026-03-11 17:01"))
    made["on_time_1659"] = make_dossier(unit="YB.LY.MX", received_at=vn("2026-03-09 08:00"), due_at=vn("2026-03-11 17:00"),
                                        status="result_returned", resolved_at=vn("2026-03-11 16:59"))
    made["early"] = make_dossier(unit="YB.LY", channel="online", received_at=vn("2026-03-16 08:00"),
                                 due_at=vn("2026-03-20 17:00"), status="approved", resolved_at=vn("2026-03-18 10:00"))
    made["overdue"] = make_dossier(unit="YB.LY", received_at=vn("2026-03-23 08:00"), due_at=vn("2026-03-25 17:00"),
                                   status="processing")
    made["within"] = make_dossier(unit="YB.LY", channel="online", received_at=vn("2026-03-30 08:00"),
                                  due_at=vn("2026-04-03 17:00"), status="received")
    made["after_period"] = make_dossier(unit="YB.LY", received_at=vn("2026-04-01 08:00"), due_at=vn("2026-04-03 17:00"))
    made["refused"] = make_dossier(unit="YB.LY.YT", channel="online", received_at=vn("2026-03-03 08:00"),
                                   due_at=vn("2026-03-05 17:00"), status="refused", refused_at=vn("2026-03-03 09:00"))
    # 2-level tree: LC → LC.TP (a commune directly under its province)
    made["two_level"] = make_dossier(unit="LC.TP", channel="online", received_at=vn("2026-03-10 08:00"),
                                     due_at=vn("2026-03-12 17:00"), status="approved", resolved_at=vn("2026-03-12 08:00"))
    # A commune abolished on 1/3/2026 (merged): its history still counts, under its province.
    merged = Unit.objects.create(code="YB.LY.CU", name="Xã Cũ", level="commune", parent=Unit.objects.get(code="YB.LY"),
                                 valid_to=dt.date(2026, 2, 28))
    made["merged_unit"] = make_dossier(unit=merged, received_at=vn("2026-02-23 08:00"), due_at=vn("2026-03-02 17:00"),
                                       status="approved", resolved_at=vn("2026-03-02 10:00"))
    return made


def all_codes(client, params: dict) -> tuple[int, list[str]]:
    """Every page of a drill-down: its count and the codes listed."""
    codes, page = [], 1
    while True:
        r = client.get("/reports/tthc/dossiers", {**params, "page": page, "page_size": 2})
        assert r.status_code == 200, r.content
        body = r.json()
        codes += [item["code"] for item in body["items"]]
        if page >= body["pages"]:
            return body["count"], codes
        page += 1


@pytest.mark.parametrize("unit, children", [("YB", "1"), ("YB.LY", "1"), ("YB.LY.YT", ""), ("YB.LY.MX", ""),
                                            ("LC", "1"), ("YB.LY.CU", "")])
def test_every_figure_lists_exactly_its_dossiers(api_as, every_branch, unit, children):
    """For every figure name, the drill-down's count equals the report's figure and lists as many distinct dossiers."""
    client = api_as("admin")
    params = {"unit": unit, "children": children, **MARCH}
    report = client.get("/reports/tthc", params).json()
    figures = flat(report)
    for figure in FIGURES:
        count, codes = all_codes(client, {**params, "figure": figure})
        assert count == figures[figure], (unit, figure)
        assert len(codes) == len(set(codes)) == count, (unit, figure, codes)


def test_the_branches_land_in_the_right_figures(api_as, every_branch):
    """Which dossier is behind which figure (YB with every unit below it)."""
    client = api_as("admin")
    params = {"unit": "YB", "children": "1", **MARCH}
    code = {name: d.code for name, d in every_branch.items()}

    def listed(figure):
        return set(all_codes(client, {**params, "figure": figure})[1])

    assert listed("carried_over") == {code["carried_over"], code["carried_open"], code["merged_unit"]}
    assert listed("late") == {code["late_by_a_minute"]}
    assert listed("on_time") == {code["on_time_1659"], code["merged_unit"]}
    assert listed("early") == {code["carried_over"], code["early"]}
    assert listed("overdue") == {code["carried_open"], code["overdue"]}
    assert listed("within_deadline") == {code["paused"], code["within"]}
    assert listed("withdrawn") == {code["withdrawn"]}
    assert code["refused"] not in listed("received") and code["after_period"] not in listed("received")
    assert code["resolved_before"] not in listed("received")


def test_drilldown_narrows_to_a_field_or_a_procedure(api_as, every_branch):
    client = api_as("admin")
    params = {"unit": "YB", "children": "1", **MARCH}
    report = client.get("/reports/tthc", params).json()
    for row in report["rows"]:
        count, _ = all_codes(client, {**params, "figure": "received", "field": row["field"]})
        assert count == row["received"]["total"]
    for row in report["procedures"]:
        count, _ = all_codes(client, {**params, "figure": "resolved", "procedure": row["procedure"]})
        assert count == row["resolved"]["total"]
    assert sum(row["received"]["total"] for row in report["procedures"]) == report["received"]["total"]


@pytest.mark.parametrize("params, status, code", [
    ({"figure": "nonsense"}, 422, "invalid_figure"),
    ({"figure": ""}, 422, "invalid_figure"),
    ({"figure": "late", "from": "2026-04-01"}, 422, "invalid_report_query"),   # from after to
    ({"figure": "late", "from": "2026-3-1"}, 422, "invalid_report_query"),     # malformed date
    ({"figure": "late", "unit": "XX.NOPE"}, 404, "unit_not_found"),
    ({"figure": "late", "field": "nope"}, 422, "invalid_report_query"),
    ({"figure": "late", "page": 99}, 404, "page_out_of_range"),
])
def test_bad_drilldown_queries_get_a_clear_4xx(api_as, every_branch, params, status, code):
    r = api_as("admin").get("/reports/tthc/dossiers", {"unit": "YB", "children": "1", **MARCH, **params})
    assert r.status_code == status, r.content
    assert r.json()["error"]["code"] == code


def test_drilldown_is_scoped_like_the_report(api_as, every_branch):
    """A commune leader may not list another unit's dossiers; an inspector only their subtree."""
    r = api_as("lanhdao.yt").get("/reports/tthc/dossiers", {"unit": "YB.LY.MX", "figure": "received", **MARCH})
    assert r.status_code == 403 and r.json()["error"]["code"] == "unit_not_allowed"
    r = api_as("thanhtra.yb").get("/reports/tthc/dossiers", {"unit": "LC", "children": "1", "figure": "received", **MARCH})
    assert r.status_code == 403
    r = api_as("motcua.yt").get("/reports/tthc/dossiers", {"unit": "YB.LY.YT", "figure": "received", **MARCH})
    assert r.status_code == 403 and r.json()["error"]["code"] == "role_not_allowed"
