"""Fixtures of the payments tests: the sandbox switched on (its URLs mounted), a VNPay
configuration as a province would set it, and VNPay's signature computed independently."""

from __future__ import annotations

import hashlib
import hmac
import importlib
from urllib.parse import parse_qsl, quote_plus, urlsplit

import pytest
from django.urls import clear_url_caches, include, path

from tests.files.conftest import media_dir, online_dossier  # noqa: F401  (shared fixtures)

FEE_PROCEDURE = "2.000815"  # Chứng thực bản sao từ bản chính: 2.000 đồng/trang (first two pages)
FREE_PROCEDURE = "1.001193"  # Đăng ký khai sinh: no fee
SECRET = "TESTSECRETFORMOTCUAPAYMENTS00001"


def reload_urls() -> None:
    """Evaluate ``payments/urls.py`` again (it mounts the sandbox by the setting) and remount it."""
    import motcua.payments.urls
    import motcua.urls

    importlib.reload(motcua.payments.urls)
    for i, pattern in enumerate(motcua.urls.urlpatterns):
        if getattr(pattern, "urlconf_module", None) is motcua.payments.urls:
            motcua.urls.urlpatterns[i] = path("thanh-toan/", include("motcua.payments.urls"))
    clear_url_caches()


@pytest.fixture
def sandbox(settings):
    """``MOTCUA_PAYMENT_SANDBOX=true`` and ``MOTCUA_PAYMENT_GATEWAYS=vnpay``, as ``make run`` sets them."""
    settings.PAYMENT_SANDBOX = True
    settings.PAYMENT_GATEWAYS = ["vnpay"]
    settings.VNPAY_PAYMENT_URL = ""
    settings.VNPAY_TMN_CODE = ""
    settings.VNPAY_HASH_SECRET = ""
    reload_urls()
    yield settings
    settings.PAYMENT_SANDBOX = False
    reload_urls()


@pytest.fixture
def vnpay(settings):
    """The four variables of an installation pointed at VNPay's own test environment."""
    settings.PAYMENT_GATEWAYS = ["vnpay"]
    settings.PAYMENT_SANDBOX = False
    settings.VNPAY_TMN_CODE = "MOTCUA01"
    settings.VNPAY_HASH_SECRET = SECRET
    settings.VNPAY_PAYMENT_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    return settings


def vnp_sign(params: dict, secret: str = SECRET) -> str:
    """VNPay's documented computation, written out here on its own (not the app's code)."""
    data = {k: v for k, v in params.items() if k not in ("vnp_SecureHash", "vnp_SecureHashType") and v != ""}
    query = "&".join(quote_plus(k) + "=" + quote_plus(str(v)) for k, v in sorted(data.items()))
    return hmac.new(secret.encode(), query.encode(), hashlib.sha512).hexdigest()


def query_params(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def ipn_params(order_id: str, amount_vnd: int, *, response: str = "00", status: str = "00",
               secret: str = SECRET, tmn: str = "MOTCUA01", **extra) -> dict[str, str]:
    """An IPN as VNPay sends it (integrations.md), signed with ``secret``."""
    params = {
        "vnp_Amount": str(amount_vnd * 100), "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14226112",
        "vnp_CardType": "ATM", "vnp_OrderInfo": "Thanh toan phi le phi", "vnp_PayDate": "20261202093000",
        "vnp_ResponseCode": response, "vnp_TmnCode": tmn, "vnp_TransactionNo": "14226112",
        "vnp_TransactionStatus": status, "vnp_TxnRef": order_id, **extra,
    }
    params["vnp_SecureHash"] = vnp_sign(params, secret)
    return params
