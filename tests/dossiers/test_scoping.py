"""Who sees which dossier (CONTRACT §2: staff scoped to their units; citizens their own;
public tracking without personal data). A dossier outside one's scope does not exist: 404."""

from __future__ import annotations

import pytest

from tests.dossiers.data import APPLICANT


@pytest.fixture
def mx_dossier(receive):
    return receive(unit="YB.LY.MX", counter="motcua.mx")


@pytest.mark.parametrize("username", ["motcua.yt", "chuyenvien.yt", "lanhdao.yt", "motcua.nm", "lanhdao.nm"])
def test_an_officer_of_another_unit_can_neither_read_nor_act_on_a_dossier(api_as, mx_dossier, username):
    client = api_as(username)
    r = client.get(f"/dossiers/{mx_dossier.code}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "dossier_not_found"
    for body in ({"action": "assign", "assignee": "chuyenvien.mx"}, {"action": "withdraw", "note": "x"},
                 {"action": "reschedule", "due_at": "2027-01-01T17:00:00+07:00", "note": "x"}):
        r = client.post(f"/dossiers/{mx_dossier.code}/actions", body)
        assert r.status_code == 404, (body, r.content)
    assert mx_dossier.code not in [d["code"] for d in client.get("/dossiers").json()["items"]]
    assert client.get("/dossiers", {"unit": "YB.LY.MX"}).json()["count"] == 0


def test_officers_of_the_unit_see_its_dossiers(api_as, mx_dossier):
    for username in ("motcua.mx", "chuyenvien.mx", "lanhdao.mx"):
        assert api_as(username).get(f"/dossiers/{mx_dossier.code}").status_code == 200


def test_a_district_leader_reads_the_communes_dossiers_and_acts_on_none(api_as, mx_dossier):
    """Issue 17 §1: the district's report counts the communes' dossiers, so its leader opens
    them (``GET /dossiers/{code}``, the list) — and takes no action on them (403, as the
    inspector): the commune's own leader approves."""
    leader = api_as("lanhdao.ly")
    r = leader.get(f"/dossiers/{mx_dossier.code}")
    assert r.status_code == 200 and r.json()["allowed_actions"] == []
    assert mx_dossier.code in [d["code"] for d in leader.get("/dossiers", {"unit": "YB.LY.MX"}).json()["items"]]
    for body in ({"action": "assign", "assignee": "chuyenvien.mx"}, {"action": "reject", "note": "x"},
                 {"action": "reschedule", "due_at": "2027-01-01T17:00:00+07:00", "note": "x"}):
        r = leader.post(f"/dossiers/{mx_dossier.code}/actions", body)
        assert r.status_code == 403, (body, r.content)
    lc = api_as("lanhdao.nm")  # … and a leader of another province's commune opens nothing of it
    assert lc.get(f"/dossiers/{mx_dossier.code}").status_code == 404


def test_a_citizen_sees_only_their_own_dossiers(api_as, submit, mx_dossier, demo):
    from motcua.accounts.models import Role, User

    mine = submit()
    User.objects.create_user("congdan2", password="motcua-demo", role=Role.CITIZEN)
    me, other = api_as("congdan"), api_as("congdan2")
    assert me.get(f"/dossiers/{mine.code}").status_code == 200
    assert me.get(f"/dossiers/{mx_dossier.code}").status_code == 404
    assert [d["code"] for d in me.get("/dossiers").json()["items"]] == [mine.code]
    assert other.get(f"/dossiers/{mine.code}").status_code == 404
    assert other.post(f"/dossiers/{mine.code}/actions", {"action": "withdraw", "note": "x"}).status_code == 404
    assert other.get("/dossiers").json()["count"] == 0


def test_an_inspector_reads_the_subtree_and_acts_on_nothing(api_as, receive, mx_dossier):
    yt = receive()
    lc = receive(unit="LC.NN.NM", counter="motcua.nm")
    inspector = api_as("thanhtra.yb")
    assert inspector.get(f"/dossiers/{yt.code}").status_code == 200
    assert inspector.get(f"/dossiers/{mx_dossier.code}").json()["allowed_actions"] == []
    assert inspector.get(f"/dossiers/{lc.code}").status_code == 404
    assert sorted(d["code"] for d in inspector.get("/dossiers").json()["items"]) == sorted([yt.code, mx_dossier.code])
    for action in ("accept", "assign", "approve", "withdraw", "return_result"):
        r = inspector.post(f"/dossiers/{yt.code}/actions", {"action": action, "note": "x", "assignee": "chuyenvien.yt"})
        assert r.status_code == 403, (action, r.content)


def test_the_dossier_api_needs_authentication(api, mx_dossier):
    assert api.get(f"/dossiers/{mx_dossier.code}").status_code == 401
    assert api.get("/dossiers").status_code == 401
    assert api.post(f"/dossiers/{mx_dossier.code}/actions", {"action": "accept"}).status_code == 401


def test_public_tracking_shows_the_status_and_no_personal_data(api, mx_dossier):
    r = api.get(f"/public/track/{mx_dossier.code}")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "received" and body["due_at"] and body["procedure_name"]
    text = r.content.decode()
    for secret in (APPLICANT["full_name"], APPLICANT["id_number"], APPLICANT["phone"], APPLICANT["email"],
                   APPLICANT["address"], "motcua.mx", "Hoàng Thị Mai"):
        assert secret not in text
    assert api.get("/public/track/YB.LY.MX-000000-9999").status_code == 404


def test_a_big_list_says_its_count_is_a_floor(api_as, receive, monkeypatch):
    """``GET /dossiers`` counts up to ``paging.COUNT_CAP`` (lowered to 2 here): then
    ``count_capped`` is true and ``count`` is a floor; a small list counts exactly."""
    from motcua import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    for _ in range(3):
        receive()
    client = api_as("motcua.yt")
    body = client.get("/dossiers", {"page_size": 2}).json()
    assert body["count"] == 2 and body["count_capped"] is True and len(body["items"]) == 2
    exact = client.get("/dossiers", {"status": "processing"}).json()
    assert exact["count"] == 0 and exact["count_capped"] is False
