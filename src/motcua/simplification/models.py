"""The register of simplification proposals (đề xuất đơn giản hóa thủ tục hành chính), per
procedure, for the province's yearly review (issue 20 §4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Cut(models.TextChoices):
    PAPER = "paper", _("Bỏ một thành phần hồ sơ")
    STEP = "step", _("Bỏ một bước thực hiện")
    DAYS = "days", _("Rút ngắn thời hạn giải quyết")
    FEE = "fee", _("Giảm phí, lệ phí")


class State(models.TextChoices):
    PROPOSED = "proposed", _("Chờ lãnh đạo xem xét")
    APPROVED = "approved", _("Đã phê duyệt")
    REJECTED = "rejected", _("Không phê duyệt")


class Proposal(models.Model):
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="simplification_proposals",
                                  verbose_name=pgettext_lazy("trường dữ liệu", "thủ tục"))
    unit = models.ForeignKey("catalog.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị đề xuất"))
    cut = models.CharField(_("nội dung cắt giảm"), max_length=10, choices=Cut.choices)
    document = models.ForeignKey("catalog.RequiredDocument", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("thành phần hồ sơ bỏ"))
    document_name = models.CharField(_("tên thành phần hồ sơ"), max_length=400, blank=True)
    step_text = models.CharField(_("bước bỏ"), max_length=300, blank=True)
    days = models.DecimalField(_("số ngày làm việc giảm"), max_digits=5, decimal_places=1, default=0)
    fee_amount = models.PositiveIntegerField(_("số tiền giảm (đồng)"), default=0)
    reason = models.TextField(_("lý do"))
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đề xuất"))
    proposer_name = models.CharField(_("người đề xuất"), max_length=200)
    proposed_at = models.DateTimeField(_("ngày đề xuất"))
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.PROPOSED)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("lãnh đạo xem xét"))
    reviewed_at = models.DateTimeField(_("ngày xem xét"), null=True, blank=True)
    review_note = models.TextField(_("ý kiến của lãnh đạo"), blank=True)

    class Meta:
        verbose_name = _("đề xuất đơn giản hóa")
        verbose_name_plural = pgettext_lazy("số nhiều", "đề xuất đơn giản hóa")
        ordering = ["-proposed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.procedure_id}: {self.get_cut_display()}"
