"""The whole flow through the built-in sandbox, on the real protocol: order → VNPay payment
URL → the sandbox's page → "Thanh toán" → IPN (server to server) → signed return URL → the
return page → the receipt PDF, read back with pypdf."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pypdf
from django.test import Client

from motcua.payments.models import PaymentOrder
from motcua.payments.contrib.vnpay.config import sandbox_secret
from tests.payments.conftest import FEE_PROCEDURE, query_params, vnp_sign


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def start(api_as, online_dossier):
    dossier = online_dossier(FEE_PROCEDURE)
    owner = api_as("congdan")
    order = owner.post(f"/dossiers/{dossier.code}/payments").json()
    assert order["status"] == "pending" and order["amount"] == 2000
    assert urlsplit(order["pay_url"]).path == "/thanh-toan/sandbox/vpcpay.html"
    return dossier, owner, order


def test_citizen_pays_through_the_sandbox_and_downloads_the_receipt(api_as, online_dossier, sandbox):
    dossier, owner, order = start(api_as, online_dossier)
    browser = Client()
    page = browser.get(path_of(order["pay_url"]))
    html = page.content.decode()
    assert page.status_code == 200 and "2.000 đồng" in html and "thử nghiệm" in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]  # no inline script (CSP)
    assert "015090001234" not in html  # no ID number on the gateway page

    fields = query_params(order["pay_url"])
    done = browser.post("/thanh-toan/sandbox/vpcpay.html", {**fields, "outcome": "pay"})
    assert done.status_code == 302
    back = done["Location"]
    assert urlsplit(back).path == "/thanh-toan/vnpay/tra-ve"
    returned = query_params(back)
    assert returned["vnp_ResponseCode"] == "00" and returned["vnp_TxnRef"] == order["order_id"]
    assert returned["vnp_SecureHash"] == vnp_sign(returned, sandbox_secret())

    # The IPN already came: the order is paid before the citizen is back.
    paid = PaymentOrder.objects.get(order_id=order["order_id"])
    assert paid.status == "paid" and paid.gateway_reference == returned["vnp_TransactionNo"]
    result = browser.get(path_of(back))
    text = result.content.decode()
    assert result.status_code == 200 and "Thanh toán thành công." in text and 'data-order-status="paid"' in text
    events_before = paid.dossier.events.count()
    browser.get(path_of(back))  # the return page changes nothing
    assert paid.dossier.events.count() == events_before

    listing = owner.get(f"/dossiers/{dossier.code}/payments").json()
    assert listing["paid"] is True and listing["items"][0]["reference"] == paid.gateway_reference
    receipt_url = listing["items"][0]["receipt_url"]
    r = owner.client.get(receipt_url, **owner.headers)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pdf_text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(r.content)).pages)
    flat = " ".join(pdf_text.split())
    assert "Hai nghìn đồng" in flat
    assert paid.gateway_reference in flat and dossier.code in flat and "2.000 đồng" in flat
    assert "Nguyễn Văn An" in flat
    # Another unit's officer may not read it.
    assert api_as("motcua.mx").client.get(receipt_url, **api_as("motcua.mx").headers).status_code == 404


def test_cancel_in_the_sandbox_records_a_failed_order(api_as, online_dossier, sandbox):
    dossier, owner, order = start(api_as, online_dossier)
    browser = Client()
    done = browser.post("/thanh-toan/sandbox/vpcpay.html", {**query_params(order["pay_url"]), "outcome": "cancel"})
    back = done["Location"]
    assert query_params(back)["vnp_ResponseCode"] == "24"
    assert PaymentOrder.objects.get(order_id=order["order_id"]).status == "failed"
    text = browser.get(path_of(back)).content.decode()
    assert "Bạn đã hủy giao dịch" in text
    r = owner.client.get(f"/api/v1/dossiers/{dossier.code}/payments/{order['order_id']}/receipt.pdf", **owner.headers)
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_paid"


def test_tampered_requests_are_refused(api_as, online_dossier, sandbox):
    dossier, owner, order = start(api_as, online_dossier)
    browser = Client()
    fields = query_params(order["pay_url"])
    bad = browser.get("/thanh-toan/sandbox/vpcpay.html", {**fields, "vnp_Amount": "100"})
    assert bad.status_code == 400 and "Sai chữ ký" in bad.content.decode()
    assert browser.post("/thanh-toan/sandbox/vpcpay.html", {**fields, "vnp_Amount": "100", "outcome": "pay"}).status_code == 400
    assert PaymentOrder.objects.get(order_id=order["order_id"]).status == "pending"
    returned = {"vnp_TxnRef": order["order_id"], "vnp_ResponseCode": "00", "vnp_TransactionStatus": "00",
                "vnp_Amount": "200000"}
    returned["vnp_SecureHash"] = vnp_sign(returned, "not-the-secret")
    page = browser.get("/thanh-toan/vnpay/tra-ve", returned)
    assert page.status_code == 400 and "sai chữ ký" in page.content.decode()
    assert PaymentOrder.objects.get(order_id=order["order_id"]).status == "pending"
