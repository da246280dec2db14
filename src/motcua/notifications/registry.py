"""The registry of senders: plugins register themselves by identifier (the shared shape:
:class:`motcua.plugins.PluginRegistry`); settings choose one sender per channel
(``settings.NOTIFICATION_SENDERS``, from the environment)."""

from __future__ import annotations

from django.conf import settings

from motcua.notifications.base import BaseSender
from motcua.plugins import PluginRegistry


class SenderRegistry(PluginRegistry[BaseSender]):
    """``get()`` of an unknown identifier raises ``KeyError`` (the system check asks ``in`` first)."""

    def for_channel(self, channel: str) -> BaseSender | None:
        """The sender configured for ``channel``; None when the channel is off."""
        identifier = settings.NOTIFICATION_SENDERS.get(channel) or ""
        sender = self._plugins.get(identifier)
        if sender is None or sender.channel != channel:
            return None
        return sender

    def channels_on(self) -> list[str]:
        """The channels this installation can send on (e-mail is always there: its outbox)."""
        return [c for c in ("email", "sms", "zalo") if self.for_channel(c) is not None]


register = SenderRegistry("notification sender", missing=KeyError)
