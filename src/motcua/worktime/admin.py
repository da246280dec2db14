"""Admin pages for the working calendar: calendars, their hours by period, and the yearly
days off and compensatory working days (an administrator enters the Prime Minister's
decision each year; ``motcua calendar YEAR`` prints what the system will then use)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from motcua.adminkit import LabelledTabularInline
from motcua.worktime.models import CalendarDay, WorkCalendar, WorkingHours


class YearFilter(admin.SimpleListFilter):
    """Filter the days by year (the calendar is decided year by year)."""

    title = _("năm")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            model_admin.get_queryset(request).annotate(y=ExtractYear("date"))
            .order_by("-y").values_list("y", flat=True).distinct()
        )
        return [(str(y), str(y)) for y in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


class ScopeFilter(admin.SimpleListFilter):
    """National decisions (every calendar) or one calendar's own days."""

    title = _("phạm vi")
    parameter_name = "scope"

    def lookups(self, request, model_admin):
        return [("national", _("Toàn quốc (mọi lịch)")), ("calendar", _("Riêng một lịch"))]

    def queryset(self, request, queryset):
        if self.value() == "national":
            return queryset.filter(calendar__isnull=True)
        if self.value() == "calendar":
            return queryset.filter(calendar__isnull=False)
        return queryset


class WorkingHoursInline(LabelledTabularInline):
    model = WorkingHours
    extra = 0
    fields = ("valid_from", "periods", "decision")


class CalendarDayInline(LabelledTabularInline):
    model = CalendarDay
    extra = 0
    fields = ("date", "kind", "name", "decision")
    verbose_name = _("ngày riêng của lịch này")
    verbose_name_plural = _("ngày nghỉ, ngày làm bù riêng của lịch này")


@admin.register(WorkCalendar)
class WorkCalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "hours", "is_default", "use_public_holidays", "unit_count")
    list_filter = ("is_default", "use_public_holidays")
    search_fields = ("code", "name")
    inlines = [WorkingHoursInline, CalendarDayInline]

    @admin.display(description=_("giờ làm việc"))
    def hours(self, obj: WorkCalendar) -> str:
        periods = obj.periods or [["07:30", "11:30"], ["13:00", "17:00"]]
        return ", ".join("–".join(pair) for pair in periods)

    @admin.display(description=_("số đơn vị dùng"))
    def unit_count(self, obj: WorkCalendar) -> int:
        return obj.units.count()


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name", "calendar_label", "decision")
    list_filter = (YearFilter, "kind", ScopeFilter, "calendar")
    search_fields = ("name", "decision")
    date_hierarchy = "date"
    ordering = ("-date",)
    list_select_related = ("calendar",)

    @admin.display(description=_("thứ"))
    def weekday(self, obj: CalendarDay) -> str:
        return str(WEEKDAYS[obj.date.weekday()])

    @admin.display(description=_("lịch"), ordering="calendar__name")
    def calendar_label(self, obj: CalendarDay) -> str:
        return obj.calendar.name if obj.calendar is not None else str(_("Toàn quốc"))


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    list_display = ("calendar", "valid_from", "hours", "decision")
    list_filter = ("calendar",)
    ordering = ("calendar", "-valid_from")

    @admin.display(description=_("giờ làm việc"))
    def hours(self, obj: WorkingHours) -> str:
        return ", ".join("–".join(pair) for pair in obj.periods or [])


WEEKDAYS = (_("Thứ Hai"), _("Thứ Ba"), _("Thứ Tư"), _("Thứ Năm"), _("Thứ Sáu"), _("Thứ Bảy"), _("Chủ nhật"))
