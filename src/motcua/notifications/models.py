"""Notifications (the outbox: one row per dossier event and channel, sent once), their delivery
attempts, and each citizen's choice of channels."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.notifications.constants import AttemptStatus, Channel, State


class Notification(models.Model):
    State = State

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="notifications",
                                verbose_name=_("hồ sơ"), null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name=_("cán bộ nhận"))  # the overdue watch's digests to staff
    event = models.ForeignKey("dossiers.DossierEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("sự kiện"))
    kind = models.CharField(_("loại thông báo"), max_length=30)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    recipient = models.CharField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"))
    data = models.JSONField(_("tham số mẫu tin"), default=dict, blank=True)
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.CharField(_("lỗi"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    sender = models.CharField(_("bộ gửi"), max_length=30, blank=True)
    reference = models.CharField(_("mã tin của nhà cung cấp"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo")
        verbose_name_plural = pgettext_lazy("số nhiều", "thông báo")
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="one_notification_per_event_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.kind} · {self.dossier_id}"


class DeliveryAttempt(models.Model):
    """One try at sending a notification. No personal data: the error is the exception's class
    (``ConnectionRefusedError``, ``TimeoutError``, ``esms-103``…), never its message."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="delivery_attempts",
                                     verbose_name=_("thông báo"))
    number = models.PositiveSmallIntegerField(_("lần thứ"))
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    sender = models.CharField(_("bộ gửi"), max_length=30)
    status = models.CharField(_("kết quả"), max_length=10, choices=AttemptStatus.choices)
    error_class = models.CharField(_("loại lỗi"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("bắt đầu"))
    finished_at = models.DateTimeField(_("kết thúc"))

    class Meta:
        ordering = ["notification_id", "number"]
        verbose_name = _("lần gửi thông báo")
        verbose_name_plural = pgettext_lazy("số nhiều", "lần gửi thông báo")
        constraints = [models.UniqueConstraint(fields=["notification", "number"], name="one_attempt_number_per_notification")]

    def __str__(self) -> str:
        return f"#{self.number} {self.status}"


class ChannelChoice(models.Model):
    """The channels a citizen wants to hear on (opt-in, chosen in the profile). Without a row:
    e-mail only. SMS and Zalo go to the phone number given in the dossier."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_channels",
                                verbose_name=_("người dùng"))
    email = models.BooleanField(_("thư điện tử"), default=True)
    sms = models.BooleanField(_("tin nhắn SMS"), default=False)
    zalo = models.BooleanField(_("tin nhắn Zalo"), default=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("kênh nhận thông báo")
        verbose_name_plural = pgettext_lazy("số nhiều", "kênh nhận thông báo")

    def __str__(self) -> str:
        return f"{self.user_id}: {', '.join(self.chosen())}"

    def chosen(self) -> list[str]:
        return [c for c in (Channel.EMAIL, Channel.SMS, Channel.ZALO) if getattr(self, c)]


class WatchNotice(models.Model):
    """The overdue watch told ``user`` about ``dossier`` on ``day``: never twice."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+", verbose_name=_("hồ sơ"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("cán bộ nhận"))
    day = models.DateField(_("ngày"))
    state = models.CharField(_("tình trạng"), max_length=10)  # overdue | due_soon
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("nhắc hồ sơ quá hạn")
        verbose_name_plural = pgettext_lazy("số nhiều", "nhắc hồ sơ quá hạn")
        constraints = [models.UniqueConstraint(fields=["dossier", "user", "day"], name="one_watch_notice_per_dossier_user_day")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.dossier_id} → {self.user_id}"
