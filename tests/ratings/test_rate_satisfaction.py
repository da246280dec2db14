"""The applicant rates the service once, after receiving the result (CONTRACT §2
``POST /dossiers/{code}/rating`` ``{"score": 1|2|3, "comment"?}`` → 201; a second → 409).
The rating feeds Decision 766/QĐ-TTg indicator 5.4 (shared/domain/reports.md)."""

from __future__ import annotations

import pytest

from tests.files.conftest import TO_RESULT_RETURNED, advance


@pytest.fixture
def returned(online_dossier):
    return advance(online_dossier(), *TO_RESULT_RETURNED)


def test_owner_rates_once_after_the_result_is_returned(api_as, returned):
    owner = api_as("congdan")
    r = owner.post(f"/dossiers/{returned.code}/rating", {"score": 3, "comment": "Cán bộ hướng dẫn tận tình."})
    assert r.status_code == 201, r.content
    assert r.json()["score"] == 3 and r.json()["label"] == "Rất hài lòng"
    from motcua.dossiers.models import Rating

    rating = Rating.objects.get(dossier=returned)
    assert (rating.score, rating.comment) == (3, "Cán bộ hướng dẫn tận tình.")
    assert owner.get(f"/dossiers/{returned.code}/rating").json()["score"] == 3
    assert api_as("motcua.yt").get(f"/dossiers/{returned.code}/rating").json()["score"] == 3
    events = api_as("motcua.yt").get(f"/dossiers/{returned.code}").json()["events"]
    assert events[-1]["action"] == "rate" and events[-1]["changes"] == {"rating": {"score": 3}}


def test_second_rating_is_409_and_keeps_the_first(api_as, returned):
    owner = api_as("congdan")
    assert owner.post(f"/dossiers/{returned.code}/rating", {"score": 1}).status_code == 201
    r = owner.post(f"/dossiers/{returned.code}/rating", {"score": 3})
    assert r.status_code == 409 and r.json()["error"]["code"] == "already_rated"
    from motcua.dossiers.models import Rating

    assert Rating.objects.get(dossier=returned).score == 1


def test_rating_without_comment(api_as, returned):
    r = api_as("congdan").post(f"/dossiers/{returned.code}/rating", {"score": 2})
    assert r.status_code == 201 and r.json()["comment"] == ""


@pytest.mark.parametrize("steps", [(), TO_RESULT_RETURNED[:3]], ids=["received", "approved"])
def test_rating_before_the_result_is_returned_is_409(api_as, online_dossier, steps):
    dossier = advance(online_dossier(), *steps)
    r = api_as("congdan").post(f"/dossiers/{dossier.code}/rating", {"score": 3})
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_returned_yet"


@pytest.mark.parametrize("score", [0, 4, -1, 100])
def test_score_outside_one_to_three_is_422(api_as, returned, score):
    r = api_as("congdan").post(f"/dossiers/{returned.code}/rating", {"score": score})
    assert r.status_code == 422
    assert set(r.json()["error"]) == {"code", "message", "fields"} and "score" in r.json()["error"]["fields"]


@pytest.mark.parametrize("body", [{}, {"score": "rất tốt"}, {"score": 2.5}, {"score": True}, {"score": 3, "comment": "x" * 2001}])
def test_malformed_rating_is_422(api_as, returned, body):
    assert api_as("congdan").post(f"/dossiers/{returned.code}/rating", body).status_code == 422


@pytest.mark.parametrize("username", ["motcua.yt", "lanhdao.yt", "motcua.mx", "admin", "thanhtra.yb"])
def test_someone_other_than_the_owner_gets_404(api_as, returned, username):
    r = api_as(username).post(f"/dossiers/{returned.code}/rating", {"score": 3})
    assert r.status_code == 404
    from motcua.dossiers.models import Rating

    assert not Rating.objects.exists()


def test_another_citizen_gets_404(api_as, returned):
    from motcua.accounts.models import Role, User

    User.objects.create_user("congdan2", password="motcua-demo-2", role=Role.CITIZEN)
    assert api_as("congdan2").post(f"/dossiers/{returned.code}/rating", {"score": 3}).status_code == 404


def test_anonymous_rating_is_401(api, returned):
    assert api.post(f"/dossiers/{returned.code}/rating", {"score": 3}).status_code == 401
