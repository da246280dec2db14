"""The fee from the catalog's fee lines, cash at the counter, expiry, and the office page."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
from django.test import Client
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.payments.fees import fee_for
from motcua.payments.models import PaymentOrder
from tests.payments.conftest import FEE_PROCEDURE, FREE_PROCEDURE


def test_fee_lines_and_quantities(demo):
    copy = Procedure.objects.get(code=FEE_PROCEDURE)  # 2.000 đ/trang (pages 1–2), 1.000 đ/trang (from page 3)
    assert fee_for(copy).total == 2000
    fee = fee_for(copy, [2, 3])
    assert fee.total == 2 * 2000 + 3 * 1000
    assert [(i.quantity, i.amount) for i in fee.items] == [(2, 4000), (3, 3000)]
    assert fee_for(copy, [2, 3], exempt=True).total == 0
    assert fee_for(Procedure.objects.get(code=FREE_PROCEDURE)).total == 0
    from motcua.errors import InvalidInput

    with pytest.raises(InvalidInput):
        fee_for(copy, [1])
    with pytest.raises(InvalidInput):
        fee_for(copy, [1, -1])


def test_counter_sets_quantities_the_citizen_cannot(api_as, online_dossier, sandbox):
    dossier = online_dossier(FEE_PROCEDURE)
    r = api_as("congdan").post(f"/dossiers/{dossier.code}/payments", {"quantities": [0, 0]})
    assert r.status_code == 403 and r.json()["error"]["code"] == "quantities_by_counter_only"
    r = api_as("motcua.yt").post(f"/dossiers/{dossier.code}/payments", {"quantities": [2, 3]})
    assert r.status_code == 201 and r.json()["amount"] == 7000
    assert [line["amount"] for line in r.json()["lines"]] == [4000, 3000]
    r = api_as("motcua.yt").post(f"/dossiers/{dossier.code}/payments", {"quantities": [2, 3], "exempt": True})
    assert r.status_code == 409 and r.json()["error"]["code"] == "no_fee"


def test_cash_at_the_counter_goes_into_the_same_history(api_as, online_dossier, sandbox):
    dossier = online_dossier(FEE_PROCEDURE)
    online = api_as("congdan").post(f"/dossiers/{dossier.code}/payments").json()
    assert api_as("congdan").post(f"/dossiers/{dossier.code}/payments/cash").status_code == 403
    r = api_as("motcua.yt").post(f"/dossiers/{dossier.code}/payments/cash", {"quantities": [1, 0], "reference": "BL-0001"})
    assert r.status_code == 201, r.content
    cash = r.json()
    assert cash["status"] == "paid" and cash["gateway"] == "cash" and cash["reference"] == "BL-0001"
    assert PaymentOrder.objects.get(order_id=online["order_id"]).status == "cancelled"
    listing = api_as("congdan").get(f"/dossiers/{dossier.code}/payments").json()
    assert listing["count"] == 2 and listing["paid"] is True
    again = api_as("motcua.yt").post(f"/dossiers/{dossier.code}/payments/cash")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_paid"
    actions = [e["action"] for e in api_as("motcua.yt").get(f"/dossiers/{dossier.code}").json()["events"]]
    assert actions.count("pay_fee") == 1 and actions.count("payment") == 2  # created, cancelled
    owner = api_as("congdan")
    pdf = owner.client.get(cash["receipt_url"], **owner.headers)
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Hai nghìn đồng" in text and "BL-0001" in text and "Tiền mặt" in text


def test_stale_orders_expire_on_read_and_by_the_daily_task(api_as, online_dossier, sandbox):
    from motcua.payments.tasks import expire_orders

    dossier = online_dossier(FEE_PROCEDURE)
    order = api_as("congdan").post(f"/dossiers/{dossier.code}/payments").json()
    assert order["expires_at"]
    PaymentOrder.objects.filter(order_id=order["order_id"]).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    items = api_as("congdan").get(f"/dossiers/{dossier.code}/payments").json()["items"]
    assert items[0]["status"] == "cancelled" and items[0]["note"] == "expired"
    second = online_dossier(FEE_PROCEDURE)
    o2 = api_as("congdan").post(f"/dossiers/{second.code}/payments").json()
    PaymentOrder.objects.filter(order_id=o2["order_id"]).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert expire_orders.call() == 1
    assert PaymentOrder.objects.get(order_id=o2["order_id"]).status == "cancelled"
    assert expire_orders.call() == 0


def test_office_page_records_cash_and_links_the_receipt(demo, online_dossier):
    dossier = online_dossier(FEE_PROCEDURE)
    browser = Client()
    browser.force_login(__import__("motcua.accounts.models", fromlist=["User"]).User.objects.get(username="motcua.yt"))
    page = browser.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert 'id="payments"' in page and "Ghi nhận nộp tiền mặt" in page
    r = browser.post(f"/can-bo/ho-so/{dossier.code}/nop-tien-mat/", {"q0": "2", "q1": "1", "reference": "BL-77"})
    assert r.status_code == 302
    order = PaymentOrder.objects.get(dossier=dossier)
    assert order.amount == 5000 and order.status == "paid" and order.gateway == "cash"
    page = browser.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert f"/payments/{order.order_id}/receipt.pdf" in page and "Ghi nhận nộp tiền mặt" not in page
    pdf = browser.get(f"/api/v1/dossiers/{dossier.code}/payments/{order.order_id}/receipt.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
