"""The five-criteria satisfaction survey (CONTRACT §2 ``POST /dossiers/{code}/survey``; §7
``/ho-so-cua-toi/{code}/khao-sat/``): once per dossier, by its owner, after the result is returned."""

from __future__ import annotations

import pytest

from tests.files.conftest import TO_RESULT_RETURNED, advance

ALL_GOOD = {"access": 3, "procedure": 2, "officers": 3, "result": 3, "feedback": 2}


@pytest.fixture
def returned(online_dossier):
    return advance(online_dossier(), *TO_RESULT_RETURNED)


def _surveys():
    from motcua.feedback.models import Survey

    return Survey.objects.count()


def test_owner_answers_once_after_the_result(api_as, returned):
    owner = api_as("congdan")
    r = owner.post(f"/dossiers/{returned.code}/survey", {"criteria": ALL_GOOD, "comment": "Nhanh gọn."})
    assert r.status_code == 201, r.content
    assert r.json()["criteria"] == ALL_GOOD and r.json()["comment"] == "Nhanh gọn."
    from motcua.feedback.models import Survey

    survey = Survey.objects.get(dossier=returned)
    assert survey.scores() == ALL_GOOD and not survey.unhappy
    staff = api_as("motcua.yt")
    assert staff.get(f"/dossiers/{returned.code}/survey").json()["criteria"] == ALL_GOOD
    events = staff.get(f"/dossiers/{returned.code}").json()["events"]
    assert events[-1]["action"] == "survey" and events[-1]["changes"] == {"survey": ALL_GOOD}
    again = owner.post(f"/dossiers/{returned.code}/survey", {"criteria": {**ALL_GOOD, "access": 1}})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_surveyed"
    assert Survey.objects.get(dossier=returned).access == 3


def test_survey_and_rating_are_separate(api_as, returned):
    owner = api_as("congdan")
    assert owner.post(f"/dossiers/{returned.code}/rating", {"score": 2}).status_code == 201
    assert owner.post(f"/dossiers/{returned.code}/survey", {"criteria": ALL_GOOD}).status_code == 201


@pytest.mark.parametrize("steps", [(), TO_RESULT_RETURNED[:3]], ids=["received", "approved"])
def test_before_the_result_is_returned_is_409(api_as, online_dossier, steps):
    dossier = advance(online_dossier(), *steps)
    r = api_as("congdan").post(f"/dossiers/{dossier.code}/survey", {"criteria": ALL_GOOD})
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_returned_yet"
    assert _surveys() == 0


@pytest.mark.parametrize("username", ["motcua.yt", "lanhdao.yt", "admin", "thanhtra.yb"])
def test_someone_else_gets_404(api_as, returned, username):
    r = api_as(username).post(f"/dossiers/{returned.code}/survey", {"criteria": ALL_GOOD})
    assert r.status_code == 404 and _surveys() == 0


@pytest.mark.parametrize("criteria, field", [
    ({}, "criteria.access"),
    ({**ALL_GOOD, "access": 0}, "criteria.access"),
    ({**ALL_GOOD, "officers": 4}, "criteria.officers"),
    ({**ALL_GOOD, "result": True}, "criteria.result"),
    ({**ALL_GOOD, "result": "3"}, "criteria.result"),
    ({**ALL_GOOD, "feedback": 2.5}, "criteria.feedback"),
    ({"access": 3, "procedure": 3, "officers": 3, "result": 3}, "criteria.feedback"),
    ({**ALL_GOOD, "speed": 3}, "criteria.speed"),
])
def test_bad_answers_are_422_naming_the_criterion(api_as, returned, criteria, field):
    r = api_as("congdan").post(f"/dossiers/{returned.code}/survey", {"criteria": criteria})
    assert r.status_code == 422, r.content
    assert field in r.json()["error"]["fields"] and _surveys() == 0


@pytest.mark.parametrize("body", [{}, {"criteria": "3"}, {"criteria": ALL_GOOD, "comment": "x" * 2001}])
def test_malformed_body_is_422(api_as, returned, body):
    assert api_as("congdan").post(f"/dossiers/{returned.code}/survey", body).status_code == 422
    assert _surveys() == 0


# ------------------------------------------------------------------ the page

def _page(client, code):
    return f"/ho-so-cua-toi/{code}/khao-sat/"


def test_the_page_takes_the_survey_once(client, returned):
    from motcua.accounts.models import User

    client.force_login(User.objects.get(username="congdan"))
    detail = client.get(f"/ho-so-cua-toi/{returned.code}/").content.decode()
    assert _page(client, returned.code) in detail
    page = client.get(_page(client, returned.code)).content.decode()
    assert page.count('type="radio"') == 15 and "Tiếp cận dịch vụ" in page
    partial = client.post(_page(client, returned.code), {"access": "3", "comment": "<script>alert(1)</script>"})
    assert partial.status_code == 422 and _surveys() == 0
    text = partial.content.decode()
    assert "Chưa chọn mức hài lòng" in text and "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text
    r = client.post(_page(client, returned.code), {**{k: str(v) for k, v in ALL_GOOD.items()}, "comment": "<b>tốt</b>"})
    assert r.status_code == 302 and _surveys() == 1
    done = client.get(_page(client, returned.code)).content.decode()
    assert "Bạn đã trả lời phiếu khảo sát" in done and 'type="radio"' not in done
    assert _page(client, returned.code) not in client.get(f"/ho-so-cua-toi/{returned.code}/").content.decode()
    client.post(_page(client, returned.code), {k: "1" for k in ALL_GOOD})
    assert _surveys() == 1


def test_the_page_of_someone_elses_dossier_is_404(client, returned):
    from motcua.accounts.models import Role, User

    other = User.objects.create_user("congdan2", password="x-motcua-2", role=Role.CITIZEN)
    client.force_login(other)
    assert client.get(_page(client, returned.code)).status_code == 404
    assert client.post(_page(client, returned.code), {k: "3" for k in ALL_GOOD}).status_code == 404
    assert _surveys() == 0
