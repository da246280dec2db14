"""`motcua calendar import FILE.json` (CONTRACT §1): a year's official decisions as data,
idempotent; the shipped 2026 file is what migrations and seed-demo load; and from November
staff pages and the admin warn while next year's decisions are missing."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from motcua.worktime.models import CalendarDay
from motcua.worktime.official import SHIPPED, next_year_missing, read_calendar_file

YEAR_2027 = {
    "format": "motcua-calendar/1", "year": 2027,
    "days": [
        {"date": "2027-01-01", "kind": "off", "name": "Tết Dương lịch", "decision": "Bộ luật Lao động 2019, Điều 112"},
        {"date": "2027-03-05", "kind": "off", "name": "Ngày nghỉ hoán đổi (ví dụ)", "decision": "Thông báo số 1/TB-BNV (ví dụ)"},
        {"date": "2027-03-13", "kind": "working", "name": "Làm việc bù cho ngày 05/3", "decision": "Thông báo số 1/TB-BNV (ví dụ)"},
    ],
}


def write(tmp_path, document, name="lich.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_the_shipped_2026_file_is_what_is_loaded(demo):
    year, days = read_calendar_file(SHIPPED / "2026.json")
    assert year == 2026 and len(days) == 15
    stored = {(d.date, d.kind) for d in CalendarDay.objects.filter(calendar=None, date__year=2026)}
    assert {(d.date, d.kind) for d in days} <= stored
    assert (dt.date(2026, 1, 10), "working") in stored and (dt.date(2026, 2, 17), "off") in stored


def test_import_is_idempotent_and_updates_a_changed_day(db, tmp_path):
    path = write(tmp_path, YEAR_2027)
    assert "3 ngày mới, 0 ngày sửa, 0 ngày giữ nguyên" in run("import", str(path))
    assert "0 ngày mới, 0 ngày sửa, 3 ngày giữ nguyên" in run("import", str(path))
    assert CalendarDay.objects.filter(date__year=2027).count() == 3
    changed = json.loads(json.dumps(YEAR_2027))
    changed["days"][1]["name"] = "Nghỉ hoán đổi, làm bù thứ Bảy 13/3"
    assert "0 ngày mới, 1 ngày sửa, 2 ngày giữ nguyên" in run("import", str(write(tmp_path, changed, "b.json")))
    assert CalendarDay.objects.get(date=dt.date(2027, 3, 5)).name == "Nghỉ hoán đổi, làm bù thứ Bảy 13/3"


def test_the_imported_days_change_due_dates(db, demo, tmp_path):
    from motcua.catalog.models import Unit
    from motcua.worktime import calendar as wt
    from motcua.worktime.services import calendar_for_unit

    unit = Unit.objects.get(code="YB.LY.YT")
    before = wt.due_at(calendar_for_unit(unit), dt.datetime(2027, 3, 4, 9, tzinfo=wt.VN_TZ), 1, "working_days", None)[1]
    run("import", str(write(tmp_path, YEAR_2027)))
    after = wt.due_at(calendar_for_unit(unit), dt.datetime(2027, 3, 4, 9, tzinfo=wt.VN_TZ), 1, "working_days", None)[1]
    assert before.date() == dt.date(2027, 3, 5) and after.date() == dt.date(2027, 3, 8)


def test_dry_run_writes_nothing(db, tmp_path):
    assert "3 ngày mới" in run("import", str(write(tmp_path, YEAR_2027)), "--dry-run")
    assert not CalendarDay.objects.filter(date__year=2027).exists()


@pytest.mark.parametrize("change, expected", [
    (lambda d: d.update(format="other"), "format"),
    (lambda d: d["days"][0].update(date="2026-12-31"), "không thuộc năm 2027"),
    (lambda d: d["days"][0].update(date="2027-02-30"), "date không hợp lệ"),
    (lambda d: d["days"][0].update(kind="holiday"), "kind"),
    (lambda d: d["days"][0].update(decision=""), "decision"),
    (lambda d: d["days"].append(dict(d["days"][0])), "lặp lại"),
    (lambda d: d["days"][2].update(date="2027-03-15"), "ngày thường"),  # a Monday cannot be a make-up working day
])
def test_a_bad_file_is_refused_whole(db, tmp_path, change, expected):
    document = json.loads(json.dumps(YEAR_2027))
    change(document)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing loaded"):
        call_command("calendar", "import", str(write(tmp_path, document)), stderr=err)
    assert expected in err.getvalue()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_cli_exit_code_and_one_line_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "motcua", "calendar", "import", str(bad)], capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "JSON không hợp lệ" in done.stderr


@pytest.mark.parametrize("today, entered, missing", [
    (dt.date(2026, 10, 31), False, None),   # before November: no reminder yet
    (dt.date(2026, 11, 1), False, 2027),
    (dt.date(2026, 12, 31), False, 2027),
    (dt.date(2026, 11, 15), True, None),
])
def test_next_year_missing(db, today, entered, missing):
    if entered:
        CalendarDay.objects.create(calendar=None, date=dt.date(2027, 1, 1), kind="off", name="Tết", decision="BLLĐ")
    assert next_year_missing(CalendarDay, today) == missing


def test_the_workbench_warns_administrators_only_and_says_what_to_do(client, demo, tmp_path, monkeypatch):
    """Issue 17 §1: counter officers, specialists, leaders and inspectors cannot enter the
    calendar, so they are not shown the warning; an administrator is, with the command and
    the admin page that fix it, until next year's decisions are entered."""
    from django.utils import timezone

    from motcua.accounts.models import User

    today = dt.date(2026, 11, 20)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    CalendarDay.objects.filter(calendar=None, date__year=2027).delete()
    for username in ("motcua.yt", "chuyenvien.yt", "lanhdao.yt", "thanhtra.yb"):
        client.force_login(User.objects.get(username=username))
        page = client.get("/can-bo/").content.decode()
        assert 'id="calendar-warning"' not in page and "calendar import" not in page, username
    client.force_login(User.objects.get(username="admin"))
    page = client.get("/can-bo/").content.decode()
    assert 'id="calendar-warning"' in page
    assert "Chưa nhập lịch nghỉ, ngày làm bù năm 2027." in page
    assert "motcua calendar import lich-2027.json" in page
    assert 'href="/admin/worktime/calendarday/"' in page
    document = json.loads(json.dumps(YEAR_2027))
    document["days"] = document["days"][:2]
    run("import", str(write(tmp_path, document)))
    assert 'id="calendar-warning"' not in client.get("/can-bo/").content.decode()