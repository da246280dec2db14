"""Stored parts of the working calendar: working hours per calendar, and yearly overrides.

Public holidays come from the ``holidays`` package; what an administrator enters here
(the Prime Minister's yearly decision on Tết and Quốc khánh days, swapped days,
compensatory working Saturdays, extra days off) overrides it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def _validate_periods(value):
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Cần ít nhất một khoảng giờ làm việc, ví dụ [[\"07:30\", \"11:30\"]]."))
    for pair in value:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise ValidationError(_("Mỗi khoảng giờ là một cặp [\"HH:MM\", \"HH:MM\"]."))


class WorkCalendar(models.Model):
    """A named working calendar; a unit without one uses the default."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    periods = models.JSONField(
        _("giờ làm việc"), default=list, validators=[_validate_periods],
        help_text=_('Các khoảng giờ làm việc trong ngày, ví dụ [["07:30", "11:30"], ["13:00", "17:00"]].'),
    )
    is_default = models.BooleanField(_("mặc định"), default=False)
    use_public_holidays = models.BooleanField(
        _("tính ngày lễ theo luật"), default=True,
        help_text=_("Ngày lễ, Tết theo Bộ luật Lao động 2019, Điều 112 (gồm Tết Âm lịch)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lịch làm việc")
        verbose_name_plural = _("lịch làm việc")

    def __str__(self) -> str:
        return self.name


class DayKind(models.TextChoices):
    OFF = "off", _("Ngày nghỉ")
    WORKING = "working", _("Ngày làm việc")


class CalendarDay(models.Model):
    """One date's override: a day off (holiday, swapped day) or a working day (e.g. a Saturday).

    ``calendar`` empty: the override applies to every calendar (a national decision).
    """

    calendar = models.ForeignKey(WorkCalendar, null=True, blank=True, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("tên, lý do"), max_length=200)
    decision = models.CharField(_("căn cứ"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="calendar_day_once"),
            models.UniqueConstraint(fields=["date"], condition=models.Q(calendar__isnull=True), name="national_day_once"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.name}"
