"""Citizens' accounts (issue 8 §1, CONTRACT §7): sign-up with a phone or an e-mail address,
e-mail verification and password reset through a real SMTP server, log-in with the username,
the e-mail address or the phone number, the profile that pre-fills filing forms."""

from __future__ import annotations

import io
import sys

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from motcua.accounts.models import Role, User
from motcua.accounts.profile import applicant_initial, canonical_phone
from tests.accounts.conftest import link_in

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-dai-1"


def sign_up(client, **fields):
    """Sign up, then log in with the phone or e-mail just given (a sign-up itself logs nobody
    in: its answer is the same for a phone or address already used, issue 17 §6)."""
    data = {"password1": PASSWORD, "password2": PASSWORD, **fields}
    response = client.post("/tai-khoan/dang-ky/", data)
    if response.status_code == 302 and response["Location"] == "/tai-khoan/dang-ky/da-gui/":
        login = fields.get("phone") or fields.get("email")
        if login and log_in(client, login, data["password1"]).status_code != 302:
            return response
    return response


def log_in(client, login, password=PASSWORD, **extra):
    return client.post("/tai-khoan/dang-nhap/", {"login": login, "password": password}, **extra)


def test_pages_are_vietnamese_and_at_the_contract_addresses(client):
    for path, words in [("/tai-khoan/dang-ky/", ["Đăng ký tài khoản", "Số điện thoại", "Thư điện tử", "Nhập lại mật khẩu"]),
                        ("/tai-khoan/dang-nhap/", ["Đăng nhập", "Số điện thoại, thư điện tử hoặc tên đăng nhập",
                                                   "Quên mật khẩu?", "/can-bo/dang-nhap/"]),
                        ("/tai-khoan/quen-mat-khau/", ["Quên mật khẩu"])]:
        page = client.get(path)
        assert page.status_code == 200, path
        html = page.content.decode()
        for word in words:
            assert word in html, (path, word)
        assert "<script>" not in html and "Password" not in html and "Sign In" not in html
    # no national sign-on configured: no button
    assert "Đăng nhập bằng" not in client.get("/tai-khoan/dang-nhap/").content.decode()


def test_anonymous_profile_goes_to_the_citizens_login_and_staff_pages_to_theirs(client):
    response = client.get("/tai-khoan/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/?next=/tai-khoan/")
    response = client.get("/can-bo/")
    assert response["Location"].startswith("/can-bo/dang-nhap/?next=")


def test_sign_up_by_email_verify_through_smtp_then_log_in(client, smtp):
    response = sign_up(client, full_name="  Nguyễn   Văn An ", email="an@example.vn")
    assert response.status_code == 302
    user = User.objects.get(email="an@example.vn")
    assert user.role == Role.CITIZEN and user.full_name == "Nguyễn Văn An" and user.username
    assert len(smtp.received) == 1
    message = smtp.received[0].message
    assert smtp.received[0].rcpt_to == ["an@example.vn"]
    assert "Xác minh địa chỉ thư điện tử" in message["Subject"]
    confirm = link_in(smtp.received, "/tai-khoan/confirm-email/")
    assert not EmailAddress.objects.get(email="an@example.vn").verified

    client.post("/tai-khoan/dang-xuat/")
    page = client.get(confirm)  # the link opens a page with a button (scanners follow links)
    assert page.status_code == 200 and "Xác nhận" in page.content.decode()
    assert not EmailAddress.objects.get(email="an@example.vn").verified
    client.post(confirm)
    assert EmailAddress.objects.get(email="an@example.vn").verified

    response = log_in(client, "AN@example.vn")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    page = client.get("/tai-khoan/")
    assert "Nguyễn Văn An" in page.content.decode() and "đã xác minh" in page.content.decode()


def test_sign_up_by_phone_and_log_in_with_any_spelling_of_it(client):
    response = sign_up(client, phone="0912 345 678")
    assert response.status_code == 302
    user = User.objects.get(phone="0912345678")
    assert user.email == "" and not user.phone_verified
    client.post("/tai-khoan/dang-xuat/")
    for spelling in ["0912345678", "+84 912 345 678", "0912.345.678"]:
        response = log_in(client, spelling)
        assert response.status_code == 302, spelling
        assert int(client.session["_auth_user_id"]) == user.pk
        client.post("/tai-khoan/dang-xuat/")
    # the same phone again: the answer of any sign-up (never "already used"), no second account
    page = sign_up(client, phone="+84912345678", email="")
    assert page.status_code == 302 and page["Location"] == "/tai-khoan/dang-ky/da-gui/"
    assert "đã được dùng" not in client.get(page["Location"]).content.decode()
    assert User.objects.filter(phone="0912345678").count() == 1


def test_sign_up_needs_a_phone_or_an_email_and_says_so(client):
    page = sign_up(client, full_name="Trần Bình")
    assert page.status_code == 200
    assert "Vui lòng nhập số điện thoại hoặc thư điện tử" in page.content.decode()
    page = sign_up(client, phone="12345")
    assert "Số điện thoại không hợp lệ" in page.content.decode()
    page = client.post("/tai-khoan/dang-ky/", {"phone": "0987654321", "password1": PASSWORD, "password2": "khac-han-1"})
    assert page.status_code == 200 and not User.objects.filter(phone="0987654321").exists()
    assert User.objects.count() == 0


