"""A citizen on a 360 × 740 phone, in Chromium without help: signs up with an e-mail address,
opens the verification link that arrived through a real SMTP server (aiosmtpd), confirms it,
logs in and finds the profile; screenshots in test-artifacts/."""

from __future__ import annotations

import re

import pytest

from tests.notifications import smtp_server
from tests.notifications.conftest import point_mail_at

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def test_sign_up_verify_the_email_and_log_in_on_a_phone(live_server, page, screenshot, settings):
    from allauth.account.models import EmailAddress

    server, stop = smtp_server.start()
    point_mail_at(settings, server.port)
    try:
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="Đăng nhập").click()
        assert page.url.endswith("/tai-khoan/dang-nhap/")
        page.get_by_role("link", name="Đăng ký").click()
        assert page.url.endswith("/tai-khoan/dang-ky/")
        page.get_by_label("Họ và tên").fill("Hà Thị Mai")
        page.get_by_label("Thư điện tử (email)").fill("mai@example.vn")
        page.get_by_label("Mật khẩu", exact=True).fill("mat-khau-cua-mai")
        page.get_by_label("Nhập lại mật khẩu").fill("mat-khau-cua-mai")
        assert page.evaluate(NO_SIDEWAYS)
        screenshot(page, "account-1-sign-up-360")
        page.get_by_role("button", name="Đăng ký").click()
        page.wait_for_url(re.compile(r"/tai-khoan/dang-ky/da-gui/"))
        assert "Đã nhận đăng ký" in page.content() and page.evaluate(NO_SIDEWAYS)
        screenshot(page, "account-1b-signed-up-360")

        assert len(server.received) == 1 and server.received[0].rcpt_to == ["mai@example.vn"]
        body = server.received[0].message.get_body(preferencelist=("plain",)).get_content()
        link = re.search(r"https?://\S+/tai-khoan/confirm-email/\S+", body)[0]
        # Open the link from the e-mail as the citizen would (not logged in yet).
        page.goto(link)
        assert page.evaluate(NO_SIDEWAYS)
        screenshot(page, "account-2-confirm-email-360")
        page.get_by_role("button", name="Xác nhận").click()
        assert EmailAddress.objects.get(email="mai@example.vn").verified

        page.goto(live_server.url + "/tai-khoan/dang-nhap/")
        page.get_by_label("Số điện thoại, thư điện tử hoặc tên đăng nhập").fill("mai@example.vn")
        page.get_by_label("Mật khẩu").fill("mat-khau-cua-mai")
        assert page.evaluate(NO_SIDEWAYS)
        screenshot(page, "account-3-log-in-360")
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
        page.wait_for_url(live_server.url + "/tai-khoan/")
        page.get_by_label("Số định danh cá nhân (căn cước)").fill("015 200 001 111")
        page.get_by_label("Số điện thoại").fill("0912 345 678")
        page.get_by_role("button", name="Lưu thông tin").click()
        page.wait_for_url(live_server.url + "/tai-khoan/")
        text = page.content()
        assert "Đã lưu thông tin tài khoản." in text and "015200001111" in text and "đã xác minh" in text
        assert page.evaluate(NO_SIDEWAYS)
        screenshot(page, "account-4-profile-360")
    finally:
        stop()
