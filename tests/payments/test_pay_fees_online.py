"""Paying a dossier's fee online through the sandbox gateway (CONTRACT §2
``POST /dossiers/{code}/payments`` → 201 ``{order_id, amount, status, pay_url}``).

Decision 766/QĐ-TTg indicators 3.5–3.6 count fees paid online (shared/domain/reports.md).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from django.test import Client, override_settings

from tests.files.conftest import TO_RESULT_RETURNED, advance

FEE_PROCEDURE = "2.000815"  # Chứng thực bản sao từ bản chính: 2.000 đồng
FREE_PROCEDURE = "1.001193"  # Đăng ký khai sinh: no fee


def path_of(url: str) -> str:
    return urlsplit(url).path


def sign_and_post(client: Client, body: dict, gateway: str = "demo", signature: str | None = None):
    from motcua.payments.registry import register

    raw = json.dumps(body).encode()
    signature = register.get(gateway).sign(raw) if signature is None else signature
    return client.post(f"/thanh-toan/callback/{gateway}/", raw, content_type="application/json",
                       HTTP_X_MOTCUA_SIGNATURE=signature)


def test_owner_pays_the_procedure_fee_through_the_demo_gateway(api_as, online_dossier):
    dossier = online_dossier(FEE_PROCEDURE)
    owner = api_as("congdan")
    r = owner.post(f"/dossiers/{dossier.code}/payments")
    order = r.json()
    assert r.status_code == 201, order
    assert order["amount"] == 2000 and order["status"] == "pending"
    assert order["pay_url"].endswith(f"/thanh-toan/demo/{order['order_id']}/")

    browser = Client()
    page = browser.get(path_of(order["pay_url"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thanh toán" in html and "Hủy" in html and "2.000 đồng" in html
    assert "015090001234" not in html  # no ID number on the gateway page

    done = browser.post(path_of(order["pay_url"]), {"outcome": "pay"})
    assert done.status_code == 302
    result = browser.get(done["Location"])
    assert 'data-status="paid"' in result.content.decode()

    listing = owner.get(f"/dossiers/{dossier.code}/payments").json()
    assert listing["paid"] is True
    assert listing["items"][0]["status"] == "paid" and listing["items"][0]["paid_at"]
    events = api_as("motcua.yt").get(f"/dossiers/{dossier.code}").json()["events"]
    assert events[-1]["action"] == "pay_fee"
    assert events[-1]["changes"]["payment"]["amount"] == 2000


def test_cancel_on_the_demo_gateway_leaves_the_fee_unpaid_and_a_new_order_can_be_made(api_as, online_dossier):
    dossier = online_dossier(FEE_PROCEDURE)
    owner = api_as("congdan")
    first = owner.post(f"/dossiers/{dossier.code}/payments").json()
    Client().post(path_of(first["pay_url"]), {"outcome": "cancel"})
    listing = owner.get(f"/dossiers/{dossier.code}/payments").json()
    assert listing["paid"] is False and listing["items"][0]["status"] == "cancelled"
    second = owner.post(f"/dossiers/{dossier.code}/payments")
    assert second.status_code == 201
    assert second.json()["order_id"] != first["order_id"]


def test_already_paid_dossier_is_409(api_as, online_dossier):
    dossier = online_dossier(FEE_PROCEDURE)
    owner = api_as("congdan")
    order = owner.post(f"/dossiers/{dossier.code}/payments").json()
    Client().post(path_of(order["pay_url"]), {"outcome": "pay"})
    r = owner.post(f"/dossiers/{dossier.code}/payments")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "already_paid"


def test_procedure_without_fee_is_409_no_fee(api_as, online_dossier):
    dossier = online_dossier(FREE_PROCEDURE)
    r = api_as("congdan").post(f"/dossiers/{dossier.code}/payments")
    assert r.status_code == 409
    body = r.json()["error"]
    assert body["code"] == "no_fee" and "không thu phí" in body["message"]


def test_asking_again_while_pending_returns_the_same_order(api_as, online_dossier):
    dossier = online_dossier(FEE_PROCEDURE)
    owner = api_as("congdan")
    a = owner.post(f"/dossiers/{dossier.code}/payments").json()
    b = owner.post(f"/dossiers/{dossier.code}/payments").json()
    assert a["order_id"] == b["order_id"]


def test_counter_officer_sets_a_per_page_amount(api_as, online_dossier):
    """Chứng thực fees are counted per page (TT 226/2016/TT-BTC, shared/domain/procedures.md):
    the counter officer sets the amount."""
    dossier = online_dossier(FEE_PROCEDURE)
    owner = api_as("congdan")
    pending = owner.post(f"/dossiers/{dossier.code}/payments").json()
    r = api_as("motcua.yt").post(f"/dossiers/{dossier.code}/payments", {"amount": 6000})
    assert r.status_code == 201, r.content
    assert r.json()["amount"] == 6000
    statuses = {o["order_id"]: o["status"] for o in owner.get(f"/dossiers/{dossier.code}/payments").json()["items"]}
    assert statuses[pending["order_id"]] == "cancelled"
    assert statuses[r.json()["order_id"]] == "pending"


def test_negative_amount_is_422(api_as, online_dossier):
    dossier = online_dossier(FEE_PROCEDURE)
    r = api_as("motcua.yt").post(f"/dossiers/{dossier.code}/payments", {"amount": -1})
    assert r.status_code == 422
    assert "amount" in r.json()["error"]["fields"]


def test_owner_may_not_choose_the_amount(api_as, online_dossier):
    dossier = online_dossier(FEE_PROCEDURE)
    r = api_as("congdan").post(f"/dossiers/{dossier.code}/payments", {"amount": 1})
    assert r.status_code == 403


def test_specialist_may_not_create_an_order(api_as, online_dossier):
    dossier = online_dossier(FEE_PROCEDURE)
    assert api_as("chuyenvien.yt").post(f"/dossiers/{dossier.code}/payments").status_code == 403


def test_counter_of_another_unit_gets_404(api_as, online_dossier):
    dossier = online_dossier(FEE_PROCEDURE)
    assert api_as("motcua.mx").post(f"/dossiers/{dossier.code}/payments").status_code == 404


def test_withdrawn_dossier_takes_no_payment(api_as, online_dossier):
    dossier = advance(online_dossier(FEE_PROCEDURE), ("congdan", "withdraw", {"note": "Không cần nữa"}))
    r = api_as("congdan").post(f"/dossiers/{dossier.code}/payments")
    assert r.status_code == 409 and r.json()["error"]["code"] == "dossier_closed"


# ------------------------------------------------------------------ the callback

@pytest.fixture
def pending_order(api_as, online_dossier):
    dossier = online_dossier(FEE_PROCEDURE)
    return api_as("congdan").post(f"/dossiers/{dossier.code}/payments").json()


def test_callback_with_a_wrong_signature_is_rejected_and_changes_nothing(client, pending_order):
    from motcua.payments.models import PaymentOrder

    body = {"order_id": pending_order["order_id"], "status": "paid", "amount": 2000}
    r = sign_and_post(client, body, signature="sha256=" + "0" * 64)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "invalid_signature"
    assert sign_and_post(client, body, signature="").status_code == 403
    assert PaymentOrder.objects.get(order_id=pending_order["order_id"]).status == "pending"


def test_callback_signed_for_another_body_is_rejected(client, pending_order):
    from motcua.payments.registry import register

    honest = json.dumps({"order_id": pending_order["order_id"], "status": "failed", "amount": 2000}).encode()
    signature = register.get("demo").sign(honest)
    forged = {"order_id": pending_order["order_id"], "status": "paid", "amount": 2000}
    assert sign_and_post(client, forged, signature=signature).status_code == 403


@override_settings(PAYMENT_CALLBACK_SECRETS={"demo": "a-configured-secret"})
def test_callback_secret_comes_from_settings(client, pending_order):
    import hashlib
    import hmac

    raw = json.dumps({"order_id": pending_order["order_id"], "status": "paid", "amount": 2000}).encode()
    signature = "sha256=" + hmac.new(b"a-configured-secret", raw, hashlib.sha256).hexdigest()
    r = client.post("/thanh-toan/callback/demo/", raw, content_type="application/json", HTTP_X_MOTCUA_SIGNATURE=signature)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "paid"


def test_callback_is_idempotent(client, api_as, pending_order):
    body = {"order_id": pending_order["order_id"], "status": "paid", "amount": 2000, "reference": "BANK-1"}
    first = sign_and_post(client, body)
    again = sign_and_post(client, body)
    assert first.status_code == again.status_code == 200
    assert first.json()["changed"] is True and again.json()["changed"] is False
    from motcua.payments.models import PaymentOrder

    order = PaymentOrder.objects.get(order_id=pending_order["order_id"])
    events = order.dossier.events.filter(action="pay_fee")
    assert events.count() == 1


def test_callback_cannot_unpay_a_paid_order(client, pending_order):
    sign_and_post(client, {"order_id": pending_order["order_id"], "status": "paid", "amount": 2000})
    r = sign_and_post(client, {"order_id": pending_order["order_id"], "status": "failed", "amount": 2000})
    assert r.status_code == 409


def test_callback_with_a_different_amount_is_refused(client, pending_order):
    r = sign_and_post(client, {"order_id": pending_order["order_id"], "status": "paid", "amount": 1})
    assert r.status_code == 422 and r.json()["error"]["code"] == "amount_mismatch"


def test_late_success_after_a_cancellation_is_recorded(client, pending_order):
    sign_and_post(client, {"order_id": pending_order["order_id"], "status": "cancelled", "amount": 2000})
    r = sign_and_post(client, {"order_id": pending_order["order_id"], "status": "paid", "amount": 2000})
    assert r.status_code == 200 and r.json()["status"] == "paid"


def test_callback_for_an_unknown_order_or_gateway_is_404(client, pending_order):
    assert sign_and_post(client, {"order_id": "MC000000NOPE", "status": "paid", "amount": 2000}).status_code == 404
    r = client.post("/thanh-toan/callback/nope/", b"{}", content_type="application/json")
    assert r.status_code == 404 and r.json()["error"]["code"] == "gateway_not_found"


def test_malformed_signed_callback_is_422(client, pending_order):
    r = sign_and_post(client, {"order_id": pending_order["order_id"], "status": "refunded", "amount": "2000"})
    assert r.status_code == 422
    assert set(r.json()["error"]["fields"]) == {"status", "amount"}


def test_demo_page_can_be_switched_off(client, pending_order, settings):
    settings.PAYMENT_GATEWAYS = ["bank"]
    assert client.get(path_of(pending_order["pay_url"])).status_code == 404


def test_payment_after_result_returned_is_still_possible_if_unpaid(api_as, online_dossier):
    dossier = advance(online_dossier(FEE_PROCEDURE), *TO_RESULT_RETURNED)
    assert api_as("congdan").post(f"/dossiers/{dossier.code}/payments").status_code == 201
