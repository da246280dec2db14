"""The apology and the new appointment: allowed once per dossier.

NĐ 61/2018 (``shared/domain/deadlines-and-calendar.md``: "the return date may be
re-appointed only once"; Mẫu 04) and CONTRACT §2 (``reschedule`` ``{"due_at", "note"}``;
a second → 409).
"""

from __future__ import annotations

from motcua.dossiers.models import Dossier


def test_a_leader_reschedules_once_with_a_new_due_time_and_a_reason(api_as, receive):
    dossier = receive()
    leader = api_as("lanhdao.yt")
    new_due = "2027-01-15T17:00:00+07:00"
    r = leader.post(f"/dossiers/{dossier.code}/actions",
                    {"action": "reschedule", "due_at": new_due, "note": "Cần xác minh thêm tại địa phương"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["due_at"] == new_due and body["reschedules"] == 1
    assert body["original_due_at"] == body["events"][0]["changes"]["due_at"]
    event = body["events"][-1]
    assert event["action"] == "reschedule" and event["note"] == "Cần xác minh thêm tại địa phương"
    assert event["changes"]["due_at"][1] == new_due
    assert "reschedule" not in body["allowed_actions"]

    r = leader.post(f"/dossiers/{dossier.code}/actions",
                    {"action": "reschedule", "due_at": "2027-02-15T17:00:00+07:00", "note": "Lần hai"})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "reschedule_limit"
    assert Dossier.objects.get(pk=dossier.pk).due_at.isoformat() != "2027-02-15T10:00:00+00:00"
    assert len(leader.get(f"/dossiers/{dossier.code}").json()["events"]) == 2


def test_a_reschedule_needs_a_reason_and_a_later_due_time(api_as, receive, counts):
    dossier = receive()
    leader = api_as("lanhdao.yt")
    before = counts()
    r = leader.post(f"/dossiers/{dossier.code}/actions", {"action": "reschedule", "due_at": "2027-01-15T17:00:00+07:00"})
    assert r.status_code == 422 and "note" in r.json()["error"]["fields"]
    r = leader.post(f"/dossiers/{dossier.code}/actions", {"action": "reschedule", "note": "Xin lỗi"})
    assert r.status_code == 422 and "due_at" in r.json()["error"]["fields"]
    r = leader.post(f"/dossiers/{dossier.code}/actions",
                    {"action": "reschedule", "due_at": "2020-01-01T17:00:00+07:00", "note": "Xin lỗi"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_due_at"
    r = leader.post(f"/dossiers/{dossier.code}/actions", {"action": "reschedule", "due_at": "tomorrow", "note": "Xin lỗi"})
    assert r.status_code == 422 and "due_at" in r.json()["error"]["fields"]
    assert counts() == before
    assert Dossier.objects.get(pk=dossier.pk).reschedules == 0


def test_only_a_leader_reschedules(api_as, receive):
    dossier = receive()
    for username in ("motcua.yt", "chuyenvien.yt"):
        r = api_as(username).post(f"/dossiers/{dossier.code}/actions",
                                  {"action": "reschedule", "due_at": "2027-01-15T17:00:00+07:00", "note": "Xin lỗi"})
        assert r.status_code == 403, username
