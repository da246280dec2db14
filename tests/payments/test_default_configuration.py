"""The default configuration takes no payment online: no gateway, no sandbox (issue 7 §3)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import checks
from django.test import Client

from tests.payments.conftest import FEE_PROCEDURE, FREE_PROCEDURE


def test_defaults_are_off():
    assert settings.PAYMENT_GATEWAYS == [] and settings.PAYMENT_SANDBOX is False
    from motcua.payments.registry import register

    assert register.enabled() == []
    assert "vnpay" in register and "demo" not in register


def test_no_gateway_is_409_no_gateway(api_as, online_dossier):
    dossier = online_dossier(FEE_PROCEDURE)
    r = api_as("congdan").post(f"/dossiers/{dossier.code}/payments")
    assert r.status_code == 409, r.content
    assert r.json()["error"]["code"] == "no_gateway"
    assert api_as("congdan").get(f"/dossiers/{dossier.code}/payments").json()["count"] == 0


def test_nothing_due_is_409_no_fee_and_creates_no_order(api_as, online_dossier, sandbox):
    dossier = online_dossier(FREE_PROCEDURE)
    r = api_as("congdan").post(f"/dossiers/{dossier.code}/payments")
    assert r.status_code == 409 and r.json()["error"]["code"] == "no_fee"
    assert dossier.payment_orders.count() == 0


def test_sandbox_routes_are_not_mounted(client: Client):
    assert client.get("/thanh-toan/sandbox/vpcpay.html").status_code == 404
    assert client.get("/thanh-toan/demo/X/").status_code == 404
    assert client.post("/thanh-toan/callback/demo/", b"{}", content_type="application/json").status_code == 404


def test_ipn_without_configuration_is_an_invalid_signature(client: Client):
    r = client.get("/thanh-toan/vnpay/ipn", {"vnp_TxnRef": "X", "vnp_SecureHash": "00"})
    assert r.status_code == 200 and r.json() == {"RspCode": "97", "Message": "Invalid signature"}


def _deploy_errors():
    return [m for m in checks.run_checks(include_deployment_checks=True) if m.id and m.id.startswith("motcua.payments")]


@pytest.mark.django_db  # the deploy checks also look for demo accounts with the published password
def test_deploy_check_names_missing_vnpay_settings(settings):
    assert _deploy_errors() == []
    settings.PAYMENT_GATEWAYS = ["vnpay"]
    errors = _deploy_errors()
    assert [e.id for e in errors] == ["motcua.payments.E002"]
    for name in ("MOTCUA_VNPAY_TMN_CODE", "MOTCUA_VNPAY_HASH_SECRET", "MOTCUA_VNPAY_PAYMENT_URL"):
        assert name in errors[0].msg
    settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET = "MOTCUA01", "s3cr3t-value"
    settings.VNPAY_PAYMENT_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    assert _deploy_errors() == []
    assert "s3cr3t-value" not in repr(__import__("motcua.payments.contrib.vnpay.config", fromlist=["x"]).current())
    settings.PAYMENT_GATEWAYS = ["vnpay", "demo"]
    assert [e.id for e in _deploy_errors()] == ["motcua.payments.E001"]


def test_no_key_comes_from_secret_key(sandbox, settings):
    from motcua.payments.contrib.vnpay import config

    settings.VNPAY_HASH_SECRET = ""
    first = config.current().secret
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert config.current().secret == first and settings.SECRET_KEY not in first
    assert len(first) == 64
