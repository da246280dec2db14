"""Satisfaction figures from surveys, ratings and feedback (issue 20 §2): per unit, procedure and
officer with numerator and denominator, the unhappy answers for the leader, and QĐ 766's 5.2,
5.3 (computed unless an administrator entered a figure) and 5.4 (a survey's 1 counts as dislike)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.files.conftest import TO_RESULT_RETURNED, advance, media_dir, online_dossier  # noqa: F401

GOOD = {"access": 3, "procedure": 3, "officers": 2, "result": 3, "feedback": 3}


@pytest.fixture
def answered(online_dossier):  # noqa: F811
    """Three returned dossiers at Yên Thế handled by chuyenvien.yt: one survey all good, one
    survey with "officers" 1 and a comment, one rated 1 at the kiosk-less online way; plus feedback."""
    from motcua.accounts.models import User
    from motcua.feedback import services as feedback
    from motcua.voices import services as voices

    owner = User.objects.get(username="congdan")
    dossiers = [advance(online_dossier(), *TO_RESULT_RETURNED) for _ in range(3)]
    feedback.answer_survey(owner, dossiers[0].code, GOOD)
    feedback.answer_survey(owner, dossiers[1].code, {**GOOD, "officers": 1, "feedback": 1}, "Cán bộ <i>gắt</i>.")
    feedback.rate_dossier(owner, dossiers[2].code, 1, "Chờ lâu.")
    item = voices.send_feedback(owner, dossiers[2].code, "Hồ sơ trả chậm so với giấy hẹn.")
    voices.answer(User.objects.get(username="lanhdao.yt"), item.pk, "Đơn vị xin lỗi.", False)
    return dossiers


def _period():
    today = timezone.localdate()
    return {"unit": "YB.LY.YT", "from": today.replace(day=1).isoformat(), "to": today.isoformat()}


def _query(params):
    from motcua.accounts.models import User
    from motcua.reports.services import report_query

    return report_query(User.objects.get(username="lanhdao.yt"), params["unit"], params["from"], params["to"])


def test_figures_per_unit_procedure_and_officer(answered):
    from motcua.reports import satisfaction

    summary = satisfaction.summary(_query(_period()))
    totals = summary["totals"]
    assert totals["answered"] == 2
    by_key = {c["key"]: (c["numerator"], c["denominator"]) for c in totals["criteria"]}
    assert by_key == {"access": (2, 2), "procedure": (2, 2), "officers": (1, 2), "result": (2, 2), "feedback": (1, 2)}
    assert (totals["ratings"]["numerator"], totals["ratings"]["denominator"]) == (0, 1)
    [officer] = summary["officers"]
    assert officer["code"] == "chuyenvien.yt" and officer["answered"] == 2
    assert (officer["criteria"][2]["numerator"], officer["criteria"][2]["denominator"]) == (1, 2)
    [unit] = summary["units"]
    assert unit["code"] == "YB.LY.YT" and (unit["ratings"]["numerator"], unit["ratings"]["denominator"]) == (0, 1)
    assert [p["code"] for p in summary["procedures"]] == ["1.001193"]
    unhappy = summary["unhappy"]
    assert unhappy["count"] == 2
    assert {row["dossier"].code for row in unhappy["rows"]} == {answered[1].code, answered[2].code}


def test_another_units_leader_counts_none_of_them(answered):
    from motcua.accounts.models import User
    from motcua.reports import satisfaction
    from motcua.reports.services import report_query

    p = _period()
    query = report_query(User.objects.get(username="lanhdao.mx"), "YB.LY.MX", p["from"], p["to"])
    assert satisfaction.totals(query)["answered"] == 0 and satisfaction.unhappy(query)["count"] == 0


def test_scorecard_computes_5_2_5_3_and_counts_survey_dislike_in_5_4(answered, api_as):
    body = api_as("lanhdao.yt").get("/reports/scorecard", _period()).json()
    ind = {i["key"]: i for g in body["groups"] for i in g["indicators"]}
    assert (ind["5.2"]["source"], ind["5.2"]["numerator"], ind["5.2"]["denominator"]) == ("system", 1, 1)
    assert (ind["5.3"]["source"], ind["5.3"]["numerator"], ind["5.3"]["denominator"]) == ("system", 1, 2)
    # 5.4: three handled in time, two disliked (a survey with a 1; a rating of 1 with feedback)
    assert (ind["5.4"]["numerator"], ind["5.4"]["denominator"]) == (1, 3)
    assert set(body) >= {"unit", "from", "to", "points", "max", "groups"}


def test_an_entered_figure_wins_over_the_computed_one(answered, api_as):
    from motcua.catalog.models import Unit
    from motcua.reports.models import ScorecardEntry

    p = _period()
    ScorecardEntry.objects.create(unit=Unit.objects.get(code="YB.LY.YT"), indicator="5.2",
                                  period_from=dt.date.fromisoformat(p["from"]), period_to=dt.date.fromisoformat(p["to"]),
                                  numerator=7, denominator=10, source="Hệ thống PAKN của tỉnh")
    body = api_as("lanhdao.yt").get("/reports/scorecard", p).json()
    ind = {i["key"]: i for g in body["groups"] for i in g["indicators"]}
    assert (ind["5.2"]["source"], ind["5.2"]["numerator"]) == ("entered", 7)
    assert ind["5.3"]["source"] == "system"


def test_late_feedback_answer_is_not_on_time(answered, api_as):
    from motcua.voices.models import Question

    item = Question.objects.get()
    Question.objects.filter(pk=item.pk).update(due_at=item.answered_at - dt.timedelta(hours=1))
    body = api_as("lanhdao.yt").get("/reports/scorecard", _period()).json()
    ind = {i["key"]: i for g in body["groups"] for i in g["indicators"]}
    assert (ind["5.2"]["numerator"], ind["5.2"]["denominator"]) == (0, 1)


def test_dashboard_and_report_pages_show_the_figures_and_the_unhappy_answers(answered, client):
    from motcua.accounts.models import User

    client.force_login(User.objects.get(username="lanhdao.yt"))
    p = _period()
    for url in ("/can-bo/bang-dieu-khien/", "/can-bo/bao-cao/"):
        page = client.get(url, {"unit": p["unit"], "from": p["from"], "to": p["to"]}).content.decode()
        assert "Mức độ hài lòng của người dân" in page, url
        assert "(1/2)" in page and answered[1].code in page and answered[2].code in page
        assert "Cán bộ &lt;i&gt;gắt&lt;/i&gt;." in page and "<i>gắt</i>" not in page
