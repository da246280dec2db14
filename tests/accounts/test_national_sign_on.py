"""The national sign-on (issue 8 §2): OpenID Connect against a real provider on loopback
(django-oauth-toolkit with OIDC, an RS256 key and VNeID's claims, in its own process). Motcua's
allauth client does discovery, the authorization-code flow with PKCE, the token exchange and
the userinfo call over real HTTP; nothing is mocked."""

from __future__ import annotations

import html
import re

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from motcua.accounts.models import Role, User
from motcua.accounts.profile import applicant_initial
from tests.accounts.oidc_provider import server

CLAIMS = {
    "LoaiTaiKhoan": 1,
    "SoDinhDanh": "015200001111",
    "HoVaTen": "Nguyễn Văn An",
    "SoDienThoai": "0912345678",
    "ThuDienTu": "an@example.vn",
    "NgayThangNamSinh": "19900215",
}


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    callback = live_server.url + "/tai-khoan/oidc/vneid/login/callback/"
    op = server.start(tmp_path_factory.mktemp("oidc"), [callback],
                      users={"015200001111": "vneid-pass-1", "015200002222": "vneid-pass-2"})
    yield op
    op.stop()


@pytest.fixture(params=["discovery", "endpoints"])
def sign_on(request, settings, provider, live_server):
    """Motcua configured as settings.py does from MOTCUA_OIDC_*: by the issuer's discovery
    document, or (MOTCUA_OIDC_DISCOVERY=false) by the endpoints alone."""
    server_url = provider.issuer
    if request.param == "endpoints":
        settings.OIDC_ISSUER = provider.issuer
        settings.OIDC_ENDPOINTS = {"authorization_endpoint": provider.issuer + "/authorize/",
                                   "token_endpoint": provider.issuer + "/token/",
                                   "userinfo_endpoint": provider.issuer + "/userinfo/",
                                   "jwks_uri": provider.issuer + "/.well-known/jwks.json"}
        server_url = settings.OIDC_CONFIGURED_DISCOVERY
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [{
        "provider_id": "vneid", "name": "VNeID", "client_id": provider.client_id, "secret": provider.client_secret,
        "settings": {"server_url": server_url, "scope": ["openid"], "oauth_pkce_enabled": True,
                     "fetch_userinfo": True, "auth_params": {"acr_values": "LoA1"}},
    }]}}

    def run(username: str, password: str, claims: dict):
        provider.set_claims({username: claims})
        browser = requests.Session()
        page = browser.get(live_server.url + "/tai-khoan/dang-nhap/")
        assert page.status_code == 200 and "Đăng nhập bằng VNeID" in page.text
        action = html.unescape(re.search(r'<form method="post" action="([^"]*/oidc/vneid/login/[^"]*)"', page.text)[1])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        at_provider = browser.post(live_server.url + action, data={"csrfmiddlewaretoken": token})
        # Motcua sent the browser to the provider's authorization endpoint (found by discovery),
        # which asks the citizen to log in there.
        assert at_provider.url.startswith(provider.issuer.rsplit("/o", 1)[0] + "/login/"), at_provider.url
        authorize = [r.headers["Location"] for r in at_provider.history if "/o/authorize/" in r.headers.get("Location", "")]
        assert authorize and "code_challenge_method=S256" in authorize[0] and "acr_values=LoA1" in authorize[0]
        op_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', at_provider.text)[1]
        nxt = html.unescape(re.search(r'name="next" value="([^"]*)"', at_provider.text)[1])
        done = browser.post(at_provider.url, data={"csrfmiddlewaretoken": op_token, "username": username,
                                                   "password": password, "next": nxt})
        return browser, done

    return run


def test_a_first_sign_on_creates_the_citizens_account_from_the_claims(transactional_db, sign_on, live_server):
    browser, done = sign_on("015200001111", "vneid-pass-1", CLAIMS)
    assert done.status_code == 200 and done.url == live_server.url + "/tai-khoan/", done.url
    assert "Tài khoản của tôi" in done.text and "Nguyễn Văn An" in done.text and "015200001111" in done.text
    user = User.objects.get(id_number="015200001111")
    assert user.role == Role.CITIZEN and user.full_name == "Nguyễn Văn An"
    assert (user.phone, user.email, user.birth_date.isoformat()) == ("0912345678", "an@example.vn", "1990-02-15")
    assert "015200001111" not in user.username  # the ID number is never a visible name
    assert not user.has_usable_password()
    account = SocialAccount.objects.get(user=user)
    assert account.provider == "vneid" and account.extra_data["userinfo"]["SoDinhDanh"] == "015200001111"
    assert applicant_initial(user) == {"full_name": "Nguyễn Văn An", "id_number": "015200001111",
                                       "phone": "0912345678", "email": "an@example.vn", "address": ""}
    # A second sign-on logs into the same account; nothing new is made.
    browser.post(live_server.url + "/tai-khoan/dang-xuat/",
                 data={"csrfmiddlewaretoken": browser.cookies.get("csrftoken", domain="localhost.local")
                       or browser.cookies.get("csrftoken")})
    _, again = sign_on("015200001111", "vneid-pass-1", CLAIMS)
    assert again.url == live_server.url + "/tai-khoan/"
    assert User.objects.count() == 1 and SocialAccount.objects.count() == 1


