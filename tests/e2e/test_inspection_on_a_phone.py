"""The inspection page ``/can-bo/kiem-tra/`` (issue 20 §3) read on a 360 px phone, with the
demo officers' work behind it (``seed-demo --history``'s walked dossiers and their surveys):
nothing wider than the phone, the flags and each officer's figures — survey scores included —
in view, a number opening its dossiers; then an inspector opens an inspection, notes a
finding and reads the record. Screenshots: ``test-artifacts/phone-inspection*.png``.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/can-bo/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", "motcua-demo")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r".*/can-bo/$"))


def test_an_inspector_reads_the_officers_work_and_keeps_a_record_on_a_phone(live_server, page, screenshot):
    from django.utils import timezone

    from motcua.demo.catalog import seed_demo
    from motcua.demo.surveys import seed_surveys
    from motcua.demo.handled import seed_handled

    seed_demo()
    today = timezone.localdate()
    seed_handled(today)
    seed_surveys()
    first = (today - dt.timedelta(days=90)).isoformat()
    base = live_server.url
    sign_in(page, base, "thanhtra.yb")

    # The officers' work of the last 90 days: flags and each officer's row, nothing sideways.
    page.goto(base + f"/can-bo/kiem-tra/?unit=YB.LY.YT&ky=tuy-chon&from={first}&to={today.isoformat()}&children=0")
    screenshot(page, "phone-inspection")
    assert page.evaluate(NO_SIDEWAYS)
    assert page.locator("#flags-h").is_visible()
    assert page.locator(".headline li").first.is_visible()
    table = page.locator("table.officers")
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 3  # the commune's counter officer, specialist and leader
    specialist = table.locator("tbody tr").first  # same count each: by username, chuyenvien.yt first
    handled = specialist.locator("td a").first
    assert handled.is_visible()
    # The survey scores: the officers criterion as satisfied answers / surveys, both links.
    survey = specialist.locator("td").last
    assert re.fullmatch(r"[\d.]+/[\d.]+", survey.inner_text().strip()), survey.inner_text()
    assert survey.locator("a").count() >= 1

    # An officer's detail: steps, the five criteria of the survey, the flags.
    detail = page.locator("details.officer-detail").first
    detail.locator("summary").click()
    criteria = detail.locator("caption", has_text="Khảo sát mức độ hài lòng")
    assert criteria.is_visible()
    assert detail.locator("tr", has_text="Cán bộ, công chức giải quyết").is_visible()
    assert page.evaluate(NO_SIDEWAYS)
    screenshot(page, "phone-inspection-detail")

    # A number opens as many dossiers.
    number = int(handled.inner_text().replace(".", ""))
    handled.click()
    page.wait_for_url(re.compile(r"/can-bo/kiem-tra/ho-so/"))
    assert f"{number} hồ sơ" in page.locator("body").inner_text()
    assert page.evaluate(NO_SIDEWAYS)
    screenshot(page, "phone-inspection-dossiers")
    page.go_back()
    survey = page.locator("table.officers tbody tr").first.locator("td").last
    denominator = survey.locator("a").last
    surveyed = int(denominator.inner_text().replace(".", ""))
    denominator.click()
    page.wait_for_url(re.compile(r"figure=surveyed"))
    assert f"{surveyed} hồ sơ" in page.locator("body").inner_text()

    # An inspection record: opened, a finding against a flagged dossier, read on the phone.
    page.goto(base + f"/can-bo/kiem-tra/mo/?unit=YB.LY.YT&from={first}&to={today.isoformat()}")
    assert page.evaluate(NO_SIDEWAYS)
    page.fill("#i-subject", "Kiểm tra đột xuất việc giải quyết hồ sơ tại xã")
    page.get_by_label("Kiểm tra đột xuất").check()
    page.get_by_role("button", name="Mở đợt kiểm tra").click()
    page.wait_for_url(re.compile(r"/can-bo/kiem-tra/dot/\d+/$"))
    from motcua.dossiers.models import Dossier

    flagged = Dossier.objects.filter(unit__code="YB.LY.YT", supplement_requests__gt=1).first() or \
        Dossier.objects.filter(unit__code="YB.LY.YT").first()
    page.fill("#f-dossier", flagged.code)
    page.select_option("#f-flag", "multiple_supplements")
    page.fill("#f-text", "Hồ sơ bị yêu cầu bổ sung hai lần <b>không</b> nêu đủ một lần")
    page.get_by_role("button", name="Ghi nhận").click()
    page.wait_for_load_state()
    entry = page.locator("ol.timeline li").last
    assert flagged.code in entry.inner_text() and "<b>không</b>" in entry.inner_text()
    assert page.evaluate(NO_SIDEWAYS)
    screenshot(page, "phone-inspection-record")
