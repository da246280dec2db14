"""The national outbox's states and kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    FAILED = "failed", _("Gửi lỗi, sẽ gửi lại")
    SENT = "sent", _("Đã gửi")
    PARKED = "parked", _("Tạm dừng, chờ quản trị xử lý")


OPEN_STATES = (OutboxState.PENDING, OutboxState.FAILED)


class OutboxKind(models.TextChoices):
    DOSSIER = "dossier", _("Hồ sơ (DongBoHoSoMC, CapNhatTienDoHoSoMC)")
    RATINGS = "ratings", _("Đánh giá hài lòng (DongBoDanhGia)")
    QUESTIONS = "questions", _("Hỏi đáp (DongBoHoiDap)")


class InboundOutcome(models.TextChoices):
    CREATED = "created", _("Đã tạo hồ sơ")
    DUPLICATE = "duplicate", _("Đã nhận trước đó")
    REFUSED = "refused", _("Không hợp lệ")
