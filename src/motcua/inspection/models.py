"""Inspection of officers' work (kiểm tra công vụ): each officer's steps as stored for the
report, and the inspectors' records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.catalog.models import StepKind


class StepKindOrAct(models.TextChoices):
    INTAKE = StepKind.INTAKE.value, StepKind.INTAKE.label
    ASSIGNMENT = StepKind.ASSIGNMENT.value, StepKind.ASSIGNMENT.label
    PROCESSING = StepKind.PROCESSING.value, StepKind.PROCESSING.label
    APPROVAL = StepKind.APPROVAL.value, StepKind.APPROVAL.label
    RETURN = StepKind.RETURN.value, StepKind.RETURN.label
    APOLOGY = "apology", _("Xin lỗi, hẹn lại")


class HandlingStep(models.Model):
    """One officer's step of a dossier (``dossiers.steps.Step``), written in the transaction of
    the audit event that closes it (a ``post_save`` of ``DossierEvent``), rebuilt from the trail
    by ``motcua inspection rebuild``. Derived data: the trail stays the record."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="handling_steps",
                                verbose_name=_("hồ sơ"), db_index=False)  # the unique (dossier, seq) starts with it
    seq = models.PositiveIntegerField(_("số thứ tự sự kiện"))
    kind = models.CharField(_("bước"), max_length=12, choices=StepKindOrAct.choices)
    action = models.CharField(_("thao tác"), max_length=30)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("cán bộ"), db_index=False)
    officer_name = models.CharField(_("tên cán bộ"), max_length=200, blank=True)
    unit = models.ForeignKey("catalog.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị"), db_index=False)  # (unit, ended_at) below
    level = models.CharField(_("cấp"), max_length=10, blank=True)
    started_at = models.DateTimeField(_("bắt đầu"))
    ended_at = models.DateTimeField(_("kết thúc"))
    worked_seconds = models.FloatField(_("thời gian làm việc (giây)"))
    allowed_seconds = models.FloatField(_("thời gian được phân bổ (giây)"))
    late = models.BooleanField(_("quá thời gian của bước"), default=False)
    unexplained = models.BooleanField(_("từ chối không nêu lý do"), default=False)

    class Meta:
        verbose_name = _("bước xử lý của cán bộ")
        verbose_name_plural = pgettext_lazy("số nhiều", "bước xử lý của cán bộ")
        unique_together = [("dossier", "seq")]
        indexes = [models.Index(fields=["unit", "ended_at"], name="step_unit_ended")]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.kind}"


class Inspection(models.Model):
    """An inspection of a unit's work over a period: opened, findings noted, closed. Closed,
    it changes no more; its entries are its trail."""

    class State(models.TextChoices):
        OPEN = "open", _("Đang kiểm tra")
        CLOSED = "closed", _("Đã kết thúc")

    unit = models.ForeignKey("catalog.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị được kiểm tra"))
    date_from = models.DateField(_("từ ngày"))
    date_to = models.DateField(_("đến ngày"))
    subject = models.CharField(_("nội dung kiểm tra"), max_length=300)
    unannounced = models.BooleanField(_("kiểm tra đột xuất"), default=False)
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người mở"))
    opened_at = models.DateTimeField(_("mở lúc"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("người kết thúc"))
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    conclusion = models.TextField(_("kết luận"), blank=True)

    class Meta:
        verbose_name = _("đợt kiểm tra công vụ")
        verbose_name_plural = pgettext_lazy("số nhiều", "đợt kiểm tra công vụ")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.date_from:%d/%m/%Y}–{self.date_to:%d/%m/%Y}"


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("inspection entries are append-only")

    def delete(self):
        raise PermissionError("inspection entries are append-only")


class InspectionEntry(models.Model):
    """One line of an inspection's trail: opened, a finding (against a dossier or not), closed.
    Append-only, like the dossiers' audit trail."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Mở đợt kiểm tra")
        FINDING = "finding", _("Ghi nhận")
        CLOSED = "closed", _("Kết thúc đợt kiểm tra")

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="entries", verbose_name=_("đợt kiểm tra"))
    seq = models.PositiveIntegerField(_("số thứ tự"))
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("thời điểm"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ghi"))
    author_name = models.CharField(_("người ghi"), max_length=200, blank=True)
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="inspection_entries", verbose_name=_("hồ sơ"))
    flag = models.CharField(_("dấu hiệu"), max_length=30, blank=True)
    text = models.TextField(_("nội dung"))

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ghi nhận kiểm tra")
        verbose_name_plural = pgettext_lazy("số nhiều", "ghi nhận kiểm tra")
        unique_together = [("inspection", "seq")]
        ordering = ["inspection", "seq"]

    def __str__(self) -> str:
        return f"{self.inspection_id}#{self.seq}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("inspection entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("inspection entries are append-only")
