"""The officers' report (CONTRACT §2 ``GET /reports/officers``) against a recount of the same
dossiers one by one from their audit trails (``inspection.recount``), and its API: scope, the
drill-down of every number, bad input."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from tests.dossiers.data import vn

START = vn(2026, 3, 2, 7, 30)
UNITS = {"YB.LY.YT": ("motcua.yt", "chuyenvien.yt", "lanhdao.yt"), "YB.LY.MX": ("motcua.mx", "chuyenvien.mx", "lanhdao.mx")}


def _random_walk(rng: random.Random, unit: str) -> list:
    """A dossier's life with random gaps (some of them long enough to be late, some crossing the
    period's edges) and a random fate: returned, rejected (with or without a reason),
    rescheduled, sent to supplement once or twice, or left open."""
    counter, specialist, leader = UNITS[unit]
    t = START + dt.timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 9), minutes=rng.randint(0, 59))

    def later():
        nonlocal t
        t = t + dt.timedelta(hours=rng.choice([1, 2, 5, 20, 30, 70]), minutes=rng.randint(0, 59))
        return t

    steps = [("receive", counter, t)]
    if rng.random() < 0.1:
        return steps
    steps.append(("assign", leader, later(), {"assignee": specialist}))
    for _ in range(rng.choice([0, 0, 1, 2])):
        steps.append(("request_supplement", specialist, later(), {"note": "Thiếu tờ khai có chữ ký"}))
        steps.append(("supplement", counter, later()))
    if rng.random() < 0.2:
        steps.append(("reschedule", leader, later(), {"due_at": (t + dt.timedelta(days=30)).isoformat(),
                                                       "note": "Xin lỗi vì chậm trễ"}))
    if rng.random() < 0.15:
        return steps
    steps.append(("propose", specialist, later()))
    if rng.random() < 0.2:
        steps.append(("reject", leader, later(), {"note": rng.choice(["Sai", "Hồ sơ không đủ điều kiện cấp"])}))
        return steps
    steps.append(("approve", leader, later()))
    if rng.random() < 0.8:
        steps.append(("return_result", counter, later()))
    return steps


@pytest.fixture
def history(walk):
    """36 dossiers; of those returned, every other one rated, and most surveyed on the five
    criteria with answers of 1, 2 or 3."""
    from motcua.dossiers.models import Rating
    from motcua.feedback.models import CRITERION_KEYS, Survey

    rng = random.Random(20)
    answers = random.Random(766)
    dossiers = []
    for i in range(36):
        unit = "YB.LY.YT" if i % 3 else "YB.LY.MX"
        dossier = walk(_random_walk(rng, unit), unit=unit)
        dossiers.append(dossier)
        if dossier.status == "result_returned" and i % 2:
            Rating.objects.create(dossier=dossier, score=rng.choice([1, 2, 3]))
        if dossier.status == "result_returned" and answers.random() < 0.8:
            Survey.objects.create(dossier=dossier, **{k: answers.choice([1, 2, 3]) for k in CRITERION_KEYS})
    return dossiers


@pytest.mark.parametrize(("unit", "date_from", "date_to", "children"), [
    ("YB.LY.YT", "2026-03-01", "2026-03-31", ""),
    ("YB.LY", "2026-03-10", "2026-04-05", "1"),
    ("YB.LY.MX", "2026-01-01", "2026-12-31", ""),
])
def test_the_report_agrees_with_each_dossier(history, unit, date_from, date_to, children):
    from motcua.accounts.models import User
    from motcua.inspection import recount
    from motcua.reports.services import report_query

    query = report_query(User.objects.get(username="thanhtra.yb"), unit, date_from, date_to, children)
    from motcua.inspection.officers import officers_report

    report = officers_report(query)
    assert report["items"], "the period has officers' work"
    assert sum(i["late"] for i in report["items"]) > 0 and sum(i["on_time"] for i in report["items"]) > 0
    criteria = [c for i in report["items"] for c in i["surveys"]["criteria"]]
    assert sum(i["surveyed"] for i in report["items"]) > 0, "survey scores are in the report"
    assert any(0 < c["numerator"] < c["denominator"] for c in criteria), "satisfied and unsatisfied answers both counted"
    assert recount.differences(query, report) == []


def test_a_rebuild_writes_what_the_events_wrote(history):
    from motcua.inspection import store
    from motcua.inspection.models import HandlingStep

    fields = ("dossier_id", "seq", "kind", "action", "officer_id", "unit_id", "started_at", "ended_at", "late", "unexplained")
    written = sorted(HandlingStep.objects.values_list(*fields))
    assert written
    assert store.rebuild() == len(written)
    assert sorted(HandlingStep.objects.values_list(*fields)) == written


def test_the_api_row_and_every_drilldown(history, api_as):
    api = api_as("lanhdao.yt")
    r = api.get("/reports/officers", {"unit": "YB.LY.YT", "from": "2026-03-01", "to": "2026-04-30"})
    assert r.status_code == 200, r.content
    body = r.json()
    row = next(i for i in body["items"] if i["officer"] == "chuyenvien.yt")
    assert set(row) >= {"officer", "unit", "handled", "on_time", "late", "supplement_requests", "median_hours", "flags"}
    assert row["handled"] == row["on_time"] + row["late"] > 0
    base = {"unit": "YB.LY.YT", "from": "2026-03-01", "to": "2026-04-30", "officer": "chuyenvien.yt",
            "officer_unit": "YB.LY.YT", "page_size": 100}
    for figure in ("handled", "on_time", "late", "supplement_requests", "surveyed"):
        d = api.get("/reports/officers/dossiers", {**base, "figure": figure})
        assert d.status_code == 200, d.content
        assert d.json()["count"] == row[figure] == len(d.json()["items"])
    # Survey scores: each criterion's satisfied answers over the surveys, the numerator's dossiers listed.
    assert row["surveys"]["answered"] == row["surveyed"] > 0
    assert [c["key"] for c in row["surveys"]["criteria"]] == ["access", "procedure", "officers", "result", "feedback"]
    for c in row["surveys"]["criteria"]:
        assert c["denominator"] == row["surveyed"] and 0 <= c["numerator"] <= c["denominator"]
        d = api.get("/reports/officers/dossiers", {**base, "figure": f"satisfied_{c['key']}"})
        assert d.status_code == 200, d.content
        assert d.json()["count"] == c["numerator"]
    for step in row["steps"]:
        d = api.get("/reports/officers/dossiers", {**base, "figure": "late", "step": step["step"]})
        assert d.json()["count"] == step["late"]
    # No personal data of the applicants in the report.
    assert "001090012345" not in r.content.decode() and "Nguyễn Văn Bình" not in r.content.decode()


@pytest.mark.parametrize(("username", "params", "status", "code"), [
    ("chuyenvien.yt", {"unit": "YB.LY.YT"}, 403, "role_not_allowed"),
    ("lanhdao.yt", {"unit": "YB.LY.MX"}, 403, "unit_not_allowed"),  # outside the leader's scope
    ("lanhdao.yt", {"unit": "YB.LY.YT", "from": "2026-13-01"}, 422, "invalid_report_query"),
])
def test_refused_with_the_contract_body(api_as, demo, username, params, status, code):
    r = api_as(username).get("/reports/officers", {"from": "2026-03-01", "to": "2026-03-31", **params})
    assert r.status_code == status
    assert r.json()["error"]["code"] == code


@pytest.mark.parametrize(("params", "status", "code"), [
    ({"figure": "nonsense"}, 422, "invalid_figure"),
    ({"figure": "refusals", "step": "intake"}, 422, "invalid_figure"),
    ({"figure": "handled", "officer": "nobody"}, 422, "officer_not_found"),
    ({"figure": "handled", "officer": "chuyenvien.yt", "officer_unit": "LC.NN.NM"}, 404, "unit_not_found"),
])
def test_a_bad_drilldown_is_a_clear_4xx(api_as, demo, params, status, code):
    r = api_as("thanhtra.yb").get("/reports/officers/dossiers",
                                  {"unit": "YB.LY", "children": "1", "from": "2026-03-01", "to": "2026-03-31", **params})
    assert r.status_code == status, r.content
    assert r.json()["error"]["code"] == code
