"""The applicant withdraws a dossier, with a note (CONTRACT §2: ``withdraw`` needs a ``note``)."""

from __future__ import annotations


def test_the_owner_withdraws_with_a_note(api_as, submit, counts):
    dossier = submit()
    citizen = api_as("congdan")
    before = counts()
    r = citizen.post(f"/dossiers/{dossier.code}/actions", {"action": "withdraw"})
    assert r.status_code == 422 and "note" in r.json()["error"]["fields"]
    assert counts() == before
    r = citizen.post(f"/dossiers/{dossier.code}/actions", {"action": "withdraw", "note": "Không còn nhu cầu"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "withdrawn" and body["withdrawn_at"]
    assert body["events"][-1]["note"] == "Không còn nhu cầu"
    r = citizen.post(f"/dossiers/{dossier.code}/actions", {"action": "withdraw", "note": "lần nữa"})
    assert r.status_code == 409 and "withdrawn" in r.json()["error"]["message"]


def test_a_decided_dossier_can_no_longer_be_withdrawn(api_as, receive, user):
    from motcua.dossiers.actions import apply_action

    dossier = receive()
    apply_action(user("lanhdao.yt"), dossier.code, "reject", {"note": "Không đủ điều kiện"})
    r = api_as("motcua.yt").post(f"/dossiers/{dossier.code}/actions", {"action": "withdraw", "note": "Rút"})
    assert r.status_code == 409
    assert r.json()["error"]["fields"] == {"status": ["rejected"]}
