"""VNPay's IPN (``GET /thanh-toan/vnpay/ipn``): every RspCode, VNPay's order of checks,
idempotence, and 20 concurrent identical IPNs making exactly one transition."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from motcua.payments.models import PaymentOrder
from tests.payments.conftest import FEE_PROCEDURE, ipn_params, query_params, vnp_sign

IPN = "/thanh-toan/vnpay/ipn"


@pytest.fixture
def order(api_as, online_dossier, vnpay):
    dossier = online_dossier(FEE_PROCEDURE)
    r = api_as("congdan").post(f"/dossiers/{dossier.code}/payments")
    assert r.status_code == 201, r.content
    return r.json()


def events(dossier_code: str, action: str) -> list:
    from motcua.dossiers.models import DossierEvent

    return list(DossierEvent.objects.filter(dossier__code=dossier_code, action=action))


def test_payment_url_carries_vnpay_parameters(order, settings):
    url = order["pay_url"]
    assert url.startswith("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?")
    p = query_params(url)
    assert p["vnp_Version"] == "2.1.0" and p["vnp_Command"] == "pay" and p["vnp_TmnCode"] == "MOTCUA01"
    assert p["vnp_Amount"] == "200000" and order["amount"] == 2000  # 2.000 đồng × 100
    assert p["vnp_CurrCode"] == "VND" and p["vnp_TxnRef"] == order["order_id"] and p["vnp_Locale"] == "vn"
    assert p["vnp_OrderInfo"].isascii() and all(c.isalnum() or c == " " for c in p["vnp_OrderInfo"])
    assert p["vnp_ReturnUrl"] == "http://testserver/thanh-toan/vnpay/tra-ve"
    assert p["vnp_IpAddr"] == "127.0.0.1" and p["vnp_OrderType"]
    assert len(p["vnp_CreateDate"]) == 14 and p["vnp_ExpireDate"] > p["vnp_CreateDate"]
    assert "vnp_SecureHashType" not in p
    assert p["vnp_SecureHash"] == vnp_sign(p)  # the independent computation
    assert url.rsplit("&", 1)[1].startswith("vnp_SecureHash=")  # the signature last
    # GMT+7: the create date is the order's creation in Vietnam's time.
    import datetime as dt

    created = PaymentOrder.objects.get(order_id=order["order_id"]).created_at
    assert p["vnp_CreateDate"] == created.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%Y%m%d%H%M%S")


def test_rspcode_table_in_vnpay_order(order, client: Client):
    oid, amount = order["order_id"], order["amount"]
    bad_sig = ipn_params(oid, amount, secret="wrong")
    assert client.get(IPN, bad_sig).json() == {"RspCode": "97", "Message": "Invalid signature"}
    # A wrong signature comes first even for an unknown order and a wrong amount.
    assert client.get(IPN, ipn_params("NOPE", 1, secret="wrong")).json()["RspCode"] == "97"
    tampered = {**ipn_params(oid, amount), "vnp_Amount": "1"}
    assert client.get(IPN, tampered).json()["RspCode"] == "97"
    assert client.get(IPN, ipn_params("MC000000UNKNOWN", amount)).json() == {"RspCode": "01", "Message": "Order not found"}
    assert client.get(IPN, ipn_params(oid, amount + 1)).json() == {"RspCode": "04", "Message": "invalid amount"}
    assert PaymentOrder.objects.get(order_id=oid).status == "pending"
    assert client.get(IPN, ipn_params(oid, amount)).json() == {"RspCode": "00", "Message": "Confirm Success"}
    o = PaymentOrder.objects.get(order_id=oid)
    assert o.status == "paid" and o.gateway_reference == "14226112" and o.paid_at
    assert client.get(IPN, ipn_params(oid, amount)).json() == {"RspCode": "02", "Message": "Order already confirmed"}
    # Already confirmed comes after the amount check, as in VNPay's samples.
    assert client.get(IPN, ipn_params(oid, amount + 1)).json()["RspCode"] == "04"
    assert len(events(o.dossier.code, "pay_fee")) == 1


def test_failed_payment_is_recorded_failed_and_a_new_order_can_follow(order, client: Client, api_as):
    oid, amount = order["order_id"], order["amount"]
    assert client.get(IPN, ipn_params(oid, amount, response="24", status="02")).json()["RspCode"] == "00"
    o = PaymentOrder.objects.get(order_id=oid)
    assert o.status == "failed" and o.response_code == "24" and o.paid_at is None
    # ResponseCode 00 alone is not success: TransactionStatus must be 00 too.
    again = api_as("congdan").post(f"/dossiers/{o.dossier.code}/payments").json()
    assert client.get(IPN, ipn_params(again["order_id"], amount, status="01")).json()["RspCode"] == "00"
    assert PaymentOrder.objects.get(order_id=again["order_id"]).status == "failed"
    assert events(o.dossier.code, "pay_fee") == []
    # A failure notification repeated changes nothing.
    assert client.get(IPN, ipn_params(oid, amount, response="24", status="02")).json()["RspCode"] == "02"


def test_other_errors_are_99(order, client: Client, monkeypatch):
    from motcua.payments import services

    def boom(*a, **k):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_handle_ipn", boom)
    assert client.get(IPN, ipn_params(order["order_id"], order["amount"])).json() == {"RspCode": "99", "Message": "Unknow error"}


def test_a_new_order_cancels_the_pending_one(order, api_as, client: Client):
    code = PaymentOrder.objects.get(order_id=order["order_id"]).dossier.code
    second = api_as("congdan").post(f"/dossiers/{code}/payments").json()
    assert second["order_id"] != order["order_id"]
    first = PaymentOrder.objects.get(order_id=order["order_id"])
    assert first.status == "cancelled" and first.note == "replaced"
    assert client.get(IPN, ipn_params(second["order_id"], second["amount"])).json()["RspCode"] == "00"
    r = api_as("congdan").post(f"/dossiers/{code}/payments")
    assert r.status_code == 409 and r.json()["error"]["code"] == "already_paid"


def test_someone_elses_dossier_is_not_found(order, api_as):
    code = PaymentOrder.objects.get(order_id=order["order_id"]).dossier.code
    r = api_as("motcua.mx").post(f"/dossiers/{code}/payments")  # another unit's counter officer
    assert r.status_code == 404 and r.json()["error"]["code"] == "dossier_not_found"
    assert PaymentOrder.objects.get(order_id=order["order_id"]).status == "pending"


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_identical_ipns_make_one_transition(demo, online_dossier, api_as, vnpay):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is checked on PostgreSQL (DATABASE_URL=postgres://…)")
    dossier = online_dossier(FEE_PROCEDURE)
    order = api_as("congdan").post(f"/dossiers/{dossier.code}/payments").json()
    params = ipn_params(order["order_id"], order["amount"])
    barrier = threading.Barrier(20)
    answers: list[str] = []
    lock = threading.Lock()

    def deliver():
        try:
            barrier.wait()
            code = Client().get(IPN, params).json()["RspCode"]
            with lock:
                answers.append(code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == ["00"] + ["02"] * 19
    assert PaymentOrder.objects.get(order_id=order["order_id"]).status == "paid"
    assert len(events(dossier.code, "pay_fee")) == 1
