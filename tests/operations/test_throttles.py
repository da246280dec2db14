"""Throttles that hold across processes (issue #11 §3, issue #8 §1): counts in a store every
process shares (the database by default, Redis by MOTCUA_CACHE_URL), 429 with Retry-After
and the CONTRACT body; logins per account and address (django-axes, in the database);
a busy SQLite is a 503, never an HTML 500."""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest
from django.core.cache import cache
from django.db import connection

from motcua.accounts.models import ApiToken, Role, User
from motcua.operations.rates import Rate, parse_rate
from tests.dossiers.data import APPLICANT, THREE_DAY_COMMUNE
from tests.processes import in_processes

BODY = {"procedure": THREE_DAY_COMMUNE, "unit": "YB.LY.YT", "channel": "direct", "applicant": APPLICANT}


def rate_rows(scope: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM motcua_cache WHERE cache_key LIKE %s", [f"%motcua:rate:{scope}:%"])
        return cursor.fetchone()[0]


def test_rates_are_read_as_operators_write_them():
    assert parse_rate("60/min") == Rate(60, 60)
    assert parse_rate("5/10s") == Rate(5, 10)
    assert parse_rate("1000/hour") == Rate(1000, 3600)
    assert parse_rate("off") is None and parse_rate("") is None
    with pytest.raises(ValueError):
        parse_rate("sixty a minute")


def test_the_shared_store_is_a_database_table_by_default(db):
    from django.conf import settings

    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    cache.set("motcua:probe", 42)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM motcua_cache WHERE cache_key LIKE %s", ["%motcua:probe"])
        assert cursor.fetchone()[0] == 1


def test_every_migrate_creates_the_cache_table(db):
    """``motcua serve`` and ``make run`` migrate first: nothing else to run by hand."""
    from django.core.management import call_command

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE motcua_cache")
    assert "motcua_cache" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "motcua_cache" in connection.introspection.table_names()
    cache.set("motcua:probe", 1)
    assert cache.get("motcua:probe") == 1


def test_tracking_is_limited_per_address_on_the_page_and_the_api_together(client, demo, settings):
    settings.RATE_TRACK = Rate(4, 60)
    assert client.get("/api/v1/public/track/KHONG-CO").status_code == 404
    assert client.get("/tra-cuu/KHONG-CO/").status_code == 404
    assert client.get("/api/v1/public/track/KHONG-CO-2").status_code == 404
    assert client.get("/tra-cuu/KHONG-CO-2/").status_code == 404
    page = client.get("/tra-cuu/KHONG-CO-3/")
    assert page.status_code == 429 and 0 < int(page["Retry-After"]) <= 60
    assert "Quá nhiều yêu cầu" in page.content.decode() and page["Content-Type"].startswith("text/html")
    api = client.get("/api/v1/public/track/KHONG-CO-3")
    assert api.status_code == 429 and 0 < int(api["Retry-After"]) <= 60
    assert api.json()["error"]["code"] == "throttled" and set(api.json()["error"]) == {"code", "message", "fields"}
    # Another address is not affected; the counts are rows of the shared table.
    assert client.get("/tra-cuu/KHONG-CO-3/", REMOTE_ADDR="10.0.0.8").status_code == 404
    assert rate_rows("track") == 2


def test_behind_a_proxy_tracking_is_limited_per_client_not_per_proxy(client, demo, settings):
    settings.RATE_TRACK = Rate(2, 60)
    settings.NINJA_NUM_PROXIES = 1
    for _ in range(2):
        assert client.get("/tra-cuu/X/", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 404
    assert client.get("/tra-cuu/X/", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    assert client.get("/tra-cuu/X/", HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 404


def test_intake_is_limited_per_person_across_tokens_and_the_session(demo, settings, api_as, client):
    """Issue 17 §6: a new token or the browser session does not start a fresh allowance."""
    from motcua.dossiers.models import Dossier

    settings.RATE_INTAKE = Rate(2, 60)
    counter = api_as("motcua.yt")
    assert [counter.post("/dossiers", BODY).status_code for _ in range(2)] == [201, 201]
    r = counter.post("/dossiers", BODY)
    assert r.status_code == 429 and r.json()["error"]["code"] == "throttled" and int(r["Retry-After"]) > 0
    # The same officer's other token (another script or machine) counts into the same allowance…
    assert api_as("motcua.yt").post("/dossiers", BODY).status_code == 429
    # …and so does their browser session.
    session = client.__class__()
    session.force_login(User.objects.get(username="motcua.yt"))
    from tests.conftest import Api

    assert Api(session).post("/dossiers", BODY).status_code == 429
    # Another officer has their own.
    assert api_as("motcua.mx").post("/dossiers", {**BODY, "unit": "YB.LY.MX"}).status_code == 201
    assert Dossier.objects.count() == 3


def test_the_online_filing_form_counts_into_the_same_allowance(demo, settings, api_as):
    """A citizen's token and the filing pages' session are one person: over the rate, the form
    answers the Vietnamese 429 page and files nothing."""
    from django.test import Client

    from motcua.dossiers.models import Dossier
    from tests.filing.test_filing_pages import BASE, fill_to_review

    user = User.objects.get(username="congdan")
    user.full_name, user.id_number, user.phone = "Nguyễn Văn An", "015090001234", "0912345678"
    user.save()
    settings.RATE_INTAKE = Rate(1, 60)
    api_as("congdan").post("/dossiers", BODY)  # whatever the answer, it is counted
    browser = Client()
    browser.force_login(user)
    fill_to_review(browser)
    r = browser.post(BASE + "nop/")
    assert r.status_code == 429 and "Quá nhiều yêu cầu" in r.content.decode() and int(r["Retry-After"]) > 0
    assert Dossier.objects.count() == 0


def test_a_form_without_a_login_is_counted_per_client_address(db, settings):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from ninja.errors import Throttled

    from motcua.operations.throttles import limit_intake

    settings.RATE_INTAKE = Rate(1, 60)

    def request(address):
        r = RequestFactory().post("/", REMOTE_ADDR=address)
        r.user = AnonymousUser()
        return r

    limit_intake(request("203.0.113.5"))
    with pytest.raises(Throttled):
        limit_intake(request("203.0.113.5"))
    limit_intake(request("203.0.113.6"))


def test_redis_is_the_store_when_configured(client, demo, settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"motcua-test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/0", "KEY_PREFIX": prefix}}
    settings.RATE_TRACK = Rate(2, 60)
    statuses = [client.get("/tra-cuu/KHONG-CO/").status_code for _ in range(3)]
    assert statuses == [404, 404, 429]
    keys = redis.Redis.from_url("redis://127.0.0.1:6379/0").keys(f"{prefix}:*motcua:rate:track:*")
    assert len(keys) == 1
    assert rate_rows("track") == 0  # nothing in the database table


# ------------------------------------------------------------------ logins (django-axes)

def login(client, username, password, **extra):
    return client.post("/can-bo/dang-nhap/", {"username": username, "password": password}, **extra)


def test_staff_login_is_refused_after_ten_failures_for_that_account_and_address(client, demo):
    from axes.models import AccessAttempt

    statuses = [login(client, "motcua.yt", f"sai-{i}").status_code for i in range(10)]
    assert statuses == [200] * 9 + [429]
    refused = login(client, "motcua.yt", "motcua-demo")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 15 * 60
    assert "Tạm khoá đăng nhập" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # The state is a database row, per account and address.
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("motcua.yt", "127.0.0.1", 11)
    # Same address, another officer (one NAT): in. Same officer, another address: in.
    assert login(client.__class__(), "motcua.mx", "motcua-demo").status_code == 302
    assert login(client.__class__(), "motcua.yt", "motcua-demo", REMOTE_ADDR="10.0.0.9").status_code == 302


def test_a_different_spelling_of_the_user_name_is_the_same_account(client, demo):
    for name in ["motcua.yt", "MOTCUA.YT", " Motcua.Yt "] * 4:
        login(client, name, "sai")
    assert login(client, "motcua.yt", "motcua-demo").status_code == 429


def test_the_api_token_and_the_page_count_into_the_same_lockout(client, demo):
    for i in range(5):
        login(client, "motcua.yt", f"sai-{i}")
    body = json.dumps({"username": "motcua.yt", "password": "sai"})
    statuses = [client.post("/api/v1/auth/token", body, content_type="application/json").status_code for _ in range(5)]
    assert statuses == [401] * 4 + [429]
    assert login(client, "motcua.yt", "motcua-demo").status_code == 429


GUESSER = """
client = Client()
statuses = []
for i in range(15):
    body = json.dumps({"username": "canbo.doan", "password": f"doan-{copy}-{i}"})
    statuses.append(client.post("/api/v1/auth/token", body, content_type="application/json").status_code)
print(json.dumps(statuses))
"""


def test_thirty_guesses_from_two_server_processes_are_refused_after_the_limit(transactional_db):
    """Two separate processes (as two gunicorn workers) guess the same account's password,
    15 times each, at the same time: the count is one row in the shared database, so no more
    than the limit are ever checked against the password, whatever the number of processes."""
    from axes.models import AccessAttempt

    User.objects.create_user("canbo.doan", password="dung-mat-khau-123", role=Role.COUNTER)
    results = in_processes(GUESSER)
    assert len(results) == 30 and set(results) <= {401, 429}
    assert results.count(401) <= 9 and results.count(429) >= 21
    assert AccessAttempt.objects.get(username="canbo.doan").failures_since_start == 30
    r = __import__("django.test", fromlist=["Client"]).Client().post(
        "/api/v1/auth/token", json.dumps({"username": "canbo.doan", "password": "dung-mat-khau-123"}),
        content_type="application/json")
    assert r.status_code == 429
    assert not ApiToken.objects.exists()


# ------------------------------------------------------------------ busy SQLite

@pytest.fixture
def locked_sqlite(transactional_db):
    """Another connection holds SQLite's write lock; Django's waits only 0.1 s for it."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    connection.ensure_connection()
    connection.connection.execute("PRAGMA busy_timeout=100")
    other = sqlite3.connect(str(connection.settings_dict["NAME"]), isolation_level=None)
    other.execute("PRAGMA busy_timeout=100")

    class Lock:
        def hold(self):
            other.execute("BEGIN IMMEDIATE")

        def release(self):
            other.execute("ROLLBACK")

    lock = Lock()
    yield lock
    try:
        lock.release()
    except sqlite3.OperationalError:
        pass
    other.close()
    connection.connection.execute("PRAGMA busy_timeout=30000")


def test_a_busy_database_is_a_503_json_with_retry_after_on_the_api(locked_sqlite, client):
    from motcua.demo.catalog import seed_demo
    from motcua.dossiers.models import Dossier

    seed_demo()
    counter = User.objects.get(username="motcua.yt")
    _, raw = ApiToken.issue(counter)
    ApiToken.objects.update(last_used_at=__import__("django.utils.timezone", fromlist=["now"]).now())
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    locked_sqlite.hold()
    r = client.post("/api/v1/dossiers", json.dumps(BODY), content_type="application/json", **bearer)
    assert r.status_code == 503, r.content
    assert r["Content-Type"].startswith("application/json") and int(r["Retry-After"]) > 0
    assert r.json()["error"]["code"] == "busy" and set(r.json()["error"]) == {"code", "message", "fields"}
    # Reading still works while the lock is held (WAL), and the throttle lets tracking through.
    assert client.get("/api/v1/public/track/KHONG-CO").status_code == 404
    assert client.get("/tra-cuu/KHONG-CO/").status_code == 404
    locked_sqlite.release()
    assert Dossier.objects.count() == 0
    assert client.post("/api/v1/dossiers", json.dumps(BODY), content_type="application/json", **bearer).status_code == 201


def test_a_busy_database_is_a_vietnamese_503_page_not_a_500(locked_sqlite, client):
    User.objects.create_user("canbo.ban", password="dung-mat-khau-123", role=Role.COUNTER)
    locked_sqlite.hold()
    client.raise_request_exception = False
    r = login(client, "canbo.ban", "sai-mat-khau")  # the failure is recorded: a write
    assert r.status_code == 503 and int(r["Retry-After"]) > 0
    assert r["Content-Type"].startswith("text/html") and "Hệ thống đang bận" in r.content.decode()
    r = login(client, "canbo.ban", "dung-mat-khau-123")  # the session is saved: a write outside the view
    assert r.status_code == 503 and "Hệ thống đang bận" in r.content.decode()
