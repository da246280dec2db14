"""Text messages to a phone about the account itself (one-time codes, "this number already has
an account"). Accounts sit below notifications, so the notifications app registers the sender
(``register``, in its ``ready``): its outbox and the SMS plugin configured there
(``MOTCUA_SMS_SENDER``) carry the message, in the background, like every other message."""

from __future__ import annotations

import logging
from typing import Callable

log = logging.getLogger(__name__)

_send: Callable[..., bool] | None = None
_available: Callable[[], bool] = lambda: False  # noqa: E731


def register(send: Callable[..., bool], available: Callable[[], bool]) -> None:
    global _send, _available
    _send, _available = send, available


def available() -> bool:
    """Whether SMS can be sent here (an SMS sender configured)."""
    return _send is not None and _available()


def send(phone: str, kind: str, text: str, user=None) -> bool:
    """Queue ``text`` to ``phone``; False when no SMS sender is configured (nothing is sent)."""
    if _send is None or not _available():
        log.warning("no SMS sender configured: %s message not sent", kind)
        return False
    return _send(phone=phone, kind=kind, text=text, user=user)
