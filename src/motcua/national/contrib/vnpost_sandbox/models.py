"""The VNPost simulator's memory: tokens, orders, tracking records, injected refusals."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SandboxToken(models.Model):
    token = models.CharField(_("mã truy cập"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))

    class Meta:
        verbose_name = _("mã truy cập VNPost mô phỏng")
        verbose_name_plural = pgettext_lazy("số nhiều", "mã truy cập VNPost mô phỏng")

    def __str__(self) -> str:
        return f"{self.token[:6]}…"


class SandboxOrder(models.Model):
    """An order as the simulated VNPost holds it (the body it was sent), its tracking step."""

    order_number = models.CharField(_("số đơn"), max_length=100, unique=True)
    data = models.JSONField(_("dữ liệu"), default=dict)
    status = models.PositiveSmallIntegerField(_("bước hành trình"), default=0)
    cancelled = models.BooleanField(_("đã hủy"), default=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đơn trên VNPost mô phỏng")
        verbose_name_plural = pgettext_lazy("số nhiều", "đơn trên VNPost mô phỏng")

    def __str__(self) -> str:
        return self.order_number


class SandboxTracking(models.Model):
    """One tracking record (its primary key is the feed's ``$oid``)."""

    order_number = models.CharField(_("số đơn"), max_length=100, db_index=True)
    status = models.PositiveSmallIntegerField(_("mã trạng thái"))
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hành trình trên VNPost mô phỏng")
        verbose_name_plural = pgettext_lazy("số nhiều", "hành trình trên VNPost mô phỏng")

    def __str__(self) -> str:
        return f"{self.order_number}: {self.status}"


class SandboxPostalFault(models.Model):
    """The next ``remaining`` orders are refused with ``status`` and ``message``."""

    status = models.CharField(_("mã trả lời"), max_length=10, default="102")
    message = models.CharField(_("thông báo"), max_length=300, default="Địa chỉ người nhận ngoài vùng phục vụ.")
    remaining = models.PositiveIntegerField(_("số lần còn lại"), default=1)

    class Meta:
        verbose_name = _("lỗi giả lập VNPost")
        verbose_name_plural = pgettext_lazy("số nhiều", "lỗi giả lập VNPost")

    def __str__(self) -> str:
        return f"{self.status} ×{self.remaining}"
