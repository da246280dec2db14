"""A leader reads the statistics in pages, on a 360 px phone: the report, "quá hạn" to its
dossiers, then the dashboard. Screenshots: test-artifacts/report-*.png."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_leader_follows_overdue_to_its_dossiers_and_opens_the_dashboard(live_server, page, screenshot):
    from motcua.demo.catalog import seed_demo
    from tests.reports.conftest import build_dossier, vn

    seed_demo()
    lookups: dict = {}
    made = []
    for day in range(2, 27):
        channel = "online" if day % 5 else "direct"
        made.append(build_dossier(unit="YB.LY.YT" if day % 2 else "YB.LY.MX", channel=channel, lookups=lookups,
                                  received_at=vn(f"2026-03-{day:02d} 08:00"), due_at=vn(f"2026-03-{min(day + 2, 31):02d} 17:00"),
                                  status="approved", resolved_at=vn(f"2026-03-{min(day + 1, 31):02d} 09:00")))
    overdue = build_dossier(unit="YB.LY.YT", lookups=lookups, received_at=vn("2026-03-20 08:00"),
                            due_at=vn("2026-03-24 17:00"), status="processing")
    made.append(overdue)
    for d in made:
        d.save()

    page.goto(live_server.url + "/can-bo/dang-nhap/")
    page.fill("#id_username", "lanhdao.ly")
    page.fill("#id_password", "motcua-demo")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r".*/can-bo/$"))
    page.get_by_role("link", name="Báo cáo").first.click()
    page.get_by_text("Đổi đơn vị, kỳ báo cáo").click()  # on a phone the form waits behind its summary
    page.select_option("#r-ky", "tuy-chon")
    page.fill("#r-from", "2026-03-01")
    page.fill("#r-to", "2026-03-31")
    page.get_by_role("button", name="Xem báo cáo").click()
    page.wait_for_load_state("load")
    assert "Biểu số 06/VPCP/KSTT" in page.content()
    screenshot(page, "report-bieu06-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1  # the tables scroll inside their box

    page.locator("ul.headline li").nth(4).get_by_role("link").click()
    page.wait_for_load_state("load")
    assert re.search(r"Đang giải quyết, quá hạn: 1 hồ sơ", page.content())
    assert page.get_by_role("link", name=overdue.code).count() == 1
    screenshot(page, "report-overdue-dossiers-360")

    page.goto(live_server.url + "/can-bo/bang-dieu-khien/?unit=YB.LY&children=1&ky=tuy-chon&from=2026-03-01&to=2026-03-31")
    assert page.locator("svg.chart").count() >= 4
    assert "Bộ chỉ số 766" in page.content()
    screenshot(page, "report-dashboard-360")
