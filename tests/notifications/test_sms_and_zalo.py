"""SMS (eSMS.vn brandname API) and Zalo ZNS, for citizens who opted in (issue 9 §4). The
gateways are real HTTP peers on loopback; the senders speak their published request and
answer shapes. Secrets and personal data never reach the log."""

from __future__ import annotations

import logging

import pytest

from tests.files.conftest import APPLICANT
from tests.notifications import gateway_server

ESMS_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
API_KEY, SECRET_KEY, TOKEN = "test-api-key-7f3a", "test-secret-key-91bc", "test-zalo-token-55de"


@pytest.fixture
def esms(settings):
    gateway, stop = gateway_server.start(ESMS_PATH, {"CodeResult": "100", "SMSID": "sms-0001"})
    settings.NOTIFICATION_SENDERS = {**settings.NOTIFICATION_SENDERS, "sms": "esms"}
    settings.ESMS_URL, settings.ESMS_API_KEY, settings.ESMS_SECRET_KEY = gateway.url, API_KEY, SECRET_KEY
    settings.ESMS_BRANDNAME = "UBND-YENTHE"
    yield gateway
    stop()


@pytest.fixture
def zns(settings):
    gateway, stop = gateway_server.start("/message/template", {"error": 0, "message": "Success", "data": {"msg_id": "zns-42"}})
    settings.NOTIFICATION_SENDERS = {**settings.NOTIFICATION_SENDERS, "zalo": "zns"}
    settings.ZALO_ZNS_URL, settings.ZALO_ACCESS_TOKEN = gateway.url, TOKEN
    settings.ZALO_TEMPLATES = {"received": "231001", "resolved": "231003"}
    yield gateway
    stop()


@pytest.fixture
def opted_in(demo):
    from motcua.accounts.models import User
    from motcua.notifications.services import set_channels

    def choose(**channels):
        set_channels(User.objects.get(username="congdan"), **{"email": False, "sms": False, "zalo": False, **channels})

    return choose


def our_log(caplog) -> str:
    return "\n".join(r.getMessage() for r in caplog.records)


def test_a_citizen_who_chose_sms_gets_the_dossier_code_and_tracking_link_by_brandname_sms(
    esms, opted_in, online_dossier, delivering, caplog,
):
    from motcua.notifications.models import Notification

    caplog.set_level(logging.DEBUG)
    opted_in(sms=True)
    with delivering():
        dossier = online_dossier()
    [request] = esms.requests
    body = request["body"]
    assert request["path"] == ESMS_PATH
    assert (body["ApiKey"], body["SecretKey"], body["Brandname"], body["SmsType"]) == (API_KEY, SECRET_KEY, "UBND-YENTHE", "2")
    assert body["Phone"] == "84912345678"
    content = body["Content"]
    assert dossier.code in content and f"/tra-cuu/{dossier.code}/" in content
    assert content.startswith("Ho so ") and "da duoc tiep nhan" in content  # Vietnamese, no diacritics
    assert APPLICANT["id_number"] not in content and "Nguyen Van An" not in content
    sms = Notification.objects.get(dossier=dossier)
    assert (sms.channel, sms.state, sms.reference) == ("sms", "sent", "sms-0001")
    logged = our_log(caplog)
    assert API_KEY not in logged and SECRET_KEY not in logged and "0912345678" not in logged and "84912345678" not in logged


def test_without_opting_in_a_citizen_hears_by_email_only(esms, zns, online_dossier, delivering, smtp):
    from motcua.notifications.models import Notification

    with delivering():
        dossier = online_dossier()
    assert esms.requests == [] and zns.requests == []
    assert list(Notification.objects.filter(dossier=dossier).values_list("channel", flat=True)) == ["email"]


def test_zalo_zns_sends_the_template_of_the_event_with_its_parameters(zns, opted_in, online_dossier, delivering):
    from motcua.notifications.models import Notification

    opted_in(zalo=True)
    with delivering():
        dossier = online_dossier()
    [request] = zns.requests
    assert request["headers"]["access_token"] == TOKEN
    body = request["body"]
    assert body["phone"] == "84912345678" and body["template_id"] == "231001"
    assert body["tracking_id"].startswith("motcua-")
    data = body["template_data"]
    assert data["ma_ho_so"] == dossier.code and data["tra_cuu"].endswith(f"/tra-cuu/{dossier.code}/")
    assert data["thu_tuc"] == "Đăng ký khai sinh" and data["trang_thai"] == "đã được tiếp nhận"
    zalo = Notification.objects.get(dossier=dossier, channel="zalo")
    assert zalo.state == "sent" and zalo.reference == "zns-42"


