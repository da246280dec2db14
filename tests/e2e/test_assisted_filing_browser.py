"""Assisted online filing (issue 8 §6), in headless Chromium: at the counter, an officer
starts an online dossier for a citizen, naming the citizen's account by the phone number
the citizen logs in with; on the citizen's own phone (360 × 740) the dossier is in "Hồ sơ
của tôi", online, and its first event names the officer who helped. Screenshots:
``test-artifacts/assisted-*.png``."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_office_journey import officer, status_of  # noqa: F401  (the officer's browser)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
PASSWORD = "ngo-lua-nuong-2026"


def start_marital_status_intake(counter, base: str) -> None:
    """The counter's intake form with marital-status confirmation chosen and its mandatory papers ticked."""
    counter.goto(base + "/can-bo/tiep-nhan/")
    counter.fill("#id_q", "tinh trang hon nhan")
    counter.locator("#procedure-choices input[value='1.004873']").check()
    counter.locator("#due-preview .due").wait_for()
    for box in counter.locator("#preview-1\\.004873 li:has(.badge.must) input[name=papers]").all():
        box.check()


def test_an_officer_files_online_for_a_citizen_who_then_sees_it(live_server, officer, page, screenshot):  # noqa: F811
    from playwright.sync_api import expect

    from motcua.accounts.models import Role, User
    from motcua.demo.catalog import seed_demo
    from motcua.dossiers.models import Dossier

    seed_demo()
    citizen = User.objects.create_user("cd-8a1f", password=PASSWORD, role=Role.CITIZEN, full_name="Lò Thị Mỷ",
                                       phone="0912000874")
    base = live_server.url

    counter = officer("motcua.yt")
    start_marital_status_intake(counter, base)
    counter.fill("#id_full_name", "Lò Thị Mỷ")
    counter.fill("#id_id_number", "015190000874")
    counter.fill("#id_phone", "0912000874")
    counter.fill("#id_address", "Bản Khau Lình, thị trấn Yên Thế")
    counter.fill("#id_owner", "0912 000 874")  # what the citizen logs in with, not an internal username
    screenshot(counter, "assisted-1-counter")
    counter.locator("#save-intake").click()
    counter.wait_for_url(re.compile(r".*/can-bo/ho-so/[^/]+/$"))
    code = counter.locator("h1 .code").inner_text()
    assert status_of(counter) == "submitted"
    dossier = Dossier.objects.get(code=code)
    assert dossier.owner == citizen and dossier.channel == "online" and dossier.created_by.username == "motcua.yt"
    first = dossier.events.order_by("seq").first()
    assert first.action == "submit" and first.actor.username == "motcua.yt"
    assert first.changes["assisted_by"] == "motcua.yt"
    screenshot(counter, "assisted-2-office-dossier")

    # The citizen, on their own phone.
    page.goto(base + "/tai-khoan/dang-nhap/")
    page.get_by_label("Số điện thoại, thư điện tử hoặc tên đăng nhập").fill("0912000874")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_url(re.compile(r"/tai-khoan/$"))
    page.get_by_role("link", name="Hồ sơ của tôi").first.click()
    page.wait_for_url(re.compile(r"/ho-so-cua-toi/$"))
    row = page.locator(".dossier-row", has_text=code)
    expect(row).to_contain_text("Cấp Giấy xác nhận tình trạng hôn nhân")
    expect(row).to_contain_text("Mới đăng ký")
    expect(row).to_contain_text("Chờ Bộ phận Một cửa kiểm tra và tiếp nhận hồ sơ.")
    assert page.evaluate(NO_SIDEWAYS)
    screenshot(page, "assisted-3-my-dossiers-360")
    row.get_by_role("link", name=code).click()
    page.wait_for_url(re.compile(rf"/ho-so-cua-toi/{re.escape(code)}/$"))
    first_event = page.locator(".timeline li").first
    expect(first_event).to_contain_text("Hồ sơ đã được gửi trực tuyến")
    expect(first_event).to_contain_text("cán bộ Nguyễn Thị Hoa hỗ trợ nộp")
    assert page.evaluate(NO_SIDEWAYS)
    screenshot(page, "assisted-4-my-dossier-360")

    # Someone else's phone number names nobody: nothing is filed.
    before = Dossier.objects.count()
    start_marital_status_intake(counter, base)
    counter.fill("#id_full_name", "Lò Văn Tư")
    counter.fill("#id_id_number", "015190000875")
    counter.fill("#id_phone", "0912000875")
    counter.fill("#id_owner", "0912000875")
    counter.locator("#save-intake").click()
    counter.wait_for_load_state("load")
    assert "Không có tài khoản công dân" in counter.locator("main").inner_text()
    assert Dossier.objects.count() == before
