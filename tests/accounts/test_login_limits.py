"""Login limits for citizens (issue 8 §1, issue 11 §3): the citizens' page (allauth), the staff
page and the API token count failures in one place, per account and address together, in the
database (django-axes), whichever of the account's logins is typed; 30 guesses from two
separate processes are refused after the limit."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt
from django.test import Client

from motcua.accounts.models import Role, User
from tests.processes import in_processes

PASSWORD = "dung-mat-khau-123"


def citizen(**fields):
    user = User.objects.create_user(fields.pop("username", "congdan.an"), password=PASSWORD, role=Role.CITIZEN,
                                    **fields)
    return user


def web_login(client, login, password, **extra):
    return client.post("/tai-khoan/dang-nhap/", {"login": login, "password": password}, **extra)


@pytest.mark.django_db
def test_the_citizens_page_refuses_after_the_limit_with_a_vietnamese_429(client, settings):
    assert settings.AXES_FAILURE_LIMIT == 10
    citizen(phone="0912345678")
    statuses = [web_login(client, "0912345678", f"sai-{i}").status_code for i in range(10)]
    assert statuses == [200] * 9 + [429]
    refused = web_login(client, "0912345678", PASSWORD)
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 15 * 60
    html = refused.content.decode()
    assert "Tạm khoá đăng nhập" in html and "thử lại sau 15 phút" in html
    assert "_auth_user_id" not in client.session
    # One row, keyed by the account (not the phone as typed), and the address.
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("congdan.an", "127.0.0.1")
    # Another address (another household behind another NAT): still in.
    assert web_login(Client(), "0912345678", PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 302
    # Another citizen behind the same address: still in.
    citizen(username="congdan.binh", email="binh@example.vn")
    assert web_login(Client(), "binh@example.vn", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_switching_between_username_email_and_phone_spellings_gives_no_extra_guesses(client):
    citizen(email="an@example.vn", phone="0912345678")
    spellings = ["congdan.an", "AN@example.vn", "0912 345 678", "+84912345678", "0912.345.678"]
    for i in range(10):
        web_login(client, spellings[i % len(spellings)], f"sai-{i}")
    assert AccessAttempt.objects.get().username == "congdan.an"
    for login in spellings:
        assert web_login(client, login, PASSWORD).status_code == 429, login


@pytest.mark.django_db
def test_the_citizens_page_the_staff_page_and_the_api_share_one_count(client):
    citizen(phone="0912345678")
    for i in range(4):
        web_login(client, "0912345678", f"sai-{i}")
    for i in range(3):
        client.post("/can-bo/dang-nhap/", {"username": "congdan.an", "password": f"sai-{i}"})
    body = json.dumps({"username": "congdan.an", "password": "sai"})
    statuses = [client.post("/api/v1/auth/token", body, content_type="application/json").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    api = client.post("/api/v1/auth/token", json.dumps({"username": "congdan.an", "password": PASSWORD}),
                      content_type="application/json")
    assert api.status_code == 429 and int(api["Retry-After"]) > 0
    assert api.json()["error"]["code"] == "throttled" and set(api.json()["error"]) == {"code", "message", "fields"}
    assert web_login(client, "0912345678", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_a_success_before_the_limit_starts_the_count_again(client):
    citizen(phone="0912345678")
    for i in range(9):
        web_login(client, "0912345678", f"sai-{i}")
    assert web_login(client, "0912345678", PASSWORD).status_code == 302
    client.post("/tai-khoan/dang-xuat/")
    assert [web_login(client, "0912345678", "sai").status_code for _ in range(9)] == [200] * 9


GUESSER = """
spellings = ["0912345678", "+84 912 345 678", "an@example.vn", "congdan.an"]
statuses = []
for i in range(15):
    client = Client()  # a new visitor each time: no cookie to carry a count
    r = client.post("/tai-khoan/dang-nhap/", {"login": spellings[i % 4], "password": f"sai-{copy}-{i}"})
    statuses.append(r.status_code)
print(json.dumps(statuses))
"""


def test_thirty_guesses_on_the_citizens_page_from_two_processes(transactional_db):
    """Two separate processes (as two gunicorn workers, or two servers on one database) guess one
    citizen's password on the web page, 15 times each, at the same time, with changing spellings
    of the login: no more than the limit are checked, the rest are 429."""
    citizen(email="an@example.vn", phone="0912345678")
    results = in_processes(GUESSER)
    assert len(results) == 30 and set(results) <= {200, 429}
    assert results.count(200) <= 9 and results.count(429) >= 21
    assert AccessAttempt.objects.get(username="congdan.an").failures_since_start == 30
    assert web_login(Client(), "0912345678", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_allauths_own_limits_answer_with_the_vietnamese_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "2/m/ip"}
    statuses = [client.post("/tai-khoan/quen-mat-khau/", {"email": f"x{i}@example.vn"}).status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    refused = client.post("/tai-khoan/quen-mat-khau/", {"email": "y@example.vn"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Quá nhiều yêu cầu" in refused.content.decode()


@pytest.mark.django_db
def test_many_citizens_behind_one_address_are_not_limited_by_allauth(client):
    """A carrier's NAT: 40 different citizens log in from one address within a minute."""
    for i in range(40):
        citizen(username=f"cd{i}")
    statuses = [web_login(Client(), f"cd{i}", PASSWORD).status_code for i in range(40)]
    assert statuses == [302] * 40
