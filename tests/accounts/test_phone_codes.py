"""Citizens with only a phone (issue 17 §3) and sign-up that never says an account exists
(§6): password reset and phone verification by a one-time code sent by SMS through the
notifications' sender (the demo sender here, as `make run`), limited per number and per
address, expiring, and the same answer whether or not the number has an account."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client

from motcua.accounts.models import ApiToken, User
from motcua.operations.rates import Rate

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-dai-1"
NEW_PASSWORD = "mat-khau-moi-dai-2"
PHONE = "0912000222"


@pytest.fixture
def sms_on(settings):
    settings.NOTIFICATION_SENDERS = {**settings.NOTIFICATION_SENDERS, "sms": "demo-sms"}


@pytest.fixture
def phone_only():
    return User.objects.create_user("phone.only", password=PASSWORD, phone=PHONE)


def sent_codes(phone=PHONE) -> list[str]:
    from motcua.notifications.models import Notification

    bodies = Notification.objects.filter(kind="phone_code", recipient="84" + phone[1:]).order_by("id")
    return [re.search(r"\b(\d{6})\b", n.body).group(1) for n in bodies]


def visible(html: bytes) -> str:
    """The page as a visitor reads it (without the per-request CSRF token)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.decode())


def ask_reset(client, phone=PHONE):
    return client.post("/tai-khoan/quen-mat-khau/sms/", {"phone": phone})


