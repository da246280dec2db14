"""A reminder for staff pages and the admin: from November, next year's official calendar
(days off, swapped days, working Saturdays) must be entered before deadlines reach into it."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _


def calendar_warning(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not (user.is_staff or user.is_superuser or user.is_officer):
        return {}
    from motcua.worktime.models import CalendarDay
    from motcua.worktime.official import next_year_missing

    year = next_year_missing(CalendarDay, timezone.localdate())
    if year is None:
        return {}
    return {"calendar_warning": _(
        "Chưa nhập lịch nghỉ, ngày làm bù năm %(year)s theo quyết định của Thủ tướng Chính phủ: hạn giải quyết "
        "rơi vào năm %(year)s đang tính theo ngày lễ luật định. Quản trị viên nạp bằng “motcua calendar import” "
        "hoặc nhập trong trang Quản trị."
    ) % {"year": year}}
