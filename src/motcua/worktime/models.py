"""Stored parts of the working calendar: working hours per calendar, and yearly overrides.

Public holidays come from the ``holidays`` package; what an administrator enters here
(the Prime Minister's yearly decision on Tết and Quốc khánh days, swapped days,
compensatory working Saturdays, extra days off) overrides it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.worktime.calendar import CalendarError, check_periods


def parse_periods(value) -> tuple[tuple[dt.time, dt.time], ...]:
    """``[["07:30", "11:30"], ["13:00", "17:00"]]`` as pairs of times.

    Raises ``ValidationError`` (with a Vietnamese message) when the value is not a
    non-empty list of ``["HH:MM", "HH:MM"]`` pairs, increasing and not overlapping.
    """
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Cần ít nhất một khoảng giờ làm việc, ví dụ [[\"07:30\", \"11:30\"]]."))
    periods = []
    for pair in value:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise ValidationError(_("Mỗi khoảng giờ là một cặp [\"HH:MM\", \"HH:MM\"]."))
        try:
            periods.append(tuple(dt.time.fromisoformat(x.strip()) for x in pair))
        except ValueError:
            raise ValidationError(_("Giờ không hợp lệ: %(pair)s (cần dạng HH:MM)."), params={"pair": " – ".join(pair)}) from None
    try:
        return check_periods(periods)
    except CalendarError:
        raise ValidationError(_("Các khoảng giờ phải tăng dần và không chồng lên nhau.")) from None


def _validate_periods(value):
    """A calendar's hours: empty means the default hours (07:30–11:30, 13:00–17:00)."""
    if value != []:
        parse_periods(value)


def _validate_required_periods(value):
    parse_periods(value)


class WorkCalendar(models.Model):
    """A named working calendar; a unit without one uses the default."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    periods = models.JSONField(
        _("giờ làm việc"), default=list, blank=True, validators=[_validate_periods],
        help_text=_('Các khoảng giờ làm việc trong ngày, ví dụ [["07:30", "11:30"], ["13:00", "17:00"]]; '
                    'để trống: giờ hành chính mặc định. Để đổi giờ làm việc từ một ngày (không sửa lịch cũ), thêm “giờ làm việc theo thời kỳ”.'),
    )
    is_default = models.BooleanField(_("mặc định"), default=False)
    use_public_holidays = models.BooleanField(
        _("tính ngày lễ theo luật"), default=True,
        help_text=_("Ngày lễ, Tết theo Bộ luật Lao động 2019, Điều 112 (gồm Tết Âm lịch)."),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("lịch làm việc")
        verbose_name_plural = pgettext_lazy("số nhiều", "lịch làm việc")

    def __str__(self) -> str:
        return self.name


class WorkingHours(models.Model):
    """Working hours of a calendar from a date on (until the next row's ``valid_from``).

    Before the first row the calendar's own ``periods`` hold, so dossiers received before
    a change of hours keep the deadlines of their time.
    """

    calendar = models.ForeignKey(WorkCalendar, on_delete=models.CASCADE, related_name="working_hours",
                                 verbose_name=_("lịch làm việc"))
    valid_from = models.DateField(_("áp dụng từ ngày"))
    periods = models.JSONField(
        _("giờ làm việc"), validators=[_validate_required_periods],
        help_text=_('Ví dụ [["07:00", "11:30"], ["13:30", "17:00"]].'),
    )
    decision = models.CharField(_("căn cứ"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["calendar", "valid_from"]
        verbose_name = _("giờ làm việc theo thời kỳ")
        verbose_name_plural = pgettext_lazy("số nhiều", "giờ làm việc theo thời kỳ")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "valid_from"], name="working_hours_once_a_day"),
        ]

    def __str__(self) -> str:
        hours = ", ".join("–".join(pair) for pair in self.periods or [])
        return f"{self.valid_from:%d/%m/%Y}: {hours}"


class DayKind(models.TextChoices):
    OFF = "off", _("Ngày nghỉ")
    WORKING = "working", _("Ngày làm việc")


class CalendarDay(models.Model):
    """One date's override: a day off (holiday, swapped day) or a working day (e.g. a Saturday).

    ``calendar`` empty: the override applies to every calendar (a national decision).
    """

    calendar = models.ForeignKey(
        WorkCalendar, null=True, blank=True, on_delete=models.CASCADE, related_name="days",
        verbose_name=_("lịch làm việc"), help_text=_("Để trống: áp dụng cho mọi lịch (quyết định toàn quốc)."),
    )
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("tên, lý do"), max_length=200)
    decision = models.CharField(_("căn cứ"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = pgettext_lazy("số nhiều", "ngày nghỉ, ngày làm bù")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="calendar_day_once"),
            models.UniqueConstraint(fields=["date"], condition=models.Q(calendar__isnull=True), name="national_day_once"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.name}"
