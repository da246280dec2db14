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
    PAID_OTHERWISE = "paid_otherwise", _("Hồ sơ đã được nộp phí bằng giao dịch khác")


class Reconciliation(models.TextChoices):
    """Why money that arrived needs the counter's hand (``PaymentOrder.reconciliation``).

    A gateway's "paid" is recorded whatever the order's state: money is never dropped. When the
    dossier was already paid by another order, or was refused or withdrawn, the payment is
    kept as paid and marked for refund or reconciliation at the counter.
    """

    NONE = "", _("Không cần đối soát")
    DUPLICATE = "duplicate", _("Thu trùng: hồ sơ đã được nộp phí bằng giao dịch khác — cần hoàn trả hoặc đối soát")
    DOSSIER_CLOSED = "dossier_closed", _("Hồ sơ đã bị từ chối hoặc rút — cần hoàn trả cho người nộp")


# The gateway name of a payment recorded at the counter (not an online payment: QĐ 766 3.6).
CASH = "cash"