def test_wrong_password_message_is_vietnamese(client):
    sign_up(client, phone="0987654321")
    client.post("/tai-khoan/dang-xuat/")
    page = log_in(client, "0987654321", "sai-mat-khau")
    assert page.status_code == 200
    assert "Số điện thoại hoặc mật khẩu không đúng." in page.content.decode()
    page = log_in(client, "khong-ai-ca", "sai-mat-khau")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.content.decode()


def test_a_citizen_made_by_create_user_logs_in_on_the_same_page(client, demo):
    old, sys.stdin = sys.stdin, io.StringIO(PASSWORD + "\n")
    try:
        call_command("create_user", "congdan.moi", "--role", "citizen", "--unit", "YB.LY.YT", "--password-stdin",
                     stdout=io.StringIO())
    finally:
        sys.stdin = old
    response = log_in(client, "congdan.moi")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    assert client.get("/tai-khoan/").status_code == 200


def test_staff_logging_in_on_the_citizens_page_land_on_the_workbench(client, demo):
    response = log_in(client, "motcua.yt", "motcua-demo")
    assert response.status_code == 302 and response["Location"] == "/can-bo/"
    client.post("/tai-khoan/dang-xuat/")
    response = client.post("/can-bo/dang-nhap/", {"username": "motcua.yt", "password": "motcua-demo"})
    assert response.status_code == 302 and response["Location"] == "/can-bo/"


def test_password_reset_through_smtp(client, smtp):
    sign_up(client, email="binh@example.vn")
    client.post("/tai-khoan/dang-xuat/")
    smtp.received.clear()
    response = client.post("/tai-khoan/quen-mat-khau/", {"email": "binh@example.vn"})
    assert response.status_code == 302
    assert len(smtp.received) == 1 and "Đặt lại mật khẩu" in smtp.received[0].message["Subject"]
    link = link_in(smtp.received, "/tai-khoan/password/reset/key/")
    page = client.get(link, follow=True)
    assert page.status_code == 200 and "Đặt mật khẩu mới" in page.content.decode()
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    response = client.post(form_url, {"password1": "mat-khau-moi-2", "password2": "mat-khau-moi-2"})
    assert response.status_code == 302
    assert User.objects.get(email="binh@example.vn").check_password("mat-khau-moi-2")
    assert log_in(client, "binh@example.vn", "mat-khau-moi-2").status_code == 302


def test_profile_cleans_the_id_number_as_dossiers_do_and_prefills(client):
    sign_up(client, phone="0911222333", full_name="Lê Thị Cúc")
    page = client.post("/tai-khoan/", {"full_name": "Lê Thị Cúc", "id_number": "015 200.001-111", "phone": "0911 222 333",
                                       "address": " Thôn 3,  xã Minh Xuân "})
    assert page.status_code == 302
    user = User.objects.get(phone="0911222333")
    assert user.id_number == "015200001111" and user.address == "Thôn 3, xã Minh Xuân"
    assert applicant_initial(user) == {"full_name": "Lê Thị Cúc", "id_number": "015200001111", "phone": "0911222333",
                                       "email": "", "address": "Thôn 3, xã Minh Xuân"}
    page = client.post("/tai-khoan/", {"full_name": "Lê Thị Cúc", "id_number": "0152000011", "phone": "abc"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "phải gồm đúng 12 chữ số" in html and "Số điện thoại không hợp lệ" in html
    assert User.objects.get(pk=user.pk).id_number == "015200001111"


def test_an_id_number_belongs_to_one_account(client):
    User.objects.create_user("khac", password="x" * 10, id_number="015200001111")
    sign_up(client, phone="0911222444")
    page = client.post("/tai-khoan/", {"id_number": "015200001111"})
    assert page.status_code == 200 and "đã gắn với một tài khoản khác" in page.content.decode()


def test_applicant_initial_of_an_anonymous_visitor_is_empty():
    from django.contrib.auth.models import AnonymousUser

    assert applicant_initial(AnonymousUser()) == {"full_name": "", "id_number": "", "phone": "", "email": "", "address": ""}
    assert canonical_phone("+84 912-345-678") == "0912345678" and canonical_phone("12345") == ""


def test_account_pages_log_no_personal_data(client, smtp, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    sign_up(client, full_name="Phạm Văn Đức", email="duc@example.vn", phone="0933444555")
    client.post("/tai-khoan/", {"full_name": "Phạm Văn Đức", "id_number": "015200009999", "phone": "0933444555"})
    client.post("/tai-khoan/dang-xuat/")
    for login in ["duc@example.vn", "0933444555", "0933 444 555"]:
        log_in(client, login, "sai-mat-khau")
    log_in(client, "0933444555")
    client.post("/tai-khoan/quen-mat-khau/", {"email": "duc@example.vn"})
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert caplog.records  # the request lines are there
    for secret in ["duc@example.vn", "0933444555", "0933 444 555", "015200009999", "Phạm Văn Đức", "sai-mat-khau"]:
        assert secret not in logged, secret


def test_an_email_already_used_is_not_said_so(client, smtp):
    """Issue 17 §6: the answer of any sign-up; the owner is told by mail
    (tests/accounts/test_phone_codes.py compares the two answers)."""
    sign_up(client, email="an@example.vn")
    client.post("/tai-khoan/dang-xuat/")
    page = client.post("/tai-khoan/dang-ky/", {"email": "AN@example.vn", "password1": PASSWORD, "password2": PASSWORD})
    assert page.status_code == 302 and page["Location"] == "/tai-khoan/dang-ky/da-gui/"
    assert "đã được dùng" not in client.get(page["Location"]).content.decode()
    assert User.objects.filter(email__iexact="an@example.vn").count() == 1
