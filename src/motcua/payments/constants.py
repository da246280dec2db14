"""Payment states (Open Forms style: one TextChoices per state machine)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Thanh toán không thành công")
    CANCELLED = "cancelled", _("Đã hủy")


class CancelReason(models.TextChoices):
    """Why a pending order was cancelled (``PaymentOrder.note``)."""

    REPLACED = "replaced", _("Đã thay bằng yêu cầu thanh toán mới")
    EXPIRED = "expired", _("Quá thời hạn thanh toán")
    CASH = "cash", _("Đã nộp tiền mặt tại Bộ phận Một cửa")


# The gateway name of a payment recorded at the counter (not an online payment: QĐ 766 3.6).
CASH = "cash"
