"""What an administrator sees: the admin pages of the calendar and ``motcua calendar YEAR``."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from motcua.catalog.models import Unit
from motcua.worktime.models import CalendarDay, WorkCalendar, WorkingHours


def run_calendar(*args) -> str:
    out = io.StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_calendar_command_lists_the_2026_days_off_and_working_saturdays(demo):
    """Domain file 2026: weekdays off 1/1, 2/1, 16–20/2, 27/4, 30/4, 1/5, 31/8, 1/9, 2/9;
    working Saturdays 10/1, 22/8 (thanhnien.vn 13/10/2025, 13/01/2026; 24h.com.vn)."""
    text = run_calendar("2026", "--unit", "YB.LY.YT")
    assert "Thị trấn Yên Thế (YB.LY.YT)" in text
    assert "07:30–11:30, 13:00–17:00" in text
    for day in ["01/01", "02/01", "16/02", "17/02", "18/02", "19/02", "20/02", "27/04", "30/04", "01/05",
                "31/08", "01/09", "02/09"]:
        assert f"{day}/2026" in text
    days_off, extra = text.split("extra working days")
    assert "Thứ Bảy   10/01/2026  Làm việc bù cho ngày 02/01" in extra
    assert "22/08/2026" in extra
    assert "10/01/2026" not in days_off
    assert "Tết Nguyên đán Bính Ngọ (mùng 1)" in days_off
    weekdays_listed = {line.split()[0] + " " + line.split()[1] for line in days_off.splitlines() if line.startswith("  ")}
    assert weekdays_listed <= {"Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu"}  # only weekdays are days off


def test_calendar_command_shows_a_units_own_hours_and_their_changes(demo):
    cal = WorkCalendar.objects.create(code="khac", name="Giờ làm việc khác", periods=[["07:00", "11:30"], ["13:30", "17:00"]])
    WorkingHours.objects.create(calendar=cal, valid_from=dt.date(2026, 6, 1), periods=[["07:30", "11:30"], ["13:30", "17:30"]])
    Unit.objects.filter(code="LC").update(calendar=cal)
    text = run_calendar("2026", "--unit", "LC.NN.NM")
    assert "Giờ làm việc khác" in text
    assert "đầu năm): 07:00–11:30, 13:30–17:00" in text
    assert "từ 01/06/2026): 07:30–11:30, 13:30–17:30" in text


def test_calendar_command_refuses_an_unknown_unit_or_a_bad_year(demo):
    with pytest.raises(CommandError, match="unknown unit"):
        run_calendar("2026", "--unit", "KHONG.CO")
    with pytest.raises(CommandError, match="invalid year"):
        run_calendar("năm sau")


@pytest.fixture
def admin_client(client, demo):
    from motcua.accounts.models import User

    client.force_login(User.objects.get(username="admin"))
    return client


def test_admin_lists_days_by_year_and_kind_in_vietnamese(admin_client):
    page = admin_client.get("/admin/worktime/calendarday/", {"year": "2026", "kind__exact": "working"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Làm việc bù cho ngày 02/01" in html
    assert "Tết Nguyên đán" not in html  # a day off, filtered out
    assert "Ngày làm việc" in html and "năm" in html
    everything = admin_client.get("/admin/worktime/calendarday/", {"year": "2026"}).content.decode()
    assert "Tết Nguyên đán Bính Ngọ (mùng 1)" in everything
    assert admin_client.get("/admin/worktime/calendarday/", {"year": "1999"}).status_code == 200


def test_admin_shows_a_calendar_with_its_hours_by_period(admin_client):
    cal = WorkCalendar.objects.get(is_default=True)
    assert admin_client.get("/admin/worktime/workcalendar/").status_code == 200
    page = admin_client.get(f"/admin/worktime/workcalendar/{cal.pk}/change/")
    assert page.status_code == 200
    assert "giờ làm việc theo thời kỳ" in page.content.decode().lower()


def test_admin_refuses_a_second_national_decision_for_the_same_date(admin_client):
    response = admin_client.post("/admin/worktime/calendarday/add/", {
        "date": "2026-01-01", "kind": "working", "name": "Trùng",
    })
    assert response.status_code == 200  # the form again, with an error
    assert CalendarDay.objects.filter(date=dt.date(2026, 1, 1), calendar__isnull=True).count() == 1
