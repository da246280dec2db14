"""Waiting for the citizen stops the clock; the supplement resumes it.

CONTRACT §3: "Waiting for the citizen (``awaiting_supplement``) stops the clock; resuming
moves ``due_at`` by the working time that was left." The 766 scoring view (Mẫu 02: one
written guidance only; ``shared/domain/deadlines-and-calendar.md``, "more than one request
→ overdue") is kept as the ``supplement_flagged`` indicator.
"""

from __future__ import annotations

import pytest

from motcua.api.dossiers import dossier_detail
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.actions import apply_action
from motcua.dossiers.timeliness import Timeliness, timeliness_of
from motcua.errors import InvalidInput
from tests.dossiers.data import vn

NOTE = "Bổ sung bản sao giấy khai sinh"


def test_request_supplement_stops_the_clock_and_supplement_gives_back_the_time_left(receive, user):
    """Received Mon 4/5/2026 08:00, 3 working days → due Thu 7/5 17:00. Paused Tue 5/5 09:30
    with 22 working hours left (6 + 8 + 8); resumed Mon 11/5 07:30 → 22 h later is Wed 13/5 15:00."""
    dossier = receive(at=vn(2026, 5, 4, 8, 0))
    assert dossier.due_at == vn(2026, 5, 7, 17, 0)
    counter = user("motcua.yt")

    paused = apply_action(counter, dossier.code, "request_supplement", {"note": NOTE}, at=vn(2026, 5, 5, 9, 30))
    assert paused.status == Status.AWAITING_SUPPLEMENT
    assert paused.paused_at == vn(2026, 5, 5, 9, 30)
    assert paused.due_at == vn(2026, 5, 7, 17, 0)
    assert timeliness_of(paused, vn(2026, 5, 9, 9, 0)) == Timeliness.WITHIN_DEADLINE, "waiting for the citizen is never overdue"

    resumed = apply_action(counter, dossier.code, "supplement", {"note": "Đã nộp bổ sung"}, at=vn(2026, 5, 11, 7, 30))
    assert resumed.status == Status.RECEIVED
    assert resumed.paused_at is None
    assert resumed.due_at == vn(2026, 5, 13, 15, 0)
    event = resumed.events.order_by("-seq").first()
    assert event.action == "supplement"
    assert event.changes["due_at"] == ["2026-05-07T17:00:00+07:00", "2026-05-13T15:00:00+07:00"]
    assert event.changes["status"] == ["awaiting_supplement", "received"]


def test_no_working_time_passes_while_paused_over_a_weekend_so_the_due_time_stays(receive, user):
    """Paused Fri 8/5 17:00 (after the last working minute), resumed Mon 11/5 07:00: no working time passed."""
    dossier = receive(at=vn(2026, 5, 6, 8, 0))
    counter = user("motcua.yt")
    apply_action(counter, dossier.code, "request_supplement", {"note": NOTE}, at=vn(2026, 5, 8, 17, 0))
    resumed = apply_action(counter, dossier.code, "supplement", {"note": "Đã nộp bổ sung"}, at=vn(2026, 5, 11, 7, 0))
    assert resumed.due_at == dossier.due_at


def test_the_supplement_resumes_the_status_held_before_the_pause(receive, user):
    dossier = receive(at=vn(2026, 5, 4, 8, 0))
    apply_action(user("lanhdao.yt"), dossier.code, "assign", {"assignee": "chuyenvien.yt"}, at=vn(2026, 5, 4, 9, 0))
    apply_action(user("chuyenvien.yt"), dossier.code, "request_supplement", {"note": NOTE}, at=vn(2026, 5, 4, 10, 0))
    resumed = apply_action(user("motcua.yt"), dossier.code, "supplement", {"note": "Đã nộp bổ sung"}, at=vn(2026, 5, 5, 10, 0))
    assert resumed.status == Status.PROCESSING
    assert resumed.assignee == user("chuyenvien.yt")


def test_the_owner_supplements_an_online_dossier(submit, user):
    """One working hour paused (9:00–10:00) is given back after Thu 7/5 17:00: Fri 8/5 08:30."""
    dossier = submit(at=vn(2026, 5, 4, 8, 0))
    apply_action(user("motcua.yt"), dossier.code, "accept", at=vn(2026, 5, 4, 8, 30))
    apply_action(user("motcua.yt"), dossier.code, "request_supplement", {"note": NOTE}, at=vn(2026, 5, 4, 9, 0))
    resumed = apply_action(user("congdan"), dossier.code, "supplement", {"note": "Đã nộp bổ sung"}, at=vn(2026, 5, 4, 10, 0))
    assert resumed.status == Status.RECEIVED
    assert resumed.due_at == vn(2026, 5, 8, 8, 30)


def test_a_request_for_supplementation_needs_a_note(receive, user, counts):
    dossier = receive()
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        apply_action(user("motcua.yt"), dossier.code, "request_supplement", {"note": ""})
    assert "note" in caught.value.fields
    assert counts() == before


def test_more_than_one_request_is_flagged_as_the_766_view_counts_it(receive, user):
    """766: "more than one request → overdue": counted and flagged, the deadline itself
    still follows CONTRACT §3."""
    dossier = receive(at=vn(2026, 5, 4, 8, 0))
    counter = user("motcua.yt")
    apply_action(counter, dossier.code, "request_supplement", {"note": NOTE}, at=vn(2026, 5, 4, 9, 0))
    apply_action(counter, dossier.code, "supplement", {"note": "Đã nộp bổ sung"}, at=vn(2026, 5, 4, 10, 0))
    once = Dossier.objects.get(pk=dossier.pk)
    assert once.supplement_requests == 1 and not once.supplement_flagged

    apply_action(counter, dossier.code, "request_supplement", {"note": "Thiếu chữ ký"}, at=vn(2026, 5, 4, 13, 0))
    twice = Dossier.objects.get(pk=dossier.pk)
    assert twice.supplement_requests == 2 and twice.supplement_flagged
    detail = dossier_detail(twice, counter)
    assert detail["supplement_requests"] == 2 and detail["supplement_flagged"] is True
    assert "supplement" in detail["allowed_actions"]


def test_the_overdue_list_leaves_out_dossiers_waiting_for_the_citizen(api_as, receive, user):
    """CONTRACT §5: "a dossier waiting for supplementation is within its deadline"."""
    late = receive(at=vn(2026, 5, 4, 8, 0))  # due 7/5/2026: long past
    waiting = receive(at=vn(2026, 5, 4, 8, 0))
    apply_action(user("motcua.yt"), waiting.code, "request_supplement", {"note": NOTE}, at=vn(2026, 5, 5, 8, 0))
    codes = [d["code"] for d in api_as("motcua.yt").get("/dossiers", {"overdue": "true"}).json()["items"]]
    assert late.code in codes and waiting.code not in codes
