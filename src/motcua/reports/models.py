"""Scorecard figures the system cannot know, entered by an administrator with their source."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class DailyCount(models.Model):
    """Per-day counters of the TTHC report (docs/reports.md), kept by database triggers on
    ``dossiers_dossier`` in the very transaction that changes a dossier (``reports.daily``).

    One row per (receiving unit, procedure, local day, more than one supplementation request);
    each counter counts the counted, regular dossiers whose day of that kind is this day.
    """

    unit = models.ForeignKey("catalog.Unit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+",
                             verbose_name=_("đơn vị"))
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.DO_NOTHING, db_constraint=False,
                                  related_name="+", verbose_name=pgettext_lazy("trường dữ liệu", "thủ tục"))
    day = models.DateField(_("ngày"))
    multi = models.BooleanField(_("bổ sung nhiều lần"), default=False)
    received = models.IntegerField(_("tiếp nhận"), default=0)
    online = models.IntegerField(_("trực tuyến"), default=0)
    direct = models.IntegerField(_("trực tiếp"), default=0)
    postal = models.IntegerField(_("bưu chính"), default=0)
    closed = models.IntegerField(_("kết thúc"), default=0)
    early = models.IntegerField(_("trước hạn"), default=0)
    on_time = models.IntegerField(_("đúng hạn"), default=0)
    late = models.IntegerField(_("quá hạn"), default=0)
    withdrawn = models.IntegerField(_("đã rút"), default=0)
    overdue_in = models.IntegerField(_("bắt đầu quá hạn"), default=0)
    overdue_out = models.IntegerField(_("hết quá hạn"), default=0)

    class Meta:
        verbose_name = _("số liệu báo cáo theo ngày")
        verbose_name_plural = pgettext_lazy("số nhiều", "số liệu báo cáo theo ngày")
        constraints = [models.UniqueConstraint(fields=["unit", "procedure", "day", "multi"], name="dailycount_key")]
        indexes = [models.Index(fields=["unit", "day"], name="dailycount_unit_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.procedure_id} {self.day}"


class IrregularDossier(models.Model):
    """A counted dossier whose timestamps break the order the per-day counters rely on
    (``reports.daily.REGULAR``): the report counts it one by one instead. Kept by the same triggers."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.DO_NOTHING, db_constraint=False,
                                   primary_key=True, related_name="+", verbose_name=_("hồ sơ"))

    class Meta:
        verbose_name = _("hồ sơ đếm riêng")
        verbose_name_plural = pgettext_lazy("số nhiều", "hồ sơ đếm riêng")

    def __str__(self) -> str:
        return str(self.dossier_id)
