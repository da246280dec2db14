"""The payment gateway plugin interface (after Open Forms' ``payments/base.py``).

A gateway plugin knows where to send the citizen to pay (``start_payment``) and how to
read the gateway's report back (``parse_callback``). Every report is authenticated with
an HMAC-SHA256 signature of the raw request body (``verify_signature``) before anything
in it is believed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

from motcua.errors import InvalidInput
from motcua.payments.constants import OrderStatus

if TYPE_CHECKING:  # pragma: no cover
    from motcua.payments.models import PaymentOrder


@dataclass(frozen=True)
class CallbackData:
    """What a gateway reports about one order."""

    order_id: str
    status: str
    amount: int
    reference: str = ""


def callback_secret(identifier: str) -> bytes:
    """The HMAC key of gateway ``identifier``.

    ``settings.PAYMENT_CALLBACK_SECRETS[identifier]`` when configured; otherwise a key
    derived from ``SECRET_KEY`` (so every installation has its own, never a constant).
    """
    secrets = getattr(settings, "PAYMENT_CALLBACK_SECRETS", None) or {}
    if secrets.get(identifier):
        return str(secrets[identifier]).encode()
    return hmac.new(settings.SECRET_KEY.encode(), f"motcua.payments.callback:{identifier}".encode(), hashlib.sha256).digest()


class BasePlugin(ABC):
    """One payment gateway. Subclasses set ``identifier`` and ``verbose_name``."""

    identifier: str = ""
    verbose_name: str = ""

    @abstractmethod
    def start_payment(self, order: "PaymentOrder") -> str:
        """The absolute URL where the citizen pays ``order``."""

    # -------------------------------------------------------- callbacks

    def sign(self, body: bytes) -> str:
        return "sha256=" + hmac.new(callback_secret(self.identifier), body, hashlib.sha256).hexdigest()

    def verify_signature(self, body: bytes, signature: str) -> bool:
        """True when ``signature`` is this gateway's HMAC of ``body`` (constant-time compare)."""
        return bool(signature) and hmac.compare_digest(self.sign(body), signature.strip())

    def parse_callback(self, body: bytes) -> CallbackData:
        """Read a verified report: JSON ``{order_id, status, amount, reference?}``."""
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise InvalidInput("Nội dung báo kết quả thanh toán không phải JSON hợp lệ.", code="invalid_callback") from None
        if not isinstance(data, dict):
            raise InvalidInput("Nội dung báo kết quả thanh toán phải là một đối tượng JSON.", code="invalid_callback")
        problems: dict[str, list[str]] = {}
        if not isinstance(data.get("order_id"), str) or not data["order_id"]:
            problems["order_id"] = ["Bắt buộc."]
        final = [s for s in OrderStatus.values if s != OrderStatus.PENDING]
        if data.get("status") not in final:
            problems["status"] = [f"Chọn một trong: {', '.join(final)}."]
        if not isinstance(data.get("amount"), int) or isinstance(data.get("amount"), bool) or data["amount"] < 0:
            problems["amount"] = ["Phải là số nguyên không âm (đồng)."]
        if problems:
            raise InvalidInput("Báo kết quả thanh toán chưa hợp lệ.", code="invalid_callback", fields=problems)
        return CallbackData(data["order_id"], data["status"], data["amount"], str(data.get("reference") or "")[:100])

    def __str__(self) -> str:
        return self.verbose_name or self.identifier
