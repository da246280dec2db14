"""The report pages (CONTRACT §7): /can-bo/bao-cao/, its drill-down, /can-bo/bang-dieu-khien/."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.reports.conftest import vn

MARCH = {"ky": "tuy-chon", "from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def march(make_dossier):
    return [
        make_dossier(unit="YB.LY.YT", channel="online", received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"),
                     status="approved", resolved_at=vn("2026-03-03 10:00")),
        make_dossier(unit="YB.LY.YT", received_at=vn("2026-03-02 08:00"), due_at=vn("2026-03-04 17:00"), status="processing"),
        make_dossier(unit="YB.LY.MX", channel="postal", received_at=vn("2026-03-09 08:00"), due_at=vn("2026-03-11 17:00"),
                     status="rejected", resolved_at=vn("2026-03-11 17:01")),
    ]


def logged_in(client, username):
    from motcua.accounts.models import User

    client.force_login(User.objects.get(username=username))
    return client


def links(html: str) -> list[tuple[str, str]]:
    """(href, text) of every link in a table cell of the page."""
    return [(unescape(h), re.sub(r"<[^>]+>", "", t).strip())
            for h, t in re.findall(r'<td class="n"><a href="([^"]+)">(.*?)</a></td>', html)]


def test_every_number_of_the_report_page_links_to_as_many_dossiers(client, march):
    """Follow each link of Biểu 06 on the page: the list says the same number, and lists that many."""
    page = logged_in(client, "lanhdao.ly").get("/can-bo/bao-cao/", {"unit": "YB.LY", "children": "1", **MARCH})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Biểu số 06/VPCP/KSTT" in html and "Huyện Lục Yên" in html
    found = links(html)
    assert len(found) >= 10
    for href, text in found:
        listed = client.get(href)
        assert listed.status_code == 200, href
        body = listed.content.decode()
        number = int(text.replace(".", ""))
        assert f": {text} hồ sơ" in body, href
        assert body.count('class="code" href="/can-bo/ho-so/') == min(number, 50), href


def test_a_district_leader_opens_every_dossier_the_drill_down_lists(client, march):
    """Issue 17 §1: the report shows the district leader the communes below, and each dossier
    link of its drill-down opens (it was a 404: the dossier page used the leader's own unit)."""
    html = logged_in(client, "lanhdao.ly").get("/can-bo/bao-cao/", {"unit": "YB.LY", "children": "1", **MARCH}).content.decode()
    received = [h for h, _ in links(html) if "figure=received" in h and "field=" not in h and "procedure=" not in h]
    listed = client.get(received[0]).content.decode()
    codes = re.findall(r'class="code" href="/can-bo/ho-so/([^/]+)/"', listed)
    assert sorted(codes) == sorted(d.code for d in march)
    for code in codes:
        assert client.get(f"/can-bo/ho-so/{code}/").status_code == 200, code


def test_overdue_figure_opens_the_overdue_dossier(client, march):
    html = logged_in(client, "lanhdao.yt").get("/can-bo/bao-cao/", {"unit": "YB.LY.YT", **MARCH}).content.decode()
    overdue = [h for h, _ in links(html) if "figure=overdue" in h and "field=" not in h and "procedure=" not in h]
    assert overdue
    body = client.get(overdue[0]).content.decode()
    assert march[1].code in body and march[0].code not in body


def test_presets_choose_the_period(client, march):
    client = logged_in(client, "lanhdao.yt")
    html = client.get("/can-bo/bao-cao/", {"unit": "YB.LY.YT", "ky": "quy-1", "nam": "2026"}).content.decode()
    assert "từ 01/01/2026 đến 31/03/2026" in html
    html = client.get("/can-bo/bao-cao/", {"unit": "YB.LY.YT", "ky": "6-thang-2", "nam": "2026"}).content.decode()
    assert "từ 01/07/2026 đến 31/12/2026" in html


@pytest.mark.parametrize("params", [
    {"ky": "tuy-chon", "from": "2026-04-01", "to": "2026-03-01"},
    {"ky": "tuy-chon", "from": "not-a-date", "to": "2026-03-01"},
    {"ky": "quy-7"},
    {"nam": "abc"},
])
def test_bad_period_shows_a_message_and_the_default_period(client, march, params):
    r = logged_in(client, "lanhdao.yt").get("/can-bo/bao-cao/", {"unit": "YB.LY.YT", **params})
    assert r.status_code == 200
    assert 'class="msg error"' in r.content.decode()


def test_unit_out_of_scope_is_refused(client, march):
    client = logged_in(client, "lanhdao.yt")
    r = client.get("/can-bo/bao-cao/ho-so/", {"unit": "YB.LY.MX", "figure": "received", "from": "2026-03-01", "to": "2026-03-31"})
    assert r.status_code == 403 and "Không xem được báo cáo" in r.content.decode()
    r = client.get("/can-bo/bao-cao/", {"unit": "YB.LY.MX", **MARCH})
    assert r.status_code == 200 and "không có quyền xem báo cáo" in r.content.decode()
    r = client.get("/can-bo/bao-cao/ho-so/", {"unit": "YB.LY.YT", "figure": "bogus", "from": "2026-03-01", "to": "2026-03-31"})
    assert r.status_code == 422


def test_other_roles_and_anonymous_cannot_open_the_pages(client, march):
    assert client.get("/can-bo/bao-cao/").status_code == 302
    assert logged_in(client, "motcua.yt").get("/can-bo/bao-cao/").status_code == 403
    assert client.get("/can-bo/bang-dieu-khien/").status_code == 403


def test_csv_open_data_equals_the_json(client, api_as, march):
    import csv
    import io

    params = {"unit": "YB.LY", "children": "1", "from": "2026-03-01", "to": "2026-03-31"}
    r = logged_in(client, "lanhdao.ly").get("/can-bo/bao-cao/bieu06.csv", params)
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    total = rows[-1]
    report = api_as("lanhdao.ly").get("/reports/tthc", params).json()
    assert int(total["received"]) == report["received"]["total"]
    assert int(total["late"]) == report["resolved"]["late"] and int(total["overdue"]) == report["in_progress"]["overdue"]


def test_dashboard_shows_charts_with_their_numbers(client, march):
    r = logged_in(client, "lanhdao.ly").get("/can-bo/bang-dieu-khien/", {"unit": "YB.LY", "children": "1", **MARCH})
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count("<svg") >= 4
    assert "Bộ chỉ số 766" in html and "Tỷ lệ hồ sơ tiếp nhận trực tuyến" in html
    assert march[1].code in html  # the overdue list
    assert "http://" not in re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", html.split("<main", 1)[1])  # nothing from another host


def test_the_dashboards_overdue_is_judged_now_and_period_figures_say_their_moment(client, make_dossier):
    """Issue 17 §1: "đang quá hạn" on the dashboard listed dossiers due days later (the year's
    figure, judged at 31/12) under a label that says "now". Now it is the dossiers past due at
    this moment (``timeliness_q(OVERDUE, now)``, as the workbench's queue), and the period's
    figures say the moment they are judged at."""
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    year = timezone.localdate().year
    past_due = make_dossier(unit="YB.LY.YT", received_at=now - dt.timedelta(days=10), due_at=now - dt.timedelta(hours=1),
                            status="processing")
    due_later = make_dossier(unit="YB.LY.MX", received_at=now - dt.timedelta(hours=2), due_at=now + dt.timedelta(days=3),
                             status="received")
    paused = make_dossier(unit="YB.LY.MX", received_at=now - dt.timedelta(days=10), due_at=now - dt.timedelta(days=1),
                          status="awaiting_supplement", paused_at=now - dt.timedelta(days=2))
    client = logged_in(client, "lanhdao.ly")
    year_params = {"unit": "YB.LY", "children": "1", "ky": "nam", "nam": str(year)}
    html = client.get("/can-bo/bang-dieu-khien/", year_params).content.decode()
    overdue_now = re.search(r'<li id="overdue-now"[^>]*>(.*?)</li>', html, re.S).group(1)
    assert re.search(r'<a href="[^"]+">1</a>', overdue_now) and "đang quá hạn lúc" in overdue_now
    listed = html.split('id="overdue-list"', 1)[1].split("</section>", 1)[0]
    assert past_due.code in listed and due_later.code not in listed and paused.code not in listed
    assert f"tính đến hết ngày 31/12/{year}" in html

    page = client.get("/can-bo/bang-dieu-khien/qua-han/", {"unit": "YB.LY", "children": "1"}).content.decode()
    assert "Đang quá hạn lúc" in page and ": 1 hồ sơ" in page
    assert past_due.code in page and due_later.code not in page and paused.code not in page

    report = client.get("/can-bo/bao-cao/", year_params).content.decode()
    assert f"đang giải quyết, quá hạn tính đến hết ngày 31/12/{year}" in report
    assert "Kỳ chưa kết thúc" in report  # the year's overdue counts what is due by 31/12, and says so
