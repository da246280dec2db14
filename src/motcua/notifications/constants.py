"""The states and channels of notifications (Open Forms' ``constants.py`` shape)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo")


class State(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không thành công")
    KEPT = "kept", _("Lưu trong hộp thư đi (chưa cấu hình kênh gửi)")


class AttemptStatus(models.TextChoices):
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Lỗi")
    KEPT = "kept", _("Lưu, không gửi")
