"""Shared fixtures: demo data, users with tokens, an API client."""

from __future__ import annotations

import json
import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["tests.browser", "tests.installations"]


# --------------------------------------------------------------- which tests the PostgreSQL pass runs

DATABASE_FIXTURES = {"_django_db_helper", "django_db_setup", "db", "transactional_db", "live_server"}


def pytest_addoption(parser):
    parser.addoption(
        "--db-dependent-only", action="store_true",
        help="Run only the tests whose behaviour can depend on the database (the PostgreSQL pass of .ci/run): "
             "those that use the test database or are marked 'postgres', less those marked 'db_agnostic'.")
    parser.addoption(
        "--full-profile", action="store_true",
        help="Property tests with all their examples and large-file tests at full size (tests/profiles.py); "
             "CI's SQLite pass runs them so, once.")


def depends_on_the_database(item) -> bool:
    """The rule of the PostgreSQL pass (docs/testing.md): a test runs on both databases when
    it uses the test database (``db``, ``transactional_db``, ``live_server``, the ``django_db``
    marker) or is marked ``postgres``, unless it is ``db_agnostic``: browser tests other than
    the journeys (the server's answers they see are tested in-process on both databases) and
    the kinds whose output cannot tell the databases apart (PDF, OCR, the catalogues of
    texts). A test that never touches the database, or that builds its own SQLite
    installation in a subprocess, runs once, in the SQLite pass."""
    if item.get_closest_marker("postgres"):
        return True
    if item.get_closest_marker("db_agnostic"):
        return False
    names = set(getattr(item, "fixturenames", ()))
    if "browser" in names and "journey" not in item.path.name:
        return False
    return bool(item.get_closest_marker("django_db")) or bool(names & DATABASE_FIXTURES)


def pytest_configure(config):
    from tests import profiles

    profiles.FULL = bool(config.getoption("--full-profile"))


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--db-dependent-only"):
        return
    keep = [item for item in items if depends_on_the_database(item)]
    if len(keep) < len(items):
        kept = set(map(id, keep))
        config.hook.pytest_deselected(items=[item for item in items if id(item) not in kept])
        items[:] = keep


# --------------------------------------------------------------- every test

@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 costs about a second a user on a loaded machine; the demo seeds 18 of them.
    Tests of hashing itself set their own hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _static_files_from_the_apps(settings):
    """Static files under their own names, from the apps' folders, whatever an earlier
    ``make run`` collected into ``var/static``: the live server of the browser tests finds
    files there only. (``motcua serve``'s fingerprinted, compressed files: tests/server.)"""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture(autouse=True)
def _fresh_django_cache(request):
    """Throttle counts live in Django's cache, the database's ``motcua_cache`` table as in
    production: each test that uses the database starts with none (a test without the
    database cannot reach them)."""
    from django.core.cache import cache

    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if names & {"transactional_db", "live_server"} or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        yield
        return
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    from motcua.worktime.services import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture(scope="session")
def live_server(django_db_setup, django_db_blocker, live_server):
    """pytest-django's live server (one per test process), stopped before the test database is
    dropped, with every session it left on that database closed. On PostgreSQL a request thread
    keeps its connection (CONN_MAX_AGE, 60 s as in production) while its client keeps the HTTP
    connection open; such a session stopped pytest-django dropping the test database at the end
    of the PostgreSQL pass (after tests/signing/test_demo_signing.py). Asking for
    ``django_db_setup`` first makes the database outlive the server whatever the order of tests."""
    yield live_server
    from django.db import connection

    if connection.vendor != "postgresql":
        return  # SQLite: the server shares the test thread's in-memory connection; pytest-django stops it
    live_server.thread.terminate()  # no new request; pytest-django's stop() then finds it stopped
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture
def demo(db):
    """The demo units, calendar, catalog and staff (CONTRACT §6): seeded once per test
    process and copied back in for each test (tests/demo_snapshot.py)."""
    from tests.demo_snapshot import seed_once

    seed_once()
    return None


class Api:
    """A small JSON client over Django's test client, as user ``username`` (or anonymous)."""

    def __init__(self, client, token: str | None = None):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path, params=None):
        return self.client.get("/api/v1" + path, params or {}, **self.headers)

    def post(self, path, body=None):
        return self.client.post("/api/v1" + path, json.dumps(body or {}), content_type="application/json", **self.headers)


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def api_as(client, demo):
    """``api_as("motcua.yt")``: an API client authenticated with a fresh token of that user."""
    from motcua.accounts.models import ApiToken, User

    def make(username: str) -> Api:
        user = User.objects.get(username=username)
        _, raw = ApiToken.issue(user)
        return Api(client.__class__(), raw)

    return make
