"""A reminder for administrators: from November, next year's official calendar (days off,
swapped days, working Saturdays) must be entered before deadlines reach into it.

Only an administrator can enter it, so only administrators see it (on the workbench), with
what to do: load the decision's file with ``motcua calendar import`` or enter the days in
the admin (``docs/operators/calendar.md``). Officers who cannot act on it are not shown a
technical warning on every page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import Role


def is_administrator(user) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


def calendar_warning(request) -> dict:
    user = getattr(request, "user", None)
    if not is_administrator(user):
        return {}
    from motcua.worktime.models import CalendarDay
    from motcua.worktime.official import next_year_missing

    year = next_year_missing(CalendarDay, timezone.localdate())
    if year is None:
        return {}
    return {"calendar_warning": {"year": year, "admin_url": reverse("admin:worktime_calendarday_changelist")}}
