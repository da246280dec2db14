"""Fee orders (nghĩa vụ tài chính) of dossiers, paid through a gateway plugin."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.formatting import vnd
from motcua.payments.constants import OrderStatus, Reconciliation


class PaymentOrder(models.Model):
    """One request to pay a dossier's fee. Amounts are integer VND."""

    order_id = models.CharField(_("mã giao dịch"), max_length=40, unique=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="payment_orders", verbose_name=_("hồ sơ")
    )
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    gateway = models.CharField(_("cổng thanh toán"), max_length=40)
    gateway_reference = models.CharField(_("mã tham chiếu của cổng"), max_length=100, blank=True)
    lines = models.JSONField(
        _("các khoản phí"), default=list, blank=True,
        help_text=_("Cách tính số tiền: tên khoản, mức thu, số lượng, thành tiền."),
    )
    expires_at = models.DateTimeField(_("hết hạn thanh toán lúc"), null=True, blank=True)
    response_code = models.CharField(_("mã kết quả của cổng"), max_length=10, blank=True)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    reconciliation = models.CharField(
        _("cần đối soát"), max_length=20, choices=Reconciliation.choices, default=Reconciliation.NONE, blank=True,
        help_text=_("Tiền đã về nhưng cần Bộ phận Một cửa hoàn trả hoặc đối soát."),
    )
    reconciled_at = models.DateTimeField(_("đã đối soát lúc"), null=True, blank=True)
    reconciled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("người đối soát"),
    )
    reconciliation_note = models.CharField(_("ghi chú đối soát"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = pgettext_lazy("số nhiều", "giao dịch thanh toán")
        indexes = [models.Index(fields=["dossier", "status"], name="payment_dossier_status")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.amount} {self.status}"

    @property
    def is_paid(self) -> bool:
        return self.status == OrderStatus.PAID

    @property
    def needs_reconciliation(self) -> bool:
        """Money arrived that the counter must still refund or reconcile."""
        return bool(self.reconciliation) and self.reconciled_at is None

    @property
    def amount_text(self) -> str:
        return vnd(self.amount)
