"""Deploy check: ``vnpay`` enabled without its merchant code, secret or URL is an error."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from motcua.payments.contrib.vnpay import config
from motcua.payments.registry import register


@checks.register(checks.Tags.security)
def check_sandbox_beside_real_settings(app_configs=None, **kwargs):
    """Every start (``serve``, ``migrate``, ``worker``): outside debug, the built-in sandbox beside
    the province's real VNPay settings refuses to start — a sandbox payment must never be
    mistaken for real money."""
    real = config.real_settings_given()
    if settings.PAYMENT_SANDBOX and real and not settings.DEBUG:
        return [checks.Error(
            f"MOTCUA_PAYMENT_SANDBOX is true beside real VNPay settings ({', '.join(real)}).",
            id="motcua.payments.E003",
            hint="Production: unset MOTCUA_PAYMENT_SANDBOX. Trying the sandbox: unset the MOTCUA_VNPAY_* variables.",
        )]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_vnpay(app_configs=None, **kwargs):
    problems = []
    unknown = [g for g in settings.PAYMENT_GATEWAYS if g not in register]
    if unknown:
        problems.append(checks.Error(
            f"MOTCUA_PAYMENT_GATEWAYS names unknown gateways: {', '.join(unknown)}.", id="motcua.payments.E001",
            hint=f"Known: {', '.join(p.identifier for p in register)}.",
        ))
    if "vnpay" in settings.PAYMENT_GATEWAYS and not settings.PAYMENT_SANDBOX:
        missing = [name for name, value in (
            ("MOTCUA_VNPAY_TMN_CODE", settings.VNPAY_TMN_CODE),
            ("MOTCUA_VNPAY_HASH_SECRET", settings.VNPAY_HASH_SECRET),
            ("MOTCUA_VNPAY_PAYMENT_URL", settings.VNPAY_PAYMENT_URL),
        ) if not value]
        if missing:
            problems.append(checks.Error(
                f"The vnpay gateway is enabled but {', '.join(missing)} is not set.", id="motcua.payments.E002",
                hint="Set the values VNPay gave the province (docs/operators/payments.md), or remove vnpay from "
                "MOTCUA_PAYMENT_GATEWAYS.",
            ))
    if settings.PAYMENT_SANDBOX and not settings.DEBUG:
        problems.append(checks.Error(
            "MOTCUA_PAYMENT_SANDBOX is true: the built-in test gateway is mounted and takes no real money.",
            id="motcua.payments.E004", hint="Never in production: unset MOTCUA_PAYMENT_SANDBOX.",
        ))
    return problems
