"""A citizen pays a fee on a 360 × 740 phone, in Chromium, through the built-in sandbox on
VNPay's real protocol: their dossier page → "Thanh toán trực tuyến" → the sandbox's payment
page (signed payment URL) → "Thanh toán" → IPN (server to server) → the signed return page,
which says the payment succeeded → the receipt PDF, read back with pypdf → back to the dossier
page, paid, where the same receipt downloads. Screenshots: test-artifacts/payment-*.png.

The live server runs in this process, so the ``sandbox`` fixture (``MOTCUA_PAYMENT_SANDBOX=true``,
``MOTCUA_PAYMENT_GATEWAYS=vnpay``, the sandbox's URLs mounted) holds for it, for this test only.
"""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from tests.payments.conftest import FEE_PROCEDURE, media_dir, online_dossier, sandbox  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def pdf_text(body: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(body)).pages).split())


def test_citizen_pays_in_the_sandbox_and_downloads_the_receipt(live_server, page, screenshot, online_dossier, sandbox):
    from motcua.payments.models import PaymentOrder

    dossier = online_dossier(FEE_PROCEDURE)
    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Số điện thoại, thư điện tử hoặc tên đăng nhập").fill("congdan")
    page.get_by_label("Mật khẩu").fill("motcua-demo")
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_load_state("load")

    page.goto(f"{live_server.url}/ho-so-cua-toi/{dossier.code}/")
    fees = page.locator("section.card", has=page.get_by_role("heading", name="Phí, lệ phí"))
    assert re.search(r"2\.000\s*đ", fees.inner_text())
    assert page.evaluate(NO_SIDEWAYS)
    screenshot(page, "payment-1-dossier-360")

    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.wait_for_url(re.compile(r"/thanh-toan/sandbox/vpcpay\.html\?"))
    order = PaymentOrder.objects.get(dossier=dossier, status="pending")
    text = page.content()
    assert "2.000 đồng" in text and "thử nghiệm" in text and order.order_id in text
    assert "015090001234" not in text  # no ID number on the gateway's page
    assert page.evaluate(NO_SIDEWAYS)
    screenshot(page, "payment-2-sandbox-360")

    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.wait_for_url(re.compile(r"/thanh-toan/vnpay/tra-ve\?.*vnp_SecureHash="))
    status = page.locator("[data-status]")
    assert status.get_attribute("data-status") == "paid" and status.inner_text() == "Thanh toán thành công."
    order.refresh_from_db()
    assert order.status == "paid" and order.gateway_reference
    assert page.locator("[data-order-status]").get_attribute("data-order-status") == "paid"
    assert dossier.code in page.content() and order.gateway_reference in page.content()
    assert page.get_by_role("link", name="Về trang hồ sơ của tôi").count() == 1
    assert page.evaluate(NO_SIDEWAYS)
    screenshot(page, "payment-3-return-360")

    link = page.get_by_role("link", name="Tải biên lai (PDF)")
    receipt = page.request.get(live_server.url + link.get_attribute("href"))  # the tab's session cookie
    assert receipt.status == 200 and receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF-")
    flat = pdf_text(receipt.body())
    assert dossier.code in flat and "2.000 đồng" in flat and "Hai nghìn đồng" in flat
    assert order.gateway_reference in flat and "Nguyễn Văn An" in flat

    # Back on the dossier page: paid, no pay button any more, and the receipt to download.
    page.get_by_role("link", name="Về trang hồ sơ của tôi").click()
    page.wait_for_url(f"{live_server.url}/ho-so-cua-toi/{dossier.code}/")
    assert page.get_by_role("button", name="Thanh toán trực tuyến").count() == 0
    assert "Đã thanh toán" in fees.inner_text()
    trail = page.locator("section.card", has=page.get_by_role("heading", name="Quá trình giải quyết")).inner_text()
    assert "Yêu cầu thanh toán phí, lệ phí" in trail and "Đã nộp phí, lệ phí" in trail
    assert "Hồ sơ được cập nhật" not in trail  # every event in the citizen's words
    assert page.evaluate(NO_SIDEWAYS)
    screenshot(page, "payment-4-dossier-paid-360")
    with page.expect_download() as download:
        fees.get_by_role("link", name="Tải biên lai thu phí (PDF)").click()
    saved = download.value.path().read_bytes()
    assert saved.startswith(b"%PDF-") and pdf_text(saved) == flat
