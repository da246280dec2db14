"""Inter-level transfer (liên thông): commune → district → back.

``shared/domain/dossier.md``: each hand-over is recorded (Phiếu kiểm soát: one row per
hand-over, agency, time, giver and receiver); CONTRACT §2: ``transfer`` ``{"to_unit", "note"}``.
The receiving unit processes; the originating unit returns the result; officers of every
unit involved can see the dossier, and nobody else.
"""

from __future__ import annotations


def _act(client, code, body, status=200):
    r = client.post(f"/dossiers/{code}/actions", body)
    assert r.status_code == status, r.content
    return r.json()


def test_a_commune_dossier_goes_to_the_district_and_comes_back_for_the_result(api_as, receive):
    dossier = receive()
    code = dossier.code
    yt_counter, ly_counter = api_as("motcua.yt"), api_as("motcua.ly")
    ly_leader, ly_specialist = api_as("lanhdao.ly"), api_as("chuyenvien.ly")

    # The district cannot see it before it is sent there.
    assert ly_counter.get(f"/dossiers/{code}").status_code == 404

    sent = _act(yt_counter, code, {"action": "transfer", "to_unit": "YB.LY", "note": "Chuyển UBND huyện thẩm định"})
    assert sent["current_unit"] == "YB.LY" and sent["unit"] == "YB.LY.YT" and sent["status"] == "received"

    # The receiving unit processes: the commune no longer can, the district does.
    _act(api_as("lanhdao.yt"), code, {"action": "assign", "assignee": "chuyenvien.yt"}, status=403)
    _act(ly_leader, code, {"action": "assign", "assignee": "chuyenvien.ly"})
    _act(ly_specialist, code, {"action": "propose", "note": "Đủ điều kiện"})
    approved = _act(ly_leader, code, {"action": "approve"})
    assert approved["status"] == "approved" and approved["resolved_at"]

    back = _act(ly_counter, code, {"action": "transfer", "to_unit": "YB.LY.YT", "note": "Trả kết quả về xã"})
    assert back["current_unit"] == "YB.LY.YT" and back["status"] == "approved"

    # The originating unit returns the result.
    _act(ly_counter, code, {"action": "return_result"}, status=403)
    returned = _act(yt_counter, code, {"action": "return_result"})
    assert returned["status"] == "result_returned" and returned["returned_at"]

    hops = [(e["action"], e["unit"], e["changes"].get("current_unit")) for e in returned["events"] if e["action"] == "transfer"]
    assert hops == [("transfer", "YB.LY", ["YB.LY.YT", "YB.LY"]), ("transfer", "YB.LY.YT", ["YB.LY", "YB.LY.YT"])]
    assert [e["action"] for e in returned["events"]] == [
        "receive", "transfer", "assign", "propose", "approve", "transfer", "return_result"]
    assert [e["seq"] for e in returned["events"]] == list(range(1, 8))
    assert returned["events"][1]["note"] == "Chuyển UBND huyện thẩm định"

    # Everyone involved still sees it; an uninvolved commune does not.
    for username in ("motcua.yt", "motcua.ly", "chuyenvien.ly", "lanhdao.ly", "thanhtra.yb"):
        assert api_as(username).get(f"/dossiers/{code}").status_code == 200, username
    assert api_as("motcua.mx").get(f"/dossiers/{code}").status_code == 404
    assert code in [d["code"] for d in ly_counter.get("/dossiers").json()["items"]]


def test_a_transfer_clears_the_assignee_so_the_receiving_unit_assigns_its_own(api_as, receive):
    dossier = receive()
    _act(api_as("lanhdao.yt"), dossier.code, {"action": "assign", "assignee": "chuyenvien.yt"})
    sent = _act(api_as("chuyenvien.yt"), dossier.code, {"action": "transfer", "to_unit": "YB.LY"})
    assert sent["assignee"] is None and sent["status"] == "processing"
    assert sent["events"][-1]["changes"]["assignee"] == ["chuyenvien.yt", None]
    _act(api_as("chuyenvien.yt"), dossier.code, {"action": "propose"}, status=403)
    _act(api_as("lanhdao.ly"), dossier.code, {"action": "assign", "assignee": "chuyenvien.yt"}, status=422)


