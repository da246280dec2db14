"""The sender plugin interface (after Open Forms' plugin ``base.py``).

A sender delivers one :class:`Outgoing` message on one channel (e-mail, SMS, Zalo) and
returns the provider's reference. It raises :class:`PermanentFailure` for a refusal that
retrying cannot cure (a number the gateway rejects, a template that does not exist), and any
other exception for a failure worth retrying (a timeout, a refused connection, a 5xx).

Senders never log the recipient, the text or their credentials: the delivery attempts
recorded by :func:`motcua.notifications.services.deliver` hold the error *class* only.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Outgoing:
    notification_id: int
    kind: str
    recipient: str
    subject: str
    body: str
    data: dict = field(default_factory=dict)  # named parameters, for template channels (Zalo ZNS)


class PermanentFailure(Exception):
    """The provider refused the message for good; do not retry. ``code`` is the provider's."""

    def __init__(self, code: str = ""):
        super().__init__(code)
        self.code = code


class TemporaryFailure(Exception):
    """The provider answered, but not with success; worth retrying. ``code`` is the provider's."""

    def __init__(self, code: str = ""):
        super().__init__(code)
        self.code = code


class BaseSender(ABC):
    """One way of sending on ``channel``. Subclasses set ``identifier`` and ``verbose_name``."""

    identifier: str = ""
    channel: str = ""
    verbose_name: str = ""
    demo: bool = False  # a sender that only pretends (logs); never meant for production
    delivers: bool = True  # False: the message stays in the outbox (no channel configured)

    @abstractmethod
    def send(self, message: Outgoing) -> str:
        """Deliver ``message``; return the provider's reference (may be empty)."""

    def __str__(self) -> str:
        return self.verbose_name or self.identifier
