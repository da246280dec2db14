"""Where the ``vnpay`` plugin sends citizens, and with which merchant code and secret.

Configuration only by environment (docs/configuration.md): ``MOTCUA_VNPAY_TMN_CODE``,
``MOTCUA_VNPAY_HASH_SECRET``, ``MOTCUA_VNPAY_PAYMENT_URL``. With ``MOTCUA_PAYMENT_SANDBOX``
and no payment URL the plugin talks to the built-in sandbox (``contrib/sandbox``), which
signs with its own merchant code and a random secret generated once and kept in
``MOTCUA_DATA_DIR`` (shared by every server process; never derived from ``SECRET_KEY``, never
the province's real secret). Outside debug the sandbox beside any real VNPay setting is a
start-up error (``checks.py``).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from motcua.errors import Conflict
from motcua.links import public_url

SANDBOX_TMN_CODE = "MOTCUA00"


@dataclass(frozen=True)
class VnpayConfig:
    tmn_code: str
    secret: str
    payment_url: str
    sandbox: bool

    def __repr__(self) -> str:  # never print the secret
        return f"VnpayConfig(tmn_code={self.tmn_code!r}, payment_url={self.payment_url!r}, sandbox={self.sandbox})"


def sandbox_secret() -> str:
    """The built-in sandbox's hash secret: random, made once, kept in ``DATA_DIR``."""
    path = Path(settings.DATA_DIR) / "payment-sandbox-secret"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    value = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(value)
    return value


def uses_sandbox() -> bool:
    return bool(settings.PAYMENT_SANDBOX and not settings.VNPAY_PAYMENT_URL)


def real_settings_given() -> list[str]:
    """The province's own VNPay variables that are set (the sandbox must never sit beside them)."""
    return [name for name, value in (
        ("MOTCUA_VNPAY_TMN_CODE", settings.VNPAY_TMN_CODE),
        ("MOTCUA_VNPAY_HASH_SECRET", settings.VNPAY_HASH_SECRET),
        ("MOTCUA_VNPAY_PAYMENT_URL", settings.VNPAY_PAYMENT_URL),
    ) if value]


def sandbox_config(request=None) -> VnpayConfig:
    """The built-in sandbox's own merchant code and secret: never the province's real ones, so
    the sandbox can neither accept a real payment URL nor sign a notification VNPay's
    configuration would believe."""
    return VnpayConfig(
        tmn_code=SANDBOX_TMN_CODE,
        secret=sandbox_secret(),
        payment_url=public_url(reverse("payments:sandbox:pay"), request),
        sandbox=True,
    )


def current(request=None) -> VnpayConfig:
    """The configuration in force; 409 ``no_gateway`` when it is incomplete."""
    if uses_sandbox():
        return sandbox_config(request)
    if not (settings.VNPAY_TMN_CODE and settings.VNPAY_HASH_SECRET and settings.VNPAY_PAYMENT_URL):
        raise Conflict("Cổng VNPay chưa được cấu hình đầy đủ: vui lòng nộp phí, lệ phí tại Bộ phận Một cửa.",
                       code="no_gateway")
    return VnpayConfig(settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET, settings.VNPAY_PAYMENT_URL, False)
