"""Payment states (Open Forms style: one TextChoices per state machine)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Thanh toán không thành công")
    CANCELLED = "cancelled", _("Đã hủy")


# Where a gateway's report may take an order. ``paid`` is final: money was taken. A late
# success after a failure or a cancellation is still recorded (the citizen did pay).
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    OrderStatus.PENDING: {OrderStatus.PAID, OrderStatus.FAILED, OrderStatus.CANCELLED},
    OrderStatus.FAILED: {OrderStatus.PAID},
    OrderStatus.CANCELLED: {OrderStatus.PAID},
    OrderStatus.PAID: set(),
}

SIGNATURE_HEADER = "X-Motcua-Signature"
