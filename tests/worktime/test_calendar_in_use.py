"""The working calendar as units use it: the demo database, the official 2026 calendar,
administrators' overrides, per-unit hours, and the ``/calendar/due`` endpoint.

Sources of the 2026 dates: ``shared/domain/deadlines-and-calendar.md`` (public-sector
calendar approved by the Prime Minister, reported by thanhnien.vn 13/10/2025 and
13/01/2026, 24h.com.vn; statutory holidays: Bộ luật Lao động 2019, Điều 112).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from motcua.catalog.models import Procedure, Unit
from motcua.dossiers.deadlines import compute_deadline
from motcua.dossiers.intake import receive_dossier
from motcua.worktime import calendar as wt
from motcua.worktime import services
from motcua.worktime.calendar import VN_TZ, is_working_day
from motcua.worktime.models import CalendarDay, DayKind, WorkCalendar, WorkingHours
from motcua.worktime.services import build_calendar, calendar_for_unit

D = dt.date
T = dt.time


def vn(y, m, d, hh=0, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


@pytest.fixture
def commune_calendar(demo):
    return calendar_for_unit(unit("YB.LY.YT"))


# ---------------------------------------------------------------- CONTRACT §3 example

def test_contract_example_received_wednesday_before_the_may_holidays(commune_calendar):
    """CONTRACT §3: received Wed 2026-04-29 10:00 with 3 working days → 30/4 and 1/5 are
    holidays, 2–3/5 a weekend → due Wed 2026-05-06 17:00 +07:00."""
    received, due = wt.due_at(commune_calendar, vn(2026, 4, 29, 10, 0), 3, "working_days")
    assert received.isoformat() == "2026-04-29T10:00:00+07:00"
    assert due.isoformat() == "2026-05-06T17:00:00+07:00"


# ---------------------------------------------------------------- the official 2026 calendar

WEEKDAYS_OFF_2026 = [
    (D(2026, 1, 1), "Tết Dương lịch (BLLĐ 2019, Điều 112; 24h.com.vn)"),
    (D(2026, 1, 2), "nghỉ hoán đổi, làm bù thứ Bảy 10/1 (24h.com.vn)"),
    (D(2026, 2, 16), "Tết Nguyên đán Bính Ngọ, 29 tháng Chạp (thanhnien.vn, PM approval)"),
    (D(2026, 2, 17), "Tết Nguyên đán, mùng 1"),
    (D(2026, 2, 18), "Tết Nguyên đán, mùng 2"),
    (D(2026, 2, 19), "Tết Nguyên đán, mùng 3"),
    (D(2026, 2, 20), "Tết Nguyên đán, mùng 4"),
    (D(2026, 4, 27), "nghỉ bù Giỗ Tổ Hùng Vương (Sun 26/4) (thanhnien.vn 23/02/2026)"),
    (D(2026, 4, 30), "Ngày Chiến thắng (BLLĐ 2019, Điều 112)"),
    (D(2026, 5, 1), "Quốc tế lao động (BLLĐ 2019, Điều 112)"),
    (D(2026, 8, 31), "nghỉ hoán đổi, làm bù thứ Bảy 22/8 (thanhnien.vn 13/10/2025)"),
    (D(2026, 9, 1), "Quốc khánh (thanhnien.vn 13/10/2025)"),
    (D(2026, 9, 2), "Quốc khánh (BLLĐ 2019, Điều 112)"),
]


@pytest.mark.parametrize("day, why", WEEKDAYS_OFF_2026, ids=[f"{d:%d-%m}" for d, _ in WEEKDAYS_OFF_2026])
def test_every_2026_weekday_off_is_not_a_working_day(commune_calendar, day, why):
    """The 13 weekdays off of 2026 (domain file: "Weekdays off: 1/1, 2/1, 16–20/2, 27/4, 30/4,
    1/5, 31/8, 1/9, 2/9"; sources in the module docstring)."""
    assert day.weekday() < 5, why
    assert not is_working_day(commune_calendar, day), why


@pytest.mark.parametrize("day", [D(2026, 1, 10), D(2026, 8, 22)], ids=["10-01", "22-08"])
def test_every_2026_compensatory_saturday_is_a_working_day(commune_calendar, day):
    """Working Saturdays 10/1 (for 2/1; 24h.com.vn) and 22/8 (for 31/8; thanhnien.vn
    13/10/2025), domain file "Working Saturdays: 10/1, 22/8"."""
    assert day.weekday() == 5
    assert is_working_day(commune_calendar, day)
    # A dossier received on Friday 9/1 afternoon with 1 working day is due that Saturday.
    assert wt.due_at(commune_calendar, vn(2026, 1, 9, 14, 0), 1, "working_days")[1] == vn(2026, 1, 10, 17, 0)


def test_the_official_days_come_with_their_names_and_decisions(demo):
    """Each 2026 override is stored as a national decision an administrator can check."""
    days = {d.date: d for d in CalendarDay.objects.filter(calendar__isnull=True, date__year=2026)}
    assert {d for d, _ in WEEKDAYS_OFF_2026} | {D(2026, 1, 10), D(2026, 8, 22)} <= set(days)
    assert days[D(2026, 1, 10)].kind == DayKind.WORKING
    assert "Tết" in days[D(2026, 2, 17)].name
    assert all(day.decision for day in days.values())


def test_tet_binh_ngo_2026_is_one_closed_stretch_from_saturday_14_to_sunday_22_february(commune_calendar):
    """Tết Nguyên đán Bính Ngọ: 9 days off Sat 14/2 – Sun 22/2/2026 (27 Chạp – mùng 6),
    statutory Mon 16/2 – Fri 20/2 (domain file; thanhnien.vn tet-binh-ngo-nghi-9-ngay-lien-tuc)."""
    closed = [D(2026, 2, 14) + dt.timedelta(days=i) for i in range(9)]
    assert not any(is_working_day(commune_calendar, day) for day in closed)
    assert is_working_day(commune_calendar, D(2026, 2, 13))
    assert is_working_day(commune_calendar, D(2026, 2, 23))
    # Received on the eve of the break: one working day later is Monday 23/2.
    assert wt.due_at(commune_calendar, vn(2026, 2, 13, 9, 0), 1, "working_days")[1] == vn(2026, 2, 23, 17, 0)
    # Submitted online during Tết: counted from the first morning after.
    assert wt.effective_receipt(commune_calendar, vn(2026, 2, 17, 10, 0)) == vn(2026, 2, 23, 7, 30)


def test_lunar_holidays_of_other_years_come_from_the_holidays_package(commune_calendar):
    """Bộ luật Lao động 2019, Điều 112: Tết Âm lịch and Giỗ Tổ (10/3 âm lịch) move with the
    lunar calendar; without an override the ``holidays`` package supplies them."""
    assert not is_working_day(commune_calendar, D(2027, 2, 9))  # mùng 4 Tết Đinh Mùi
    assert not is_working_day(commune_calendar, D(2027, 4, 16))  # Giỗ Tổ 2027 (Friday)
    assert not is_working_day(commune_calendar, D(2025, 1, 29))  # mùng 1 Tết Ất Tỵ
    # 2025: Fri 2/5 off, swapped with Sat 26/4 worked (both from the package's swap).
    assert not is_working_day(commune_calendar, D(2025, 5, 2))
    assert is_working_day(commune_calendar, D(2025, 4, 26))


# ---------------------------------------------------------------- receipt rules with real procedures

def test_received_after_the_15h_cutoff_counts_from_the_next_working_day(demo):
    """Đăng ký khai sinh: "nhận hồ sơ sau 15 giờ mà không giải quyết được ngay thì trả kết quả
    trong ngày làm việc tiếp theo" (domain file, hộ tịch; chauphu.angiang.gov.vn TTHC list)."""
    birth = Procedure.objects.get(code="1.001193")
    assert birth.cutoff_time == T(15, 0)
    commune = unit("YB.LY.YT")
    late = compute_deadline(birth, commune, vn(2026, 3, 4, 15, 30))
    assert (late.received_at, late.due_at) == (vn(2026, 3, 5, 7, 30), vn(2026, 3, 5, 17, 0))
    early = compute_deadline(birth, commune, vn(2026, 3, 4, 14, 45))
    assert (early.received_at, early.due_at) == (vn(2026, 3, 4, 14, 45), vn(2026, 3, 4, 17, 0))
    # Thursday 30/4 is a holiday: a Wednesday 29/4 16:00 arrival waits for Monday 4/5.
    holiday = compute_deadline(birth, commune, vn(2026, 4, 29, 16, 0))
    assert holiday.due_at == vn(2026, 5, 4, 17, 0)


def test_procedures_without_cutoff_take_the_whole_afternoon(demo):
    """The cut-off belongs to the procedure, not the office (CONTRACT §3)."""
    marriage_status = Procedure.objects.get(code="1.004873")
    assert marriage_status.cutoff_time is None
    deadline = compute_deadline(marriage_status, unit("YB.LY.YT"), vn(2026, 3, 4, 15, 30))
    assert deadline.received_at == vn(2026, 3, 4, 15, 30)


def test_online_dossier_sent_on_a_sunday_counts_from_monday_morning(demo):
    """CONTRACT §3: received outside working hours → the start of the next working day; an
    online dossier's receipt time is its submission's effective receipt."""
    from motcua.accounts.models import User

    dossier = receive_dossier(
        actor=User.objects.get(username="congdan"), procedure_code="1.004873", unit_code="YB.LY.YT",
        channel="online", applicant={"full_name": "Nguyễn Văn An", "id_number": "001090012345", "phone": "0912345678"},
        arrived_at=vn(2026, 3, 8, 21, 15),  # Sunday evening
    )
    assert dossier.received_at == vn(2026, 3, 9, 7, 30)
    assert dossier.due_at == vn(2026, 3, 12, 17, 0)  # 3 working days: Tue, Wed, Thu
    assert dossier.code.split("-")[1] == "260309"  # numbered on the day it counts as received


def test_online_dossier_sent_after_closing_counts_from_the_next_morning(commune_calendar):
    assert wt.effective_receipt(commune_calendar, vn(2026, 3, 4, 17, 0)) == vn(2026, 3, 5, 7, 30)
    assert wt.effective_receipt(commune_calendar, vn(2026, 3, 4, 23, 59)) == vn(2026, 3, 5, 7, 30)
    # Friday evening before a working Saturday: the Saturday.
    assert wt.effective_receipt(commune_calendar, vn(2026, 8, 21, 19, 0)) == vn(2026, 8, 22, 7, 30)


def test_a_lunch_break_arrival_counts_from_13h(commune_calendar):
    received, due = wt.due_at(commune_calendar, vn(2026, 3, 4, 12, 10), 2, "working_days")
    assert received == vn(2026, 3, 4, 13, 0)
    assert due == vn(2026, 3, 6, 17, 0)


# ---------------------------------------------------------------- administrators' overrides

def test_an_override_entered_in_the_admin_takes_effect_at_once(demo, client):
    """The calendar is yearly data entered by an administrator (BLLĐ 2019, Điều 112(3): the
    PM fixes the days each year; domain file)."""
    from motcua.accounts.models import User

    commune = unit("YB.LY.YT")
    friday = D(2026, 3, 6)
    assert is_working_day(calendar_for_unit(commune), friday)  # cached now
    client.force_login(User.objects.get(username="admin"))
    response = client.post("/admin/worktime/calendarday/add/", {
        "date": "2026-03-06", "kind": "off", "name": "Nghỉ đột xuất (thử nghiệm)", "decision": "QĐ thử",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not is_working_day(calendar_for_unit(commune), friday)
    # A working Sunday entered the same way.
    client.post("/admin/worktime/calendarday/add/", {"date": "2026-03-08", "kind": "working", "name": "Làm bù"})
    cal = calendar_for_unit(commune)
    assert is_working_day(cal, D(2026, 3, 8))
    assert wt.due_at(cal, vn(2026, 3, 5, 9, 0), 1, "working_days")[1] == vn(2026, 3, 8, 17, 0)
    # Deleting it restores the week.
    row = CalendarDay.objects.get(date=D(2026, 3, 6), calendar__isnull=True)
    client.post(f"/admin/worktime/calendarday/{row.pk}/delete/", {"post": "yes"})
    assert is_working_day(calendar_for_unit(commune), friday)


def test_an_override_written_by_another_process_is_seen_after_the_cache_period(demo, monkeypatch):
    """Several server processes agree without shared memory: a row deleted behind this
    process's back (no signal here) is noticed once the short cache period ends."""
    commune = unit("YB.LY.YT")
    assert not is_working_day(calendar_for_unit(commune), D(2026, 8, 31))
    table = CalendarDay._meta.db_table
    with connection.cursor() as cursor:  # another process: no signals reach this one
        cursor.execute(f"DELETE FROM {table} WHERE calendar_id IS NULL AND date = %s", [D(2026, 8, 31)])
        cursor.execute(f"DELETE FROM {table} WHERE calendar_id IS NULL AND date = %s", [D(2026, 1, 2)])
    monkeypatch.setattr(services, "_CACHE_SECONDS", 0.0)
    cal = calendar_for_unit(commune)
    assert is_working_day(cal, D(2026, 1, 2))  # no package holiday behind this swap
    # 31/8 stays off: the holidays package knows that swap too.
    assert not is_working_day(cal, D(2026, 8, 31))


def test_a_calendars_own_override_beats_the_national_one(demo):
    local = WorkCalendar.objects.create(code="yb-ly", name="Huyện Lục Yên", periods=[])
    CalendarDay.objects.create(calendar=local, date=D(2026, 1, 2), kind=DayKind.WORKING, name="Trực tiếp nhận hồ sơ")
    Unit.objects.filter(code="YB.LY").update(calendar=local)
    services.clear_cache()
    assert is_working_day(calendar_for_unit(unit("YB.LY.YT")), D(2026, 1, 2))
    assert not is_working_day(calendar_for_unit(unit("LC.NN.NM")), D(2026, 1, 2))


# ---------------------------------------------------------------- per-unit hours

@pytest.fixture
def thanh_hoa_hours(demo):
    """07:00–11:30, 13:30–17:00 (domain file: Thanh Hóa practice, HuanVu201 CaculateTime.cs),
    given to the district YB.LY."""
    cal = WorkCalendar.objects.create(code="khac", name="Giờ làm việc khác",
                                      periods=[["07:00", "11:30"], ["13:30", "17:00"]])
    district = unit("YB.LY")
    district.calendar = cal
    district.save()
    return cal


@pytest.mark.parametrize("code", ["YB.LY", "YB.LY.YT", "YB.LY.MX"])
def test_a_unit_calendar_with_other_hours_serves_the_unit_and_its_descendants(thanh_hoa_hours, code):
    cal = calendar_for_unit(unit(code))
    assert wt.effective_receipt(cal, vn(2026, 3, 4, 7, 10)) == vn(2026, 3, 4, 7, 10)
    assert wt.effective_receipt(cal, vn(2026, 3, 4, 13, 10)) == vn(2026, 3, 4, 13, 30)
    # The national days off still hold.
    assert not is_working_day(cal, D(2026, 9, 2))


@pytest.mark.parametrize("code", ["YB", "LC.NN.NM", "LC.TP"])
def test_other_units_keep_the_default_hours(thanh_hoa_hours, code):
    cal = calendar_for_unit(unit(code))
    assert wt.effective_receipt(cal, vn(2026, 3, 4, 7, 10)) == vn(2026, 3, 4, 7, 30)
    assert wt.effective_receipt(cal, vn(2026, 3, 4, 13, 10)) == vn(2026, 3, 4, 13, 10)


def test_the_due_endpoint_uses_the_units_hours(thanh_hoa_hours, api):
    r = api.get("/calendar/due", {"start": "2026-03-04T12:00:00+07:00", "working_days": 0, "unit": "YB.LY.MX"})
    assert r.status_code == 200, r.content
    assert r.json()["received_at"] == "2026-03-04T13:30:00+07:00"


def test_working_hours_changed_from_a_date_leave_older_dossiers_alone(thanh_hoa_hours):
    """Rules carry effective dates: from 1/6/2026 the district opens at 07:30 and closes at
    17:30; dossiers before that keep the hours of their time."""
    WorkingHours.objects.create(calendar=thanh_hoa_hours, valid_from=D(2026, 6, 1),
                                periods=[["07:30", "11:30"], ["13:30", "17:30"]])
    cal = calendar_for_unit(unit("YB.LY.YT"))
    assert wt.due_at(cal, vn(2026, 5, 27, 7, 10), 1, "working_days") == (vn(2026, 5, 27, 7, 10), vn(2026, 5, 28, 17, 0))
    assert wt.due_at(cal, vn(2026, 6, 3, 7, 10), 1, "working_days") == (vn(2026, 6, 3, 7, 30), vn(2026, 6, 4, 17, 30))
    # A dossier due across the change: received Fri 29/5, 1 working day → Mon 1/6 17:30.
    assert wt.due_at(cal, vn(2026, 5, 29, 9, 0), 1, "working_days")[1] == vn(2026, 6, 1, 17, 30)


def test_invalid_hours_cannot_be_stored_through_validation(demo):
    from django.core.exceptions import ValidationError

    bad = WorkCalendar(code="sai", name="Sai", periods=[["13:00", "17:00"], ["07:30", "11:30"]])
    with pytest.raises(ValidationError):
        bad.full_clean()
    with pytest.raises(ValidationError):
        WorkCalendar(code="sai2", name="Sai", periods=[["25:00", "26:00"]]).full_clean()
    WorkCalendar(code="rong", name="Mặc định", periods=[]).full_clean()  # empty: the default hours


def test_a_calendar_without_public_holidays_keeps_only_the_entered_days(demo):
    bare = WorkCalendar.objects.create(code="bare", name="Không ngày lễ", use_public_holidays=False)
    cal = build_calendar(bare)
    assert is_working_day(cal, D(2027, 2, 9))  # Tết 2027 from the package: not used
    assert not is_working_day(cal, D(2026, 2, 17))  # the national override still is


# ---------------------------------------------------------------- GET /api/v1/calendar/due

def test_due_endpoint_without_procedure(api, demo):
    """CONTRACT §2/§3: ``{"received_at", "due_at"}`` by the unit's calendar."""
    r = api.get("/calendar/due", {"start": "2026-04-29T10:00:00+07:00", "working_days": 3, "unit": "LC.NN.NM"})
    assert r.status_code == 200, r.content
    assert r.json()["received_at"] == "2026-04-29T10:00:00+07:00"
    assert r.json()["due_at"] == "2026-05-06T17:00:00+07:00"


def test_due_endpoint_with_a_procedure_applies_its_cutoff(api, demo):
    """CONTRACT §3: the procedure's same-day cut-off (Đăng ký khai sinh, 15:00)."""
    params = {"start": "2026-03-04T15:30:00+07:00", "working_days": 0, "unit": "YB.LY.YT"}
    without = api.get("/calendar/due", params).json()
    assert without["received_at"] == "2026-03-04T15:30:00+07:00"
    assert without["due_at"] == "2026-03-04T17:00:00+07:00"
    r = api.get("/calendar/due", {**params, "procedure": "1.001193"})
    assert r.status_code == 200, r.content
    assert r.json()["received_at"] == "2026-03-05T07:30:00+07:00"
    assert r.json()["due_at"] == "2026-03-05T17:00:00+07:00"


def test_due_endpoint_reads_times_in_other_zones_and_answers_in_vietnam_time(api, demo):
    r = api.get("/calendar/due", {"start": "2026-03-08T01:00:00Z", "working_days": 1, "unit": "YB.LY.YT"})
    assert r.status_code == 200, r.content
    assert r.json()["received_at"] == "2026-03-09T07:30:00+07:00"  # Sunday 08:00 in Hà Nội
    assert r.json()["due_at"] == "2026-03-10T17:00:00+07:00"


def test_due_endpoint_bad_start_is_a_422_with_the_error_body(api, demo):
    r = api.get("/calendar/due", {"start": "hôm qua", "working_days": 3, "unit": "YB.LY.YT"})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] and error["message"]
    assert any("start" in path for path in error["fields"])


def test_due_endpoint_negative_days_is_a_422(api, demo):
    r = api.get("/calendar/due", {"start": "2026-03-04T09:00:00+07:00", "working_days": -1, "unit": "YB.LY.YT"})
    assert r.status_code == 422
    assert any("working_days" in path for path in r.json()["error"]["fields"])


def test_due_endpoint_unknown_unit_is_a_404_with_the_error_body(api, demo):
    r = api.get("/calendar/due", {"start": "2026-03-04T09:00:00+07:00", "working_days": 3, "unit": "KHONG.CO"})
    assert r.status_code == 404
    error = r.json()["error"]
    assert error["code"] == "unit_not_found"
    assert error["message"]
    assert "unit" in error["fields"]


def test_due_endpoint_unknown_procedure_is_a_404(api, demo):
    r = api.get("/calendar/due", {"start": "2026-03-04T09:00:00+07:00", "working_days": 3, "unit": "YB.LY.YT",
                                  "procedure": "0.000000"})
    assert r.status_code == 404
    assert "procedure" in r.json()["error"]["fields"]
