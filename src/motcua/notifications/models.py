"""Notifications sent to applicants: one row per dossier event and channel (sent once)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không thành công")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey("dossiers.DossierEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("loại thông báo"), max_length=30)
    channel = models.CharField(_("kênh"), max_length=10, default="email")
    recipient = models.CharField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"))
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.CharField(_("lỗi"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="one_notification_per_event_channel"),
        ]
