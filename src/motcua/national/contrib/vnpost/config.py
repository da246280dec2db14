"""Where the VNPost client connects, and as whom: ``MOTCUA_VNPOST_URL`` (the API gateway: ``/token``,
``/order/post``, ``/order/cancel``, ``/order/tracking`` below it), ``…_CUSTOMER_CODE``, ``…_KEY``,
``…_SECRET``. With ``MOTCUA_VNPOST_SANDBOX`` and no URL: the built-in simulator at the public
address, with its own key and a random secret made once and kept in ``MOTCUA_DATA_DIR``."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from motcua.errors import Conflict
from motcua.links import public_url
from motcua.national.contrib.vnpost.plugin import postal_service

SANDBOX_CUSTOMER_CODE = "MOTCUA-SANDBOX"
SANDBOX_KEY = "motcua-sandbox"
TOKEN_PATH, ORDER_PATH, CANCEL_PATH, TRACKING_PATH = "/token", "/order/post", "/order/cancel", "/order/tracking"


@dataclass(frozen=True)
class PostalConfig:
    base_url: str
    customer_code: str
    key: str
    secret: str
    sandbox: bool

    def __repr__(self) -> str:  # never print the secret
        return f"PostalConfig(base_url={self.base_url!r}, customer_code={self.customer_code!r}, sandbox={self.sandbox})"

    def url(self, path: str) -> str:
        return self.base_url + path


def sandbox_secret() -> str:
    path = Path(settings.DATA_DIR) / "vnpost-sandbox-secret"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    value = secrets.token_urlsafe(24)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(value)
    return value


def current() -> PostalConfig:
    """The configuration in force; 409 ``vnpost_not_connected`` when there is none."""
    plugin = postal_service()
    if plugin.uses_sandbox():
        base = public_url(reverse("national:vnpost_sandbox:root")).rstrip("/")
        return PostalConfig(base, SANDBOX_CUSTOMER_CODE, SANDBOX_KEY, sandbox_secret(), True)
    if plugin.missing():
        raise Conflict("Chưa cấu hình kết nối VNPost: thiếu " + ", ".join(plugin.missing()) + ".", code="vnpost_not_connected")
    return PostalConfig(settings.VNPOST_URL, settings.VNPOST_CUSTOMER_CODE, settings.VNPOST_KEY, settings.VNPOST_SECRET, False)
