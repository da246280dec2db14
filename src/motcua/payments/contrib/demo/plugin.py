"""The demo (sandbox) gateway: the citizen "pays" on a local page with two buttons.

Pressing a button does what a real gateway does after the bank answers: it signs a
report with the gateway's HMAC key and delivers it to the callback handler, through the
same verification as any outside gateway's report.
"""

from __future__ import annotations

import json

from django.utils.crypto import get_random_string

from motcua.links import public_reverse
from motcua.payments.base import BasePlugin
from motcua.payments.constants import OrderStatus
from motcua.payments.registry import register


@register.register
class DemoGateway(BasePlugin):
    identifier = "demo"
    verbose_name = "Cổng thanh toán thử nghiệm (demo)"

    def start_payment(self, order) -> str:
        return public_reverse("payments:demo", order.order_id)

    def report(self, order, outcome: str) -> tuple[bytes, str]:
        """The signed report the sandbox sends for ``order`` (``paid`` or ``cancelled``)."""
        if outcome not in (OrderStatus.PAID, OrderStatus.CANCELLED, OrderStatus.FAILED):
            raise ValueError(outcome)
        body = json.dumps({
            "order_id": order.order_id, "status": outcome, "amount": order.amount,
            "reference": "DEMO-" + get_random_string(10, "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"),
        }).encode()
        return body, self.sign(body)
