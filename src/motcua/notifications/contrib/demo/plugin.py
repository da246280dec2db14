"""Demo senders for SMS and Zalo: they deliver nothing and say so in the log, naming only the
notification and the kind of message (never the number or the text). For ``make run`` and
demonstrations; a system check warns when one is on in production (``DEBUG`` false)."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _

from motcua.notifications.base import BaseSender, Outgoing
from motcua.notifications.registry import register

log = logging.getLogger("motcua.notifications.demo")


class _DemoSender(BaseSender):
    demo = True

    def send(self, message: Outgoing) -> str:
        log.warning("DEMO %s sender: notification %s (%s) not really sent", self.channel, message.notification_id,
                    message.kind)
        return f"demo-{message.notification_id}"


@register.register
class DemoSMSSender(_DemoSender):
    identifier = "demo-sms"
    channel = "sms"
    verbose_name = _("SMS thử nghiệm (không gửi thật)")


@register.register
class DemoZaloSender(_DemoSender):
    identifier = "demo-zalo"
    channel = "zalo"
    verbose_name = _("Zalo thử nghiệm (không gửi thật)")
