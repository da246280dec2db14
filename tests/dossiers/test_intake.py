"""Taking a dossier in: at the counter, online, and everything that must be refused.

CONTRACT §2 (``POST /dossiers``; online dossiers start ``submitted`` until a counter
officer accepts or refuses them with a note) and TT 01/2018/TT-VPCP Art. 19 (the code
``{unit identifier}-{YYMMDD}-{XXXX}``; ``shared/domain/dossier.md``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.codes import allocate_code
from motcua.dossiers.intake import receive_dossier
from motcua.worktime.calendar import VN_TZ

from tests.dossiers.data import ANSWERS, APPLICANT, COMMUNE_ONLY, THREE_DAY_COMMUNE, vn

BODY = {"procedure": THREE_DAY_COMMUNE, "unit": "YB.LY.YT", "channel": "direct", "applicant": APPLICANT}


def test_a_counter_intake_is_received_with_a_regulation_code_and_a_due_time(api_as):
    """TT 01/2018 Art. 19: code = unit identifier, receipt date YYMMDD, 4-digit daily sequence."""
    r = api_as("motcua.yt").post("/dossiers", BODY)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "received"
    received = dt.datetime.fromisoformat(body["received_at"])
    assert re.fullmatch(rf"YB\.LY\.YT-{received.astimezone(VN_TZ):%y%m%d}-0001", body["code"])
    assert dt.datetime.fromisoformat(body["due_at"]) > received
    assert body["tracking_url"].endswith(body["code"]) or body["code"] in body["tracking_url"]
    assert [e["action"] for e in body["events"]] == ["receive"]
    second = api_as("motcua.yt").post("/dossiers", BODY).json()
    if second["received_at"][:10] == body["received_at"][:10]:
        assert second["code"].endswith("-0002")


def test_the_code_uses_the_national_identifier_when_the_unit_has_one(demo):
    """dossier.md: the prefix is the unit's identifier (e.g. 000.00.06.H56); a unit without
    one uses its own code (CONTRACT §2)."""
    from motcua.catalog.models import Unit

    unit = Unit.objects.get(code="YB.LY.MX")
    unit.national_id = "000.00.06.H56"
    unit.save()
    assert allocate_code(unit, dt.date(2023, 10, 27)) == "000.00.06.H56-231027-0001"
    assert allocate_code(Unit.objects.get(code="YB.LY.YT"), dt.date(2023, 10, 27)) == "YB.LY.YT-231027-0001"


def test_the_code_date_is_the_effective_receipt_day(receive):
    """CONTRACT §3: received after closing → counts as received the next working day, and
    the code carries that day. Friday 2026-05-08 18:00 → Monday 2026-05-11 07:30."""
    dossier = receive(at=vn(2026, 5, 8, 18, 0))
    assert dossier.received_at == vn(2026, 5, 11, 7, 30)
    assert dossier.code == "YB.LY.YT-260511-0001"
    assert dossier.due_at == vn(2026, 5, 14, 17, 0)


def test_online_submission_waits_for_the_counter_then_is_received(api_as):
    """CONTRACT §2: online → ``submitted``; a counter officer ``accept``s → ``received``,
    keeping the submission's effective receipt time. (``source: vneid``: the citizen signed in
    through the national sign-on, which linked the account: tests/national/test_vneid_source.py.)"""
    from allauth.socialaccount.models import SocialAccount

    from motcua.accounts.models import User

    SocialAccount.objects.create(user=User.objects.get(username="congdan"), provider="vneid", uid="sub-congdan")
    citizen = api_as("congdan")
    r = citizen.post("/dossiers", {**BODY, "data": ANSWERS, "channel": "online", "source": "vneid"})
    assert r.status_code == 201, r.content
    submitted = r.json()
    assert submitted["status"] == "submitted" and submitted["source"] == "vneid" and submitted["owner"] == "congdan"

    r = api_as("motcua.yt").post(f"/dossiers/{submitted['code']}/actions", {"action": "accept"})
    assert r.status_code == 200, r.content
    accepted = r.json()
    assert accepted["status"] == "received"
    assert accepted["received_at"] == submitted["received_at"]
    assert [(e["action"], e["from_status"], e["to_status"]) for e in accepted["events"]] == [
        ("submit", None, "submitted"), ("accept", "submitted", "received")]
    assert citizen.get(f"/dossiers/{submitted['code']}").json()["status"] == "received"


def test_refusing_an_online_dossier_needs_a_note_and_ends_it_as_refused(api_as):
    """CONTRACT §2: ``refuse`` with a note → ``refused``; dossier.md: refusal states a specific reason."""
    code = api_as("congdan").post("/dossiers", {**BODY, "data": ANSWERS, "channel": "online"}).json()["code"]
    counter = api_as("motcua.yt")
    r = counter.post(f"/dossiers/{code}/actions", {"action": "refuse"})
    assert r.status_code == 422 and r.json()["error"]["fields"] == {"note": ["Vui lòng ghi rõ lý do."]}
    r = counter.post(f"/dossiers/{code}/actions", {"action": "refuse", "note": "   "})
    assert r.status_code == 422
    r = counter.post(f"/dossiers/{code}/actions", {"action": "refuse", "note": "Thủ tục không thuộc thẩm quyền của xã"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "refused" and r.json()["refused_at"]
    assert r.json()["events"][-1]["note"] == "Thủ tục không thuộc thẩm quyền của xã"
    r = counter.post(f"/dossiers/{code}/actions", {"action": "accept"})
    assert r.status_code == 409 and "refused" in r.json()["error"]["message"]


def _error(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    return body["error"]


BAD_BODIES = [
    pytest.param({"procedure": "9.999999"}, 422, "procedure", id="unknown-procedure"),
    pytest.param({"unit": "XX.YY"}, 422, "unit", id="unknown-unit"),
    pytest.param({"applicant": {**APPLICANT, "id_number": "00109001234"}}, 422, "applicant.id_number", id="id-11-digits"),
    pytest.param({"applicant": {**APPLICANT, "id_number": "00109001234X"}}, 422, "applicant.id_number", id="id-letter"),
    pytest.param({"applicant": {**APPLICANT, "id_number": "0010900123456"}}, 422, "applicant.id_number", id="id-13-digits"),
    pytest.param({"applicant": {**APPLICANT, "phone": "12345"}}, 422, "applicant.phone", id="bad-phone"),
    pytest.param({"applicant": {**APPLICANT, "phone": "0112345678"}}, 422, "applicant.phone", id="phone-bad-prefix"),
    pytest.param({"applicant": {**APPLICANT, "full_name": "A" * 201}}, 422, "applicant.full_name", id="long-name"),
    pytest.param({"applicant": {**APPLICANT, "full_name": "   "}}, 422, "applicant.full_name", id="blank-name"),
    pytest.param({"applicant": {**APPLICANT, "address": "B" * 301}}, 422, "applicant.address", id="long-address"),
    pytest.param({"applicant": {**APPLICANT, "email": "not-an-email"}}, 422, "applicant.email", id="bad-email"),
    pytest.param({"data": {"x": "C" * 30_000}}, 422, "data", id="long-data"),
    pytest.param({"channel": "fax"}, 422, "channel", id="unknown-channel"),
    pytest.param({"procedure": "P" * 61}, 422, "procedure", id="long-procedure-code"),
    pytest.param({"channel": "online"}, 403, None, id="counter-files-online"),
]


@pytest.mark.parametrize("change,status,field", BAD_BODIES)
def test_bad_intake_is_a_clear_4xx_and_writes_nothing(api_as, counts, change, status, field):
    before = counts()
    error = _error(api_as("motcua.yt").post("/dossiers", {**BODY, **change}), status)
    if field:
        assert field in error["fields"], error
    assert counts() == before


def test_a_procedure_the_unit_does_not_perform_is_named(api_as, counts):
    before = counts()
    error = _error(api_as("motcua.ly").post("/dossiers", {**BODY, "procedure": COMMUNE_ONLY, "unit": "YB.LY"}), 422)
    assert error["code"] == "procedure_not_performed"
    assert "Huyện Lục Yên" in error["message"]
    assert counts() == before


@pytest.mark.parametrize("username,channel,status", [
    ("congdan", "direct", 403),        # a citizen cannot take in at the counter
    ("motcua.mx", "direct", 403),      # a counter officer of another unit
    ("chuyenvien.yt", "direct", 403),  # a specialist does not take in
    ("thanhtra.yb", "online", 403),    # an inspector only reads
])
def test_the_wrong_role_or_unit_cannot_take_a_dossier_in(api_as, counts, username, channel, status):
    before = counts()
    _error(api_as(username).post("/dossiers", {**BODY, "channel": channel}), status)
    assert counts() == before


def test_anonymous_intake_is_401(api, demo, counts):
    before = counts()
    _error(api.post("/dossiers", BODY), 401)
    assert counts() == before


def test_malformed_json_is_400_and_writes_nothing(api_as, counts, client):
    from motcua.accounts.models import ApiToken, User

    _, raw = ApiToken.issue(User.objects.get(username="motcua.yt"))
    before = counts()
    r = client.post("/api/v1/dossiers", "{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code in (400, 422)
    assert set(r.json()["error"]) == {"code", "message", "fields"}
    assert counts() == before


@pytest.mark.parametrize("body,status,code", [
    ({"action": "teleport"}, 422, "unknown_action"),
    ({"action": "approve"}, 403, "role_not_allowed"),        # a counter officer never approves
    ({"action": "accept"}, 409, "action_not_allowed"),       # already received
    ({"action": "withdraw"}, 422, "missing_fields"),         # needs a note
    ({"action": "assign"}, 422, "missing_fields"),           # needs an assignee
    ({"action": "assign", "assignee": "nobody"}, 422, "assignee_not_found"),
    ({"action": "assign", "assignee": "chuyenvien.mx"}, 422, "assignee_not_allowed"),
    ({"action": "transfer", "to_unit": "XX"}, 422, "unit_not_found"),
    ({"action": "transfer", "to_unit": "YB.LY.YT"}, 422, "same_unit"),
    ({"action": "withdraw", "note": "x" * 2001}, 422, "invalid_input"),
])
def test_bad_actions_are_a_clear_4xx_and_write_nothing(api_as, receive, counts, body, status, code):
    dossier = receive()
    before = counts()
    error = _error(api_as("motcua.yt").post(f"/dossiers/{dossier.code}/actions", body), status)
    assert error["code"] == code
    assert counts() == before
    assert Dossier.objects.get(pk=dossier.pk).last_event_seq == dossier.last_event_seq


def test_intake_never_logs_the_id_number_or_the_phone(api_as, caplog):
    """DESIGN: personal data (ID numbers, phones) is never logged."""
    caplog.set_level(logging.DEBUG)
    counter, citizen = api_as("motcua.yt"), api_as("congdan")
    assert counter.post("/dossiers", BODY).status_code == 201
    code = citizen.post("/dossiers", {**BODY, "data": ANSWERS, "channel": "online"}).json()["code"]
    counter.post(f"/dossiers/{code}/actions", {"action": "accept"})
    counter.post("/dossiers", {**BODY, "applicant": {**APPLICANT, "phone": "12345"}})  # 422
    counter.post("/dossiers", {**BODY, "applicant": {**APPLICANT, "id_number": "12"}})  # 422
    counter.post("/dossiers", {**BODY, "unit": "YB.LY.MX"})  # 403
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert caplog.records, "the run should log something (4xx warnings) for this test to mean anything"
    for secret in (APPLICANT["id_number"], APPLICANT["phone"], "12345"):
        assert secret not in logged


def test_the_receipt_event_records_who_when_and_the_deadline(receive, user):
    dossier = receive(at=vn(2026, 4, 29, 10, 0))
    (event,) = DossierEvent.objects.filter(dossier=dossier)
    assert event.action == "receive" and event.from_status == "" and event.to_status == "received"
    assert event.actor == user("motcua.yt") and event.at == vn(2026, 4, 29, 10, 0)
    assert event.changes == {"received_at": "2026-04-29T10:00:00+07:00", "due_at": "2026-05-06T17:00:00+07:00"}
    assert dossier.due_at == vn(2026, 5, 6, 17, 0)


def test_receive_dossier_validates_before_looking_anything_up(demo, counts):
    before = counts()
    from motcua.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        receive_dossier(actor=None, procedure_code="nope", unit_code="nope", channel="direct",
                        applicant={"full_name": "", "id_number": "1", "phone": "x"})
    assert set(caught.value.fields) == {"applicant.full_name", "applicant.id_number", "applicant.phone"}
    assert counts() == before