def test_a_phone_only_citizen_resets_the_password_by_a_code_sent_by_sms(sms_on, phone_only, client):
    _, token = ApiToken.issue(phone_only)
    page = client.get("/tai-khoan/quen-mat-khau/")
    assert "/tai-khoan/quen-mat-khau/sms/" in page.content.decode()
    r = ask_reset(client, "0912 000 222")
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/quen-mat-khau/sms/ma/"
    [code] = sent_codes()
    wrong = "000000" if code != "000000" else "111111"
    r = client.post(r["Location"], {"code": wrong, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert r.status_code == 422 and "Mã không đúng. Còn 4 lần thử." in r.content.decode()
    r = client.post("/tai-khoan/quen-mat-khau/sms/ma/", {"code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/dang-nhap/"
    user = User.objects.get(pk=phone_only.pk)
    assert user.check_password(NEW_PASSWORD) and user.phone_verified
    assert not ApiToken.working().filter(user=user).exists()  # a password change revokes the tokens
    # The code is used up.
    r = client.post("/tai-khoan/quen-mat-khau/sms/ma/", {"code": code, "password1": "khac-han-3x", "password2": "khac-han-3x"})
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/quen-mat-khau/sms/"
    assert User.objects.get(pk=phone_only.pk).check_password(NEW_PASSWORD)


def test_a_number_without_an_account_gets_the_same_answer_and_no_message(sms_on, phone_only):
    known, unknown = Client(), Client()
    a, b = ask_reset(known), ask_reset(unknown, "0987000333")
    assert (a.status_code, a["Location"]) == (b.status_code, b["Location"])
    assert visible(known.get(a["Location"]).content) == visible(unknown.get(b["Location"]).content)
    assert sent_codes("0987000333") == []
    [code] = sent_codes()
    answers = [c.post("/tai-khoan/quen-mat-khau/sms/ma/", {"code": code, "password1": NEW_PASSWORD,
                                                          "password2": NEW_PASSWORD}) for c in (unknown,)]
    assert answers[0].status_code == 422 and "Mã không đúng. Còn 4 lần thử." in answers[0].content.decode()


def test_codes_are_limited_per_number_alike_with_or_without_an_account(sms_on, phone_only, settings):
    settings.RATE_PHONE_CODE = Rate(3, 3600)
    for phone in (PHONE, "0987000333"):
        statuses = [ask_reset(Client(REMOTE_ADDR=f"10.0.0.{i}"), phone).status_code for i in range(4)]
        assert statuses == [302, 302, 302, 429], phone
    assert len(sent_codes()) == 3


def test_codes_are_limited_per_address(sms_on, settings, db):
    settings.RATE_PHONE_CODE_ADDRESS = Rate(2, 3600)
    client = Client()
    assert [ask_reset(client, f"098700033{i}").status_code for i in range(3)] == [302, 302, 429]


def test_a_code_expires_and_five_wrong_tries_end_it(sms_on, phone_only, client):
    from motcua.accounts.phone_codes import SESSION_KEY

    ask_reset(client)
    [code] = sent_codes()
    session = client.session
    state = session[SESSION_KEY]
    state["expires"] = time.time() - 1
    session[SESSION_KEY] = state
    session.save()
    r = client.post("/tai-khoan/quen-mat-khau/sms/ma/", {"code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/quen-mat-khau/sms/"
    assert "Mã đã hết hiệu lực" in client.get(r["Location"]).content.decode()
    assert not User.objects.get(pk=phone_only.pk).check_password(NEW_PASSWORD)

    ask_reset(client)
    code = sent_codes()[-1]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        client.post("/tai-khoan/quen-mat-khau/sms/ma/", {"code": wrong, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    r = client.post("/tai-khoan/quen-mat-khau/sms/ma/", {"code": wrong, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert r.status_code == 302
    r = client.post("/tai-khoan/quen-mat-khau/sms/ma/", {"code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert r.status_code == 302 and not User.objects.get(pk=phone_only.pk).check_password(NEW_PASSWORD)


def test_without_an_sms_service_the_page_says_where_to_go(client, settings):
    settings.NOTIFICATION_SENDERS = {**settings.NOTIFICATION_SENDERS, "sms": ""}
    html = client.get("/tai-khoan/quen-mat-khau/sms/").content.decode()
    assert "bộ phận một cửa" in html and 'name="phone"' not in html


def test_the_sms_holds_the_code_only_until_it_is_delivered(sms_on, phone_only, client, django_capture_on_commit_callbacks):
    from motcua.notifications.models import Notification
    from motcua.notifications.services import deliver

    ask_reset(client)
    [code] = sent_codes()
    message = Notification.objects.get(kind="phone_code")
    assert code in message.body and "Khong dua ma nay cho bat ky ai" in message.body
    assert deliver(message.pk) == "sent"
    assert Notification.objects.get(pk=message.pk).body == ""


# ------------------------------------------------------------------ sign-up (§6)

def sign_up(client, **fields):
    return client.post("/tai-khoan/dang-ky/", {"password1": PASSWORD, "password2": PASSWORD, **fields})


def test_sign_up_with_a_phone_already_used_answers_as_a_new_one_and_tells_the_owner(sms_on, phone_only):
    from motcua.notifications.models import Notification

    new, taken = Client(), Client()
    a, b = sign_up(new, phone="0912000999"), sign_up(taken, phone="+84 912 000 222")
    assert (a.status_code, a["Location"]) == (b.status_code, b["Location"]) == (302, "/tai-khoan/dang-ky/da-gui/")
    page_new, page_taken = new.get(a["Location"]), taken.get(b["Location"])
    assert visible(page_new.content) == visible(page_taken.content)
    assert "đã được dùng" not in page_taken.content.decode()
    assert User.objects.filter(phone=PHONE).count() == 1 and User.objects.filter(phone="0912000999").exists()
    told = Notification.objects.get(kind="account_exists")
    assert told.recipient == "84912000222" and "/tai-khoan/quen-mat-khau/sms/" in told.body
    # The new citizen verifies the phone with the code and is logged in; the other cannot.
    [code] = sent_codes("0912000999")
    r = new.post("/tai-khoan/dang-ky/da-gui/", {"code": code})
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/"
    assert User.objects.get(phone="0912000999").phone_verified and "_auth_user_id" in new.session
    r = taken.post("/tai-khoan/dang-ky/da-gui/", {"code": code})
    assert r.status_code == 422 and "_auth_user_id" not in taken.session


def test_sign_up_with_an_email_already_used_answers_as_a_new_one_and_mails_the_owner(smtp):
    first = Client()
    sign_up(first, email="an@example.vn")
    smtp.received.clear()
    from django.core.cache import cache

    cache.clear()  # allauth mails one address at most once in a few minutes: later, then
    new, taken = Client(), Client()
    a, b = sign_up(new, email="binh@example.vn"), sign_up(taken, email="AN@example.vn")
    assert (a.status_code, a["Location"]) == (b.status_code, b["Location"]) == (302, "/tai-khoan/dang-ky/da-gui/")
    page_new = visible(new.get(a["Location"]).content).replace("binh@example.vn", "X")
    page_taken = visible(taken.get(b["Location"]).content).replace("an@example.vn", "X").replace("AN@example.vn", "X")
    assert page_new == page_taken and "đã được dùng" not in page_taken
    assert User.objects.filter(email__iexact="an@example.vn").count() == 1
    by_recipient = {m.rcpt_to[0]: m.message["Subject"] for m in smtp.received}
    assert "Xác minh" in by_recipient["binh@example.vn"]
    assert by_recipient["an@example.vn"] != by_recipient["binh@example.vn"]


def test_the_profile_verifies_the_phone_by_a_code(sms_on, phone_only, client):
    client.force_login(phone_only)
    assert "/tai-khoan/xac-minh-so-dien-thoai/" in client.get("/tai-khoan/").content.decode()
    r = client.post("/tai-khoan/xac-minh-so-dien-thoai/", {"send": "1"})
    assert r.status_code == 302
    [code] = sent_codes()
    r = client.post("/tai-khoan/xac-minh-so-dien-thoai/", {"code": code})
    assert r.status_code == 302 and User.objects.get(pk=phone_only.pk).phone_verified
    assert "Số điện thoại đã xác minh." in client.get("/tai-khoan/").content.decode()


# ------------------------------------------------------------------ the profile's new number (issue 17 §6)

def add_phone(client, phone):
    return client.post("/tai-khoan/", {"full_name": "Lò Thị Sinh", "phone": phone}, follow=True)


def test_the_profile_never_says_a_number_belongs_to_another_account(sms_on, phone_only):
    """A signed-in citizen typing another account's number gets the answer a free number gets: a
    code "was sent if the number can be used"; none was, no code matches, the owner is told."""
    from motcua.notifications.models import Notification

    free_user = User.objects.create_user("cd.free", password=PASSWORD, full_name="Lò Thị Sinh")
    taker = User.objects.create_user("cd.taker", password=PASSWORD, full_name="Lò Thị Sinh")
    free, taken = Client(), Client()
    free.force_login(free_user)
    taken.force_login(taker)
    a, b = add_phone(free, "0912000999"), add_phone(taken, "0912 000 222")
    assert a.redirect_chain == b.redirect_chain == [("/tai-khoan/doi-so-dien-thoai/", 302)]
    page_free = visible(a.content).replace("0912000999", "X")
    page_taken = visible(b.content).replace("0912000222", "X")
    assert page_free == page_taken
    assert "Nếu số điện thoại này dùng được cho tài khoản của bạn, một mã gồm 6 chữ số vừa được gửi đến số đó." in page_taken
    assert "đã được dùng" not in page_taken and "tài khoản khác" not in page_taken

    assert sent_codes() == [] and len(sent_codes("0912000999")) == 1  # a code only to the free number
    told = Notification.objects.get(kind="account_exists", user=phone_only)
    assert told.recipient == "84912000222" and "khong co gi thay doi" in told.body
    for guess in ("000000", "123456"):
        r = taken.post("/tai-khoan/doi-so-dien-thoai/", {"code": guess})
        assert r.status_code == 422 and "Mã không đúng. Còn" in r.content.decode()
    assert User.objects.get(pk=taker.pk).phone == "" and User.objects.get(pk=phone_only.pk).phone == PHONE

    [code] = sent_codes("0912000999")
    r = free.post("/tai-khoan/doi-so-dien-thoai/", {"code": code})
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/"
    changed = User.objects.get(pk=free_user.pk)
    assert changed.phone == "0912000999" and changed.phone_verified
    assert "Đã đổi và xác minh số điện thoại." in free.get("/tai-khoan/").content.decode()


def test_without_sms_a_new_number_is_refused_alike_whoever_has_it(phone_only):
    one, two = (User.objects.create_user(f"cd.{n}", password=PASSWORD) for n in ("mot", "hai"))
    clients = []
    for user, phone in ((one, "0912000999"), (two, PHONE)):
        c = Client()
        c.force_login(user)
        clients.append(add_phone(c, phone))
    a, b = clients
    assert a.redirect_chain == b.redirect_chain == [("/tai-khoan/", 302)]
    assert visible(a.content).replace("cd.mot", "X") == visible(b.content).replace("cd.hai", "X")
    assert "Chưa đổi được số điện thoại" in visible(a.content)
    assert User.objects.get(pk=one.pk).phone == "" and User.objects.get(pk=two.pk).phone == ""


def test_the_profile_still_keeps_or_removes_the_accounts_own_number(sms_on, phone_only, client):
    client.force_login(phone_only)
    r = client.post("/tai-khoan/", {"full_name": "Hà Văn Mạnh", "phone": "0912 000 222"})
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/"  # the same number: nothing to check
    assert User.objects.get(pk=phone_only.pk).full_name == "Hà Văn Mạnh"
    r = client.post("/tai-khoan/", {"full_name": "Hà Văn Mạnh", "phone": ""})
    assert r.status_code == 302 and User.objects.get(pk=phone_only.pk).phone == ""
