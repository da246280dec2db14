"""Demo senders for SMS and Zalo: they deliver nothing and show in the log what would have been
sent — the SMS text, or the Zalo template's parameters — so a demonstration (``make run`` turns
both on) shows the messages a citizen with only a phone would get. Never the number: the
messages themselves carry no name or ID number (``messages.sms_text``, ``template_data``).
A system check warns when one is on in production (``DEBUG`` false)."""

from __future__ import annotations

import json
import logging

from django.utils.translation import gettext_lazy as _

from motcua.notifications.base import BaseSender, Outgoing
from motcua.notifications.registry import register

log = logging.getLogger("motcua.notifications.demo")


class _DemoSender(BaseSender):
    demo = True

    def send(self, message: Outgoing) -> str:
        shown = message.body if self.channel == "sms" else json.dumps(message.data, ensure_ascii=False)
        log.warning("DEMO %s sender: notification %s (%s) not really sent: %s", self.channel, message.notification_id,
                    message.kind, shown)
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