def test_a_sign_on_joins_the_account_that_has_the_same_id_number(transactional_db, sign_on, live_server):
    existing = User.objects.create_user("congdan.binh", password="mat-khau-dai-1", id_number="015200002222",
                                        phone="0987654321", full_name="")
    other = User.objects.create_user("nguoi.khac", password="mat-khau-dai-1", email="chung@example.vn")
    claims = {**CLAIMS, "SoDinhDanh": "015200002222", "HoVaTen": "Trần Thị Bình", "SoDienThoai": "0911000111",
              "ThuDienTu": "chung@example.vn"}
    _, done = sign_on("015200002222", "vneid-pass-2", claims)
    assert done.url == live_server.url + "/tai-khoan/"
    assert User.objects.count() == 2
    existing.refresh_from_db()
    assert SocialAccount.objects.get().user == existing
    # What the account lacked is filled in; what it had stays; nobody else's e-mail is taken.
    assert existing.full_name == "Trần Thị Bình" and existing.phone == "0987654321"
    assert existing.check_password("mat-khau-dai-1")
    other.refresh_from_db()
    assert other.email == "chung@example.vn"


def test_a_new_identity_does_not_take_another_accounts_phone_or_email(transactional_db, sign_on, live_server):
    User.objects.create_user("co.so.nay", password="mat-khau-dai-1", phone="0912345678", email="an@example.vn")
    _, done = sign_on("015200001111", "vneid-pass-1", CLAIMS)
    assert done.url == live_server.url + "/tai-khoan/"
    user = User.objects.get(id_number="015200001111")
    assert user.phone == "" and user.email == "" and user.full_name == "Nguyễn Văn An"


def test_the_sign_on_is_configured_only_by_the_environment():
    import json
    import os
    import subprocess
    import sys

    probe = ("import json, django; django.setup(); from django.conf import settings; "
             "print(json.dumps(settings.SOCIALACCOUNT_PROVIDERS))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_OIDC_")}
    env["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    off = json.loads(subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                                    check=True).stdout.splitlines()[-1])
    assert off == {"openid_connect": {"APPS": []}}
    env.update({"MOTCUA_OIDC_ISSUER": "https://sso.example.gov.vn/realms/citizen/", "MOTCUA_OIDC_CLIENT_ID": "tinh-yb",
                "MOTCUA_OIDC_CLIENT_SECRET": "s3cret", "MOTCUA_OIDC_SCOPES": "openid,profile",
                "MOTCUA_OIDC_NAME": "Cổng DVC quốc gia", "MOTCUA_OIDC_PROVIDER_ID": "dvcqg",
                "MOTCUA_OIDC_ACR_VALUES": "LoA1",
                "MOTCUA_OIDC_TOKEN_URL": "https://xacthuc.example.gov.vn/oauth2/token"})
    on = json.loads(subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                                   check=True).stdout.splitlines()[-1])
    (app,) = on["openid_connect"]["APPS"]
    assert (app["provider_id"], app["name"], app["client_id"], app["secret"]) == ("dvcqg", "Cổng DVC quốc gia", "tinh-yb", "s3cret")
    assert app["settings"]["server_url"] == "https://sso.example.gov.vn/realms/citizen"
    assert app["settings"]["scope"] == ["openid", "profile"]
    assert app["settings"]["auth_params"] == {"acr_values": "LoA1"}
    assert app["settings"]["openid_configuration_overrides"] == {"token_endpoint": "https://xacthuc.example.gov.vn/oauth2/token"}
    # The national portal without a discovery document: the endpoints alone.
    env = {k: v for k, v in env.items() if k != "MOTCUA_OIDC_ISSUER"}
    env.update({"MOTCUA_OIDC_DISCOVERY": "false", "MOTCUA_OIDC_AUTHORIZATION_URL": "https://xacthuc.example.gov.vn/oauth2/authorize"})
    (app,) = json.loads(subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                                       check=True).stdout.splitlines()[-1])["openid_connect"]["APPS"]
    assert app["settings"]["server_url"] == "motcua-oidc://settings/.well-known/openid-configuration"
