"""Passwords and PINs of the keys an administrator sets (a unit's or a leader's certificate),
kept encrypted in the database with a key derived from the installation's SECRET_KEY."""

from __future__ import annotations

import base64
import hashlib

from django.conf import settings


def _fernet():
    from cryptography.fernet import Fernet

    digest = hashlib.sha256(b"motcua.signing.secrets:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def unseal(value: str) -> str:
    from cryptography.fernet import InvalidToken

    if not value:
        return ""
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken:  # the SECRET_KEY changed: the administrator types it again
        return ""
