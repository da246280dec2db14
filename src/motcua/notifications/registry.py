"""The registry of senders: plugins register themselves by identifier; settings choose one
sender per channel (``settings.NOTIFICATION_SENDERS``, from the environment)."""

from __future__ import annotations

from django.conf import settings

from motcua.notifications.base import BaseSender


class Registry:
    def __init__(self) -> None:
        self._senders: dict[str, BaseSender] = {}

    def register(self, sender_class: type[BaseSender]) -> type[BaseSender]:
        """Class decorator: ``@register`` adds an instance of the sender."""
        sender = sender_class()
        if not sender.identifier or sender.identifier in self._senders:
            raise ValueError(f"notification sender identifier missing or taken: {sender.identifier!r}")
        self._senders[sender.identifier] = sender
        return sender_class

    def __iter__(self):
        return iter(self._senders.values())

    def __contains__(self, identifier: str) -> bool:
        return identifier in self._senders

    def get(self, identifier: str) -> BaseSender:
        return self._senders[identifier]

    def for_channel(self, channel: str) -> BaseSender | None:
        """The sender configured for ``channel``; None when the channel is off."""
        identifier = settings.NOTIFICATION_SENDERS.get(channel) or ""
        sender = self._senders.get(identifier)
        if sender is None or sender.channel != channel:
            return None
        return sender

    def channels_on(self) -> list[str]:
        """The channels this installation can send on (e-mail is always there: its outbox)."""
        return [c for c in ("email", "sms", "zalo") if self.for_channel(c) is not None]


register = Registry()
