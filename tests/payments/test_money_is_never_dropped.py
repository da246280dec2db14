"""Issue 17 §6: the payment request's own URL is not a payment notification, and money that
VNPay reports paid is recorded whatever the order's state — never answered 02 and dropped.
(shared/domain/integrations.md: the IPN carries vnp_ResponseCode and vnp_TransactionStatus;
the payment request carries vnp_Command, vnp_CreateDate, vnp_ReturnUrl … and neither.)"""

from __future__ import annotations

import pytest
from django.core import checks
from django.test import Client

from motcua.payments.models import PaymentOrder
from tests.payments.conftest import FEE_PROCEDURE, ipn_params, query_params

IPN = "/thanh-toan/vnpay/ipn"


def pay_fee_events(code: str) -> list:
    from motcua.dossiers.models import DossierEvent

    return list(DossierEvent.objects.filter(dossier__code=code, action="pay_fee").order_by("pk"))


@pytest.fixture
def fee_dossier(online_dossier, vnpay):
    return online_dossier(FEE_PROCEDURE)


def test_the_pay_url_replayed_to_the_ipn_changes_nothing_and_the_real_payment_counts(fee_dossier, api_as, client: Client):
    order = api_as("congdan").post(f"/dossiers/{fee_dossier.code}/payments").json()
    replay = query_params(order["pay_url"])  # signed with the merchant's secret: it verifies
    answer = client.get(IPN, replay).json()
    assert answer == {"RspCode": "99", "Message": "Input data required"}
    assert PaymentOrder.objects.get(order_id=order["order_id"]).status == "pending"
    # Even with result fields added, a request-shaped message is not VNPay's result.
    from motcua.payments.contrib.vnpay import signing
    from tests.payments.conftest import SECRET

    forged = {**{k: v for k, v in replay.items() if k != "vnp_SecureHash"}, "vnp_ResponseCode": "24",
              "vnp_TransactionStatus": "02"}
    forged["vnp_SecureHash"] = signing.sign(forged, SECRET)
    assert client.get(IPN, forged).json()["RspCode"] == "99"
    assert PaymentOrder.objects.get(order_id=order["order_id"]).status == "pending"
    # VNPay's own notification of the payment is then recorded.
    assert client.get(IPN, ipn_params(order["order_id"], order["amount"])).json() == {"RspCode": "00", "Message": "Confirm Success"}
    assert PaymentOrder.objects.get(order_id=order["order_id"]).status == "paid"
    assert len(pay_fee_events(fee_dossier.code)) == 1


def test_paid_for_a_replaced_order_is_recorded_and_the_pending_one_cancelled(fee_dossier, api_as, client: Client):
    owner = api_as("congdan")
    first = owner.post(f"/dossiers/{fee_dossier.code}/payments").json()
    second = owner.post(f"/dossiers/{fee_dossier.code}/payments").json()  # replaces the first
    assert PaymentOrder.objects.get(order_id=first["order_id"]).status == "cancelled"
    # The citizen had paid the first one in another tab: VNPay says so.
    assert client.get(IPN, ipn_params(first["order_id"], first["amount"])).json()["RspCode"] == "00"
    paid = PaymentOrder.objects.get(order_id=first["order_id"])
    assert paid.status == "paid" and paid.paid_at and paid.reconciliation == ""
    assert PaymentOrder.objects.get(order_id=second["order_id"]).status == "cancelled"  # nobody pays twice
    listing = owner.get(f"/dossiers/{fee_dossier.code}/payments").json()
    assert listing["paid"] is True
    [event] = pay_fee_events(fee_dossier.code)
    assert "đã ghi nhận" in event.note and event.changes["payment"]["status"] == ["cancelled", "paid"]
    # The same notification again: already confirmed, nothing twice.
    assert client.get(IPN, ipn_params(first["order_id"], first["amount"])).json()["RspCode"] == "02"
    assert len(pay_fee_events(fee_dossier.code)) == 1


