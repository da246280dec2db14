"""Scorecard figures the system cannot know, entered by an administrator with their source."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScorecardEntry(models.Model):
    """One indicator's numerator and denominator for a unit over a period (QĐ 766/QĐ-TTg),
    e.g. complaints handled on time. A report sums the entries whose period lies inside it."""

    unit = models.ForeignKey("catalog.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    indicator = models.CharField(_("chỉ số"), max_length=10)
    period_from = models.DateField(_("từ ngày"))
    period_to = models.DateField(_("đến ngày"))
    numerator = models.PositiveIntegerField(_("tử số"))
    denominator = models.PositiveIntegerField(_("mẫu số"))
    source = models.CharField(_("nguồn số liệu"), max_length=300,
                              help_text=_("Ví dụ: Hệ thống tiếp nhận phản ánh, kiến nghị của tỉnh, báo cáo số …"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("người nhập"))
    entered_at = models.DateTimeField(_("thời điểm nhập"), auto_now=True)

    class Meta:
        verbose_name = _("số liệu chỉ số 766 nhập tay")
        verbose_name_plural = _("số liệu chỉ số 766 nhập tay")
        unique_together = [("unit", "indicator", "period_from", "period_to")]
        ordering = ["unit", "indicator", "-period_from"]

    def __str__(self) -> str:
        return f"{self.indicator} {self.unit_id} {self.period_from}–{self.period_to}"

    def clean(self) -> None:
        from motcua.reports.scorecard import ENTERABLE

        problems = {}
        if self.indicator not in ENTERABLE:
            problems["indicator"] = _("Chỉ số này do hệ thống tự tính hoặc không tồn tại.")
        if self.period_from and self.period_to and self.period_from > self.period_to:
            problems["period_to"] = _("Ngày kết thúc phải không sớm hơn ngày bắt đầu.")
        if self.numerator is not None and self.denominator is not None and self.numerator > self.denominator:
            problems["numerator"] = _("Tử số không được lớn hơn mẫu số.")
        if problems:
            raise ValidationError(problems)