def test_a_kind_without_a_zns_template_fails_at_once_without_calling_zalo(zns, opted_in, online_dossier, delivering):
    from motcua.notifications.models import Notification

    opted_in(zalo=True)
    dossier = online_dossier()
    zns.requests.clear()
    with delivering():
        from tests.files.conftest import advance

        advance(dossier, ("motcua.yt", "request_supplement", {"note": "Bổ sung giấy chứng sinh"}))
    assert zns.requests == []
    failed = Notification.objects.get(dossier=dossier, kind="supplement_requested")
    assert failed.state == "failed" and failed.error == "zns-no-template-supplement_requested"


@pytest.mark.parametrize(
    ("answer", "status", "state", "error"),
    [
        ({"CodeResult": "103"}, 200, "queued", "esms-103"),  # no balance: retried later
        ({"CodeResult": "108"}, 200, "failed", "esms-108"),  # malformed number: permanent
        ({"error": "boom"}, 502, "queued", "HTTPStatusError"),  # the gateway is down: retried
    ],
)
def test_gateway_refusals_are_recorded_and_retried_only_when_worth_it(
    esms, opted_in, online_dossier, delivering, answer, status, state, error,
):
    from motcua.notifications.models import Notification

    esms.answer, esms.status = answer, status
    opted_in(sms=True)
    with delivering():
        dossier = online_dossier()
    sms = Notification.objects.get(dossier=dossier)
    assert (sms.state, sms.error) == (state, error)
    attempt = sms.delivery_attempts.get()
    assert (attempt.channel, attempt.sender, attempt.status, attempt.error_class) == ("sms", "esms", "failed", error)


def test_zalo_error_codes_that_retrying_cannot_cure_are_permanent(zns, opted_in, online_dossier, delivering):
    from motcua.notifications.models import Notification

    zns.answer = {"error": -108, "message": "Phone number invalid"}
    opted_in(zalo=True)
    with delivering():
        dossier = online_dossier()
    assert Notification.objects.get(dossier=dossier).state == "failed"


def test_the_demo_sms_sender_says_it_is_a_demo_and_logs_no_number(settings, opted_in, online_dossier, delivering, caplog):
    from motcua.notifications.models import Notification

    settings.NOTIFICATION_SENDERS = {**settings.NOTIFICATION_SENDERS, "sms": "demo-sms"}
    opted_in(sms=True)
    caplog.set_level(logging.DEBUG)
    with delivering():
        dossier = online_dossier()
    sms = Notification.objects.get(dossier=dossier)
    assert sms.state == "sent" and sms.sender == "demo-sms"
    logged = our_log(caplog)
    assert "DEMO sms sender" in logged
    assert "912345678" not in logged and dossier.applicant_name not in logged
    # the demo shows the message itself (issue 17 §3): what the citizen's phone would show
    assert f"Ho so {dossier.code} " in logged and "Tra cuu: http" in logged


def test_make_run_offers_sms_and_zalo_through_the_demo_senders(settings, client, demo):
    """Issue 17 §3: the demo talked about SMS and Zalo but offered neither. ``make run`` turns
    the demo senders on; the profile leads to the page, which offers all three channels."""
    import re
    from pathlib import Path

    from motcua.accounts.models import User

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    senders = dict(re.findall(r"MOTCUA_(SMS|ZALO)_SENDER=\$\$\{MOTCUA_\1_SENDER-([\w-]+)\}", run))
    assert senders == {"SMS": "demo-sms", "ZALO": "demo-zalo"}
    settings.NOTIFICATION_SENDERS = {"email": "outbox", "sms": senders["SMS"], "zalo": senders["ZALO"]}
    client.force_login(User.objects.get(username="congdan"))
    assert "/tai-khoan/thong-bao/" in client.get("/tai-khoan/").content.decode()
    html = client.get("/tai-khoan/thong-bao/").content.decode()
    assert 'value="email"' in html and 'value="sms"' in html and 'value="zalo"' in html


def test_a_demo_sender_in_production_and_missing_credentials_are_flagged(settings):
    from motcua.notifications.checks import check_senders

    settings.DEBUG = False
    settings.NOTIFICATION_SENDERS = {"email": "outbox", "sms": "demo-sms", "zalo": "zns"}
    settings.ZALO_ACCESS_TOKEN, settings.ZALO_TEMPLATES = "", {}
    ids = sorted(p.id for p in check_senders())
    assert ids == ["motcua.notifications.E002", "motcua.notifications.W001"]
    settings.NOTIFICATION_SENDERS = {"email": "outbox", "sms": "", "zalo": ""}
    assert check_senders() == []
