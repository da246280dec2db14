"""API tokens (CONTRACT §2): issued for a username and password, stored only as a hash,
revocable by the holder (``POST /auth/token/revoke``) and then refused everywhere."""

from __future__ import annotations

import hashlib
import json

from motcua.accounts.models import ApiToken, User
from tests.conftest import Api


def test_a_token_is_issued_for_good_credentials_and_stored_only_as_its_hash(client, demo):
    r = Api(client).post("/auth/token", {"username": "motcua.yt", "password": "motcua-demo"})
    assert r.status_code == 200, r.content
    raw = r.json()["token"]
    token = ApiToken.objects.get(user__username="motcua.yt")
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.key_hash, token.prefix, token.name} and len(token.prefix) < len(raw)
    assert Api(client.__class__(), raw).get("/dossiers").status_code == 200


def test_bad_credentials_are_401_with_the_contract_body(api, demo):
    r = api.post("/auth/token", {"username": "motcua.yt", "password": "sai-mat-khau"})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_credentials"
    assert set(r.json()["error"]) == {"code", "message", "fields"}
    assert not ApiToken.objects.exists()


def test_revoking_the_token_used_stops_it_and_only_it(client, demo):
    user = User.objects.get(username="motcua.yt")
    _, kept = ApiToken.issue(user)
    _, revoked = ApiToken.issue(user)
    holder = Api(client.__class__(), revoked)
    r = holder.post("/auth/token/revoke")
    assert r.status_code == 200 and r.json()["revoked"] is True
    assert ApiToken.objects.get(key_hash=hashlib.sha256(revoked.encode()).hexdigest()).revoked_at is not None
    r = holder.get("/dossiers")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert holder.post("/auth/token/revoke").status_code == 401
    assert Api(client.__class__(), kept).get("/dossiers").status_code == 200


def test_revoke_needs_a_bearer_token(client, demo):
    assert Api(client).post("/auth/token/revoke").status_code == 401
    client.force_login(User.objects.get(username="motcua.yt"))
    r = Api(client).post("/auth/token/revoke")
    assert r.status_code == 400 and r.json()["error"]["code"] == "no_bearer_token"


def test_the_token_of_a_deactivated_user_is_refused(client, demo):
    user = User.objects.get(username="motcua.yt")
    _, raw = ApiToken.issue(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert Api(client, raw).get("/dossiers").status_code == 401


def test_a_made_up_token_is_refused(api, demo):
    assert Api(api.client, "mc_" + "x" * 43).get("/dossiers").status_code == 401


def test_password_guessing_is_throttled_with_retry_after(client, demo):
    """CONTRACT §2: 429 (throttled) with the error body once an account has failed ten times
    from one address (MOTCUA_LOGIN_FAILURE_LIMIT); then even the right password waits."""
    body = json.dumps({"username": "motcua.yt", "password": "wrong-password"})
    statuses = [client.post("/api/v1/auth/token", body, content_type="application/json").status_code for _ in range(10)]
    assert statuses == [401] * 9 + [429]
    blocked = client.post("/api/v1/auth/token", json.dumps({"username": "motcua.yt", "password": "motcua-demo"}),
                          content_type="application/json")
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "throttled" and set(blocked.json()["error"]) == {"code", "message", "fields"}
    assert 0 < int(blocked["Retry-After"]) <= 15 * 60
    assert ApiToken.objects.filter(user__username="motcua.yt").count() == 0
    # Another address is not affected, nor another account from this address (one NAT, many officers).
    other = client.post("/api/v1/auth/token", json.dumps({"username": "motcua.yt", "password": "motcua-demo"}),
                        content_type="application/json", REMOTE_ADDR="10.0.0.7")
    assert other.status_code == 200
    colleague = client.post("/api/v1/auth/token", json.dumps({"username": "motcua.mx", "password": "motcua-demo"}),
                            content_type="application/json")
    assert colleague.status_code == 200


def test_successful_logins_are_never_throttled(client, demo):
    """Scripts and portals fetch many tokens: only failures count."""
    body = json.dumps({"username": "motcua.yt", "password": "motcua-demo"})
    statuses = {client.post("/api/v1/auth/token", body, content_type="application/json").status_code for _ in range(25)}
    assert statuses == {200}
    assert ApiToken.objects.filter(user__username="motcua.yt").count() == 25


# ------------------------------------------------------------------ issue 17 §6: password changes and lifetime

def test_a_password_change_revokes_every_token_of_that_user_only(client, demo):
    """A stolen token stops working once the owner changes the password (any way: the
    account page, a reset, the admin, ``changepassword``)."""
    user = User.objects.get(username="motcua.yt")
    colleague = User.objects.get(username="motcua.mx")
    _, first = ApiToken.issue(user)
    _, second = ApiToken.issue(user)
    _, theirs = ApiToken.issue(colleague)
    user.set_password("mot-mat-khau-moi-2026")
    user.save()
    for raw in (first, second):
        assert Api(client.__class__(), raw).get("/dossiers").status_code == 401
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 0
    assert Api(client.__class__(), theirs).get("/dossiers").status_code == 200
    # A token taken after the change works.
    _, fresh = ApiToken.issue(user)
    assert Api(client.__class__(), fresh).get("/dossiers").status_code == 200


def test_the_account_pages_password_change_revokes_tokens(client, demo):
    user = User.objects.get(username="motcua.yt")
    _, raw = ApiToken.issue(user)
    client.force_login(user)
    r = client.post("/tai-khoan/password/change/", {"oldpassword": "motcua-demo", "password1": "Doi-mat-khau-2026!",
                                                    "password2": "Doi-mat-khau-2026!"})
    assert r.status_code == 302, r.content
    assert Api(client.__class__(), raw).get("/dossiers").status_code == 401


def test_a_rehash_on_login_is_not_a_password_change(client, demo, settings):
    """Django rewrites a stored hash with a newer hasher when one logs in: not a change."""
    user = User.objects.get(username="motcua.yt")
    _, raw = ApiToken.issue(user)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    assert user.check_password("motcua-demo")
    assert User.objects.get(pk=user.pk).password.startswith("pbkdf2")
    assert Api(client.__class__(), raw).get("/dossiers").status_code == 200


def test_a_token_expires_after_the_lifetime_the_operator_sets(client, demo, settings):
    import datetime as dt

    from django.utils import timezone

    settings.API_TOKEN_DAYS = 30
    user = User.objects.get(username="motcua.yt")
    old, old_raw = ApiToken.issue(user)
    _, new_raw = ApiToken.issue(user)
    ApiToken.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=30, minutes=1))
    r = Api(client.__class__(), old_raw).get("/dossiers")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert Api(client.__class__(), new_raw).get("/dossiers").status_code == 200
    settings.API_TOKEN_DAYS = 0  # 0: tokens never expire (the deploy check warns)
    assert Api(client.__class__(), old_raw).get("/dossiers").status_code == 200


def test_the_deploy_check_warns_of_tokens_that_never_expire_or_live_too_long(settings):
    from motcua.security.checks import production_settings

    def ids():
        return {w.id for w in production_settings()}

    settings.API_TOKEN_DAYS = 30
    assert "motcua.W016" not in ids()
    for days in (0, 366):
        settings.API_TOKEN_DAYS = days
        assert "motcua.W016" in ids(), days
