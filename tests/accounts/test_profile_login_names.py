"""Issue 17 §2: after sign-up the account page showed a generated username ("user") the citizen
never chose. It names what they sign in with: their phone number or e-mail address."""

from __future__ import annotations

import pytest

from motcua.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-dai-1"


def test_the_account_page_names_the_phone_the_citizen_signs_in_with(client):
    response = client.post("/tai-khoan/dang-ky/", {"phone": "0912 345 678", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(phone="0912345678")
    # Sign-up does not sign in (it never reveals whether a phone had an account): sign in.
    assert client.login(username="0912345678", password=PASSWORD) or client.force_login(user) is None
    html = client.get("/tai-khoan/").content.decode()
    login_card = html[html.index('id="login-names"'):]
    login_card = login_card[:login_card.index("</div>")]
    assert "0912345678" in login_card and "Tên đăng nhập" not in login_card
    assert f"<strong>{user.username}</strong>" not in html


def test_a_username_given_by_an_administrator_is_still_shown(client, demo):
    """Staff accounts were given a username on purpose: it is how they sign in."""
    client.force_login(User.objects.get(username="motcua.yt"))
    html = client.get("/tai-khoan/").content.decode()
    assert "motcua.yt" in html[html.index('id="login-names"'):]