def test_money_paid_twice_is_kept_and_shown_to_the_counter_for_refund(fee_dossier, api_as, client: Client, demo):
    owner = api_as("congdan")
    first = owner.post(f"/dossiers/{fee_dossier.code}/payments").json()
    second = owner.post(f"/dossiers/{fee_dossier.code}/payments").json()
    assert client.get(IPN, ipn_params(second["order_id"], second["amount"])).json()["RspCode"] == "00"
    # The replaced order is paid too: recorded, marked for refund, answered 00 (not dropped with 02).
    assert client.get(IPN, ipn_params(first["order_id"], first["amount"])).json()["RspCode"] == "00"
    late = PaymentOrder.objects.get(order_id=first["order_id"])
    assert late.status == "paid" and late.reconciliation == "duplicate" and late.needs_reconciliation
    items = {o["order_id"]: o for o in owner.get(f"/dossiers/{fee_dossier.code}/payments").json()["items"]}
    assert items[first["order_id"]]["reconciliation"] == "duplicate"
    assert items[first["order_id"]]["reconciled_at"] is None

    # The counter sees it on the dossier page and records the refund.
    staff = Client()
    staff.force_login(_user("motcua.yt"))
    page = staff.get(f"/can-bo/ho-so/{fee_dossier.code}/").content.decode()
    assert f'data-reconcile="{first["order_id"]}"' in page and "Cần hoàn trả hoặc đối soát" in page
    refused = api_as("congdan").post(f"/dossiers/{fee_dossier.code}/payments/{first['order_id']}/reconcile",
                                     {"note": "tự ghi"})
    assert refused.status_code == 403
    empty = staff.post(f"/can-bo/ho-so/{fee_dossier.code}/doi-soat/{first['order_id']}/", {"note": " "})
    assert empty.status_code == 302 and PaymentOrder.objects.get(pk=late.pk).reconciled_at is None
    done = staff.post(f"/can-bo/ho-so/{fee_dossier.code}/doi-soat/{first['order_id']}/",
                      {"note": "Hoàn trả qua VNPay ngày 08/12"})
    assert done.status_code == 302
    late.refresh_from_db()
    assert late.reconciled_at and late.reconciliation_note == "Hoàn trả qua VNPay ngày 08/12" and not late.needs_reconciliation
    assert f'data-reconcile="{first["order_id"]}"' not in staff.get(f"/can-bo/ho-so/{fee_dossier.code}/").content.decode()
    again = api_as("motcua.yt").post(f"/dossiers/{fee_dossier.code}/payments/{first['order_id']}/reconcile", {"note": "x"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "nothing_to_reconcile"


def test_paid_after_the_dossier_was_withdrawn_is_kept_for_refund(fee_dossier, api_as, client: Client):
    owner = api_as("congdan")
    order = owner.post(f"/dossiers/{fee_dossier.code}/payments").json()
    r = owner.post(f"/dossiers/{fee_dossier.code}/actions", {"action": "withdraw", "note": "Nộp nhầm thủ tục"})
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    assert client.get(IPN, ipn_params(order["order_id"], order["amount"])).json()["RspCode"] == "00"
    o = PaymentOrder.objects.get(order_id=order["order_id"])
    assert o.status == "paid" and o.reconciliation == "dossier_closed"


def test_a_failure_after_payment_does_not_undo_it(fee_dossier, api_as, client: Client):
    order = api_as("congdan").post(f"/dossiers/{fee_dossier.code}/payments").json()
    assert client.get(IPN, ipn_params(order["order_id"], order["amount"])).json()["RspCode"] == "00"
    failed = ipn_params(order["order_id"], order["amount"], response="24", status="02")
    assert client.get(IPN, failed).json()["RspCode"] == "02"
    assert PaymentOrder.objects.get(order_id=order["order_id"]).status == "paid"


def _user(username):
    from motcua.accounts.models import User

    return User.objects.get(username=username)


# The sandbox beside the province's real VNPay settings (issue 17 §6).

def test_the_sandbox_never_signs_with_the_real_secret(fee_dossier, api_as, settings):
    from motcua.payments.contrib.vnpay import config
    from tests.payments.conftest import SECRET, reload_urls

    order = api_as("congdan").post(f"/dossiers/{fee_dossier.code}/payments").json()  # a real VNPay pay_url
    settings.PAYMENT_SANDBOX = True  # mounted beside the real settings
    reload_urls()
    try:
        assert config.sandbox_config().secret != SECRET and config.sandbox_config().tmn_code != "MOTCUA01"
        page = Client().post("/thanh-toan/sandbox/vpcpay.html", {**query_params(order["pay_url"]), "outcome": "pay"})
        assert page.status_code == 400 and "Sai chữ ký" in page.content.decode()
        assert PaymentOrder.objects.get(order_id=order["order_id"]).status == "pending"
    finally:
        settings.PAYMENT_SANDBOX = False
        reload_urls()


def test_the_sandbox_beside_real_settings_refuses_to_start_outside_debug(settings):
    from motcua.payments.contrib.vnpay.checks import check_sandbox_beside_real_settings

    settings.PAYMENT_SANDBOX, settings.DEBUG = True, False
    settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET, settings.VNPAY_PAYMENT_URL = "", "s3cr3t", ""
    [error] = check_sandbox_beside_real_settings()
    assert error.id == "motcua.payments.E003" and error.level == checks.ERROR
    assert "MOTCUA_VNPAY_HASH_SECRET" in error.msg and "s3cr3t" not in error.msg
    settings.VNPAY_HASH_SECRET = ""
    assert check_sandbox_beside_real_settings() == []  # the sandbox alone: make run's demo
    settings.VNPAY_HASH_SECRET, settings.DEBUG = "s3cr3t", True
    assert check_sandbox_beside_real_settings() == []  # a developer's machine
