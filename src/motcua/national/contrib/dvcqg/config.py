"""Where the national-portal client connects, and as whom.

Only the docs/configuration.md variables: ``MOTCUA_DVCQG_URL`` + ``…_AUTH_PATH`` / ``…_INTEGRATION_PATH`` /
``…_SHARE_PATH``, ``…_USERNAME``, ``…_PASSWORD``, ``…_DSTCODE``, ``…_MADONVI``. With
``MOTCUA_DVCQG_SANDBOX`` and no URL the client talks to the built-in simulator over HTTP at
the public address (``links.public_url``) with the simulator's own account: ``motcua-sandbox``
and a random password made once and kept in ``MOTCUA_DATA_DIR`` (shared by every process; the
simulator accepts nothing else, so a client configured with other credentials is refused as
the real adapter would refuse it).
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
from motcua.national.contrib.dvcqg.plugin import portal

SANDBOX_USERNAME = "motcua-sandbox"
SANDBOX_MADONVI = "000.00.00.H00"
SANDBOX_DSTCODE = "MOTCUA-SANDBOX"
SANDBOX_PATHS = ("/auth", "/integration", "/share")


@dataclass(frozen=True)
class PortalConfig:
    base_url: str
    auth_path: str
    integration_path: str
    share_path: str
    username: str
    password: str
    dstcode: str
    madonvi: str
    sandbox: bool

    def __repr__(self) -> str:  # never print the password
        return f"PortalConfig(base_url={self.base_url!r}, username={self.username!r}, madonvi={self.madonvi!r}, sandbox={self.sandbox})"

    @property
    def auth_url(self) -> str:
        return self.base_url + self.auth_path

    @property
    def integration_url(self) -> str:
        return self.base_url + self.integration_path

    @property
    def share_url(self) -> str:
        return self.base_url + self.share_path


def sandbox_password() -> str:
    """The simulator's password: random, made once, kept in ``DATA_DIR``."""
    path = Path(settings.DATA_DIR) / "dvcqg-sandbox-secret"
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


def sandbox_identity() -> tuple[str, str, str, str]:
    """``(username, password, dstcode, madonvi)`` the simulator accepts."""
    return SANDBOX_USERNAME, sandbox_password(), SANDBOX_DSTCODE, SANDBOX_MADONVI


def sandbox_base_url() -> str:
    return public_url(reverse("national:dvcqg_sandbox:root")).rstrip("/")


def current() -> PortalConfig:
    """The configuration in force; 409 ``national_not_connected`` when there is none."""
    plugin = portal()
    paths = (settings.DVCQG_AUTH_PATH, settings.DVCQG_INTEGRATION_PATH, settings.DVCQG_SHARE_PATH)
    if plugin.uses_sandbox():
        username, password, dstcode, madonvi = sandbox_identity()
        # The simulator answers at its own fixed paths, whatever the real adapter's are.
        return PortalConfig(sandbox_base_url(), *SANDBOX_PATHS, username, password, dstcode, madonvi, True)
    if plugin.missing():
        raise Conflict("Chưa cấu hình kết nối Cổng Dịch vụ công quốc gia: thiếu " + ", ".join(plugin.missing()) + ".",
                       code="national_not_connected")
    return PortalConfig(settings.DVCQG_URL, *paths, settings.DVCQG_USERNAME, settings.DVCQG_PASSWORD,
                        settings.DVCQG_DSTCODE, settings.DVCQG_MADONVI, False)