def test_a_commune_directly_under_a_province_transfers_like_any_other(demo, api_as):
    """CONTRACT §6: since 1/7/2025 a commune sits directly under its province (LC.TP)."""
    from tests.dossiers.data import APPLICANT, THREE_DAY_COMMUNE

    code = api_as("motcua.tp").post("/dossiers", {"procedure": THREE_DAY_COMMUNE, "unit": "LC.TP", "channel": "direct",
                                                  "applicant": APPLICANT}).json()["code"]
    sent = _act(api_as("motcua.tp"), code, {"action": "transfer", "to_unit": "LC"})
    assert sent["current_unit"] == "LC"
    assert api_as("motcua.nm").get(f"/dossiers/{code}").status_code == 404


# ------------------------------------------------------------------ issue 17 §6: only within the province by default

def test_a_transfer_to_another_province_is_refused_and_that_province_never_sees_the_dossier(api_as, receive):
    dossier = receive()
    r = api_as("motcua.yt").post(f"/dossiers/{dossier.code}/actions", {"action": "transfer", "to_unit": "LC.TP"})
    assert r.status_code == 422, r.content
    body = r.json()["error"]
    assert body["code"] == "transfer_not_allowed" and "to_unit" in body["fields"]
    assert "tỉnh" in body["message"]
    dossier.refresh_from_db()
    assert dossier.current_unit.code == "YB.LY.YT" and not dossier.participants.filter(unit__code__startswith="LC").exists()
    assert api_as("motcua.tp").get(f"/dossiers/{dossier.code}").status_code == 404
    # Within the province: as before, to a district or to another commune.
    assert _act(api_as("motcua.yt"), dossier.code, {"action": "transfer", "to_unit": "YB.LY.MX"})["current_unit"] == "YB.LY.MX"


def test_a_procedure_configured_for_it_may_cross_provinces(api_as, receive):
    from motcua.catalog.models import Procedure
    from tests.dossiers.data import THREE_DAY_COMMUNE

    Procedure.objects.filter(code=THREE_DAY_COMMUNE).update(transfer_across_provinces=True)
    dossier = receive()
    sent = _act(api_as("motcua.yt"), dossier.code, {"action": "transfer", "to_unit": "LC.TP"})
    assert sent["current_unit"] == "LC.TP"
    assert api_as("motcua.tp").get(f"/dossiers/{dossier.code}").status_code == 200


def test_the_office_page_offers_only_the_units_a_transfer_may_go_to(client, receive):
    from motcua.accounts.models import User
    from motcua.office.presenters import transfer_choices

    dossier = receive()
    codes = [code for code, _ in transfer_choices(dossier)]
    assert "YB.LY" in codes and "YB.LY.MX" in codes and "YB" in codes
    assert not [c for c in codes if c.startswith("LC")] and "YB.LY.YT" not in codes
    client.force_login(User.objects.get(username="motcua.yt"))
    html = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert 'value="YB.LY.MX"' in html and 'value="LC.TP"' not in html


# ------------------------------------------------------------------ issue 17 §6: the procedure's inter-level rules

def test_an_inter_level_procedure_goes_only_to_the_levels_it_names(api_as, receive):
    """A procedure processed across commune and district (``interlinked_levels``) cannot be
    sent to a provincial department; one that names no levels goes anywhere in the province."""
    from motcua.catalog.models import Procedure
    from motcua.dossiers.handlers import transfer_destinations
    from tests.dossiers.data import THREE_DAY_COMMUNE

    Procedure.objects.filter(code=THREE_DAY_COMMUNE).update(interlinked=True, interlinked_levels=["commune", "district"])
    dossier = receive()
    assert {u.level for u in transfer_destinations(dossier)} == {"commune", "district"}
    r = api_as("motcua.yt").post(f"/dossiers/{dossier.code}/actions", {"action": "transfer", "to_unit": "YB"})
    assert r.status_code == 422, r.content
    error = r.json()["error"]
    assert error["code"] == "transfer_not_allowed" and "cấp xã, cấp huyện" in error["message"]
    dossier.refresh_from_db()
    assert dossier.current_unit.code == "YB.LY.YT"
    assert _act(api_as("motcua.yt"), dossier.code, {"action": "transfer", "to_unit": "YB.LY"})["current_unit"] == "YB.LY"

    Procedure.objects.filter(code=THREE_DAY_COMMUNE).update(interlinked_levels=[])
    assert "province" in {u.level for u in transfer_destinations(dossier)}
