"""Submission and effective receipt shown together (issue 7, §5 "Times"): a dossier filed
at 02:06 counts from 07:30, and no timeline may read "resolved 02:08" before "received
07:30". ``dossiers.moments`` is the one home; the office page, the API and the tracking
page all show both times."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.dossiers.moments import dossier_moments
from motcua.worktime.calendar import VN_TZ

pytestmark = pytest.mark.django_db

NIGHT = dt.datetime(2026, 11, 25, 2, 6, tzinfo=VN_TZ)      # a Wednesday, before working hours
RESOLVED = dt.datetime(2026, 11, 25, 2, 8, tzinfo=VN_TZ)   # an officer working that night


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def night_dossier(submit, user):
    from motcua.dossiers.actions import apply_action

    dossier = submit(at=NIGHT)
    apply_action(user("motcua.yt"), dossier.code, "accept", {})
    Dossier.objects.filter(pk=dossier.pk).update(resolved_at=RESOLVED)
    return Dossier.objects.get(pk=dossier.pk)


def test_the_moments_give_the_arrival_with_the_receipt_it_counts_from(night_dossier):
    assert night_dossier.submitted_at == NIGHT
    assert night_dossier.received_at.astimezone(VN_TZ).time() == dt.time(7, 30)
    OPENING = night_dossier.received_at
    first, *rest = dossier_moments(night_dossier)
    assert (first.key, first.label, first.at, first.counts_from) == ("submitted", "Nộp hồ sơ", NIGHT, OPENING)
    assert "ngoài giờ" in first.note
    assert [(m.key, m.at, m.counts_from) for m in rest] == [("resolved", RESOLVED, None)]


def test_a_counter_intake_in_working_hours_is_one_moment(receive):
    at = dt.datetime(2026, 11, 25, 9, 15, tzinfo=VN_TZ)
    (only,) = dossier_moments(receive(at=at))
    assert (only.label, only.at, only.counts_from, only.note) == ("Tiếp nhận", at, None, "")


def test_the_tracking_page_shows_the_submission_and_the_receipt(client, night_dossier):
    OPENING = night_dossier.received_at.astimezone(VN_TZ)
    page = text_of(client.get(reverse("portal:track_code", args=[night_dossier.code])))
    assert "Nộp hồ sơ 02:06, 25/11/2026" in page
    assert f"Thời hạn tính từ {OPENING:%H:%M, %d/%m/%Y}" in page
    assert "Giải quyết xong 02:08, 25/11/2026" in page
    assert page.index("Nộp hồ sơ 02:06") < page.index("Thời hạn tính từ 07:30") < page.index("Giải quyết xong")


def test_the_public_api_gives_the_same_moments(client, night_dossier):
    OPENING = night_dossier.received_at.astimezone(VN_TZ)
    body = client.get(f"/api/v1/public/track/{night_dossier.code}").json()
    assert body["submitted_at"] == NIGHT.isoformat() and body["received_at"] == OPENING.isoformat()
    assert body["moments"][0] == {"key": "submitted", "label": "Nộp hồ sơ", "at": NIGHT.isoformat(),
                                  "counts_from": OPENING.isoformat(), "note": body["moments"][0]["note"]}
    assert [m["key"] for m in body["moments"]] == ["submitted", "resolved"]


def test_the_api_events_give_the_receipt_beside_the_submission(client, user, night_dossier):
    OPENING = night_dossier.received_at.astimezone(VN_TZ)
    client.force_login(user("motcua.yt"))
    body = client.get(f"/api/v1/dossiers/{night_dossier.code}").json()
    submit_event = next(e for e in body["events"] if e["action"] == "submit")
    assert submit_event["at"] == NIGHT.isoformat() and submit_event["counts_from"] == OPENING.isoformat()
    assert "counts_from" not in next(e for e in body["events"] if e["action"] == "accept")
    assert body["moments"] == client.get(f"/api/v1/public/track/{night_dossier.code}").json()["moments"]


def test_the_office_page_shows_both_times_in_facts_and_timeline(client, user, night_dossier):
    OPENING = night_dossier.received_at.astimezone(VN_TZ)
    opening = f"{OPENING:%H:%M %d/%m/%Y}"
    client.force_login(user("motcua.yt"))
    page = text_of(client.get(reverse("office:dossier", args=[night_dossier.code])))
    assert "Nộp hồ sơ 02:06 25/11/2026" in page
    assert f"Thời hạn tính từ {opening}" in page
    assert f"Thời hạn tính từ: {opening}" in page  # on the submission event of the timeline


def test_the_citizens_own_page_shows_both_times_and_the_forms_to_print(client, user, night_dossier):
    client.force_login(user("congdan"))
    OPENING = night_dossier.received_at.astimezone(VN_TZ)
    page = client.get(f"/ho-so-cua-toi/{night_dossier.code}/")
    assert page.status_code == 200
    text = text_of(page)
    assert "02:06 25/11/2026" in text and f"Thời hạn tính từ {OPENING:%H:%M %d/%m/%Y}" in text
    receipt = reverse("printing:receipt", args=[night_dossier.code])
    assert f'href="{receipt}"' in page.content.decode()
    assert client.get(receipt).status_code == 200
