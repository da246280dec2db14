"""The counter kiosk (CONTRACT §7 ``/quay/danh-gia/``): a tablet bound to its unit by an
administrator, no login; the dossier just returned is rated in one tap, once, never before
the result is handed back, only at its own unit."""

from __future__ import annotations

import pytest

from tests.files.conftest import TO_RESULT_RETURNED, advance


@pytest.fixture
def kiosk(demo):
    from motcua.catalog.models import Unit
    from motcua.feedback.models import Kiosk

    return Kiosk.objects.create(unit=Unit.objects.get(code="YB.LY.YT"), name="Quầy 1")


@pytest.fixture
def tablet(client, kiosk):
    r = client.get("/quay/danh-gia/kich-hoat/", {"ma": kiosk.token})
    assert r.status_code == 302
    return client


def _ratings():
    from motcua.dossiers.models import Rating

    return list(Rating.objects.values_list("dossier__code", "score"))


def test_without_activation_the_kiosk_refuses(client, kiosk):
    assert client.get("/quay/danh-gia/").status_code == 403
    assert client.get("/quay/danh-gia/kich-hoat/", {"ma": "doan-bua"}).status_code == 403
    assert client.post("/quay/danh-gia/", {"code": "x", "score": "3"}).status_code == 403


def test_one_tap_rates_the_dossier_just_returned_once(tablet, online_dossier):
    dossier = advance(online_dossier(), *TO_RESULT_RETURNED)
    home = tablet.get("/quay/danh-gia/").content.decode()
    assert dossier.code in home and dossier.applicant_name not in home  # offered by itself, no name
    shown = tablet.get("/quay/danh-gia/", {"ma": f"https://motcua.example/tra-cuu/{dossier.code}/"})
    assert shown.status_code == 200 and 'value="3"' in shown.content.decode()
    r = tablet.post("/quay/danh-gia/", {"code": dossier.code, "score": "3"})
    assert r.status_code == 200 and "Cảm ơn" in r.content.decode()
    assert _ratings() == [(dossier.code, 3)]
    from motcua.dossiers.models import DossierEvent

    event = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert event.action == "rate" and event.actor_id is None and "Quầy 1" in event.actor_name
    assert event.changes == {"rating": {"score": 3, "channel": "kiosk"}}
    again = tablet.post("/quay/danh-gia/", {"code": dossier.code, "score": "1"})
    assert again.status_code == 409 and "đã được đánh giá" in again.content.decode()
    assert _ratings() == [(dossier.code, 3)]
    assert dossier.code not in tablet.get("/quay/danh-gia/").content.decode()


def test_not_before_the_result_is_returned(tablet, online_dossier):
    dossier = advance(online_dossier(), *TO_RESULT_RETURNED[:3])  # approved, not yet handed back
    r = tablet.post("/quay/danh-gia/", {"code": dossier.code, "score": "3"})
    assert r.status_code == 409 and "chưa trả kết quả" in r.content.decode()
    assert tablet.get("/quay/danh-gia/", {"ma": dossier.code}).status_code == 409
    assert _ratings() == []


def test_an_online_rating_first_leaves_nothing_for_the_kiosk(tablet, online_dossier, api_as):
    dossier = advance(online_dossier(), *TO_RESULT_RETURNED)
    assert api_as("congdan").post(f"/dossiers/{dossier.code}/rating", {"score": 2}).status_code == 201
    assert tablet.post("/quay/danh-gia/", {"code": dossier.code, "score": "3"}).status_code == 409
    assert _ratings() == [(dossier.code, 2)]


def test_another_units_dossier_is_not_found(tablet, online_dossier):
    dossier = advance(online_dossier(unit="YB.LY.MX"), *[
        ("motcua.mx", "assign", {"assignee": "chuyenvien.mx"}), ("chuyenvien.mx", "propose", {}),
        ("lanhdao.mx", "approve", {}), ("motcua.mx", "return_result", {})])
    r = tablet.post("/quay/danh-gia/", {"code": dossier.code, "score": "3"})
    assert r.status_code == 404 and _ratings() == []


def test_a_day_later_the_kiosk_sends_the_citizen_online(tablet, online_dossier):
    import datetime as dt

    from motcua.dossiers.models import Dossier

    dossier = advance(online_dossier(), *TO_RESULT_RETURNED)
    Dossier.objects.filter(pk=dossier.pk).update(returned_at=dossier.returned_at - dt.timedelta(days=2))
    r = tablet.post("/quay/danh-gia/", {"code": dossier.code, "score": "3"})
    assert r.status_code == 409 and _ratings() == []


@pytest.mark.parametrize("score", ["", "0", "4", "abc", "3; drop"])
def test_bad_taps_write_nothing(tablet, online_dossier, score):
    dossier = advance(online_dossier(), *TO_RESULT_RETURNED)
    assert tablet.post("/quay/danh-gia/", {"code": dossier.code, "score": score}).status_code == 422
    assert _ratings() == []


def test_switched_off_kiosk_stops_at_once(tablet, kiosk, online_dossier):
    dossier = advance(online_dossier(), *TO_RESULT_RETURNED)
    kiosk.active = False
    kiosk.save()
    assert tablet.post("/quay/danh-gia/", {"code": dossier.code, "score": "3"}).status_code == 403
    assert _ratings() == []
