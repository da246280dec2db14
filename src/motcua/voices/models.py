"""A question (hỏi đáp) or a piece of feedback (phản ánh, kiến nghị), its routing, deadline and answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    QUESTION = "question", _("Hỏi đáp")
    FEEDBACK = "feedback", _("Phản ánh, kiến nghị")


class State(models.TextChoices):
    OPEN = "open", _("Chờ trả lời")
    DRAFTED = "drafted", _("Chờ lãnh đạo duyệt")
    ANSWERED = "answered", _("Đã trả lời")
    SPAM = "spam", _("Không hợp lệ (rác)")


class Source(models.TextChoices):
    PORTAL = "portal", _("Cổng Một cửa")
    NATIONAL_PORTAL = "national_portal", _("Cổng Dịch vụ công quốc gia")


class Question(models.Model):
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.QUESTION)
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.OPEN)
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices, default=Source.PORTAL)
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="questions",
                                  verbose_name=pgettext_lazy("trường dữ liệu", "thủ tục"))
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="voices", verbose_name=_("hồ sơ"))
    unit = models.ForeignKey("catalog.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị xử lý"))
    text = models.TextField(_("nội dung"))
    contact_name = models.CharField(_("họ và tên người hỏi"), max_length=200, blank=True)
    contact_phone = models.CharField(_("số điện thoại người hỏi"), max_length=20, blank=True)
    contact_email = models.EmailField(_("thư điện tử người hỏi"), blank=True)
    asker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("tài khoản người hỏi"))
    asked_at = models.DateTimeField(_("thời điểm gửi"), db_index=True)
    due_at = models.DateTimeField(_("hạn trả lời"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("cán bộ được giao"))
    answer = models.TextField(_("trả lời"), blank=True)
    publish = models.BooleanField(_("công khai"), default=False,
                                  help_text=_("Câu hỏi và trả lời hiện trên trang thủ tục (không kèm thông tin cá nhân)."))
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("cán bộ soạn trả lời"))
    drafted_at = models.DateTimeField(_("soạn lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("lãnh đạo duyệt"))
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    public_question = models.TextField(_("câu hỏi công khai"), blank=True,
                                       help_text=_("Nội dung câu hỏi đã che thông tin cá nhân."))
    search_text = models.TextField(_("nội dung không dấu (để tìm)"), blank=True, editable=False)
    hidden = models.BooleanField(_("đã ẩn"), default=False)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("cán bộ ẩn hoặc đánh dấu rác"))
    national_id = models.CharField(_("mã hỏi đáp trên Cổng DVCQG"), max_length=60, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("hỏi đáp, phản ánh kiến nghị")
        verbose_name_plural = pgettext_lazy("số nhiều", "hỏi đáp, phản ánh kiến nghị")
        indexes = [
            models.Index(fields=["unit", "state", "due_at"], name="voice_queue"),
            models.Index(fields=["procedure", "answered_at"], name="voice_published",
                         condition=models.Q(state="answered", publish=True, hidden=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["national_id"], condition=~models.Q(national_id=""),
                                    name="one_question_per_national_id"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def is_public(self) -> bool:
        return self.kind == Kind.QUESTION and self.state == State.ANSWERED and self.publish and not self.hidden
