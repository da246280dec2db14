"""The database unreachable: 503 with ``Retry-After`` — the CONTRACT error body on the API, a
Vietnamese page elsewhere — never an HTML 500 (issue 17 §6). Broken for real: on PostgreSQL a
role the server logs in as is disabled (NOLOGIN), its table privileges are revoked, its
database is dropped; on SQLite the data directory or the database file is gone."""

from __future__ import annotations

import os
import sqlite3

import pytest
from django.db import connection

from motcua.accounts.models import ApiToken, User

ERROR_KEYS = {"code", "message", "fields"}


def the_answers_are_503(client, token: str) -> None:
    """The API (anonymous and with a token) and the pages (anonymous and logged in) say 503."""
    client.raise_request_exception = False  # as in production: an error escaping a middleware goes to handler500
    for path, headers in (("/api/v1/procedures", {}),
                          ("/api/v1/dossiers", {"HTTP_AUTHORIZATION": f"Bearer {token}"})):
        r = client.get(path, **headers)
        assert r.status_code == 503, (path, r.status_code, r.content[:300])
        assert r["Content-Type"].startswith("application/json") and int(r["Retry-After"]) > 0
        assert set(r.json()["error"]) == ERROR_KEYS and r.json()["error"]["code"] == "database_unavailable"
    for path in ("/", "/thu-tuc/1.004873/", "/can-bo/", "/tai-khoan/dang-nhap/"):
        r = client.get(path)
        assert r.status_code == 503, (path, r.status_code)
        assert r["Content-Type"].startswith("text/html") and int(r["Retry-After"]) > 0
        page = r.content.decode()
        assert "Hệ thống tạm ngừng phục vụ" in page and "không truy cập được cơ sở dữ liệu" in page
    r = client.post("/tai-khoan/dang-nhap/", {"login": "motcua.yt", "password": "x"})
    assert r.status_code == 503 and "Hệ thống tạm ngừng phục vụ" in r.content.decode()


@pytest.fixture
def logged_in(client, demo):
    """A counter officer with a session and an API token, made while the database still worked."""
    user = User.objects.get(username="motcua.yt")
    client.force_login(user)
    _, raw = ApiToken.issue(user)
    return raw


# ------------------------------------------------------------------ PostgreSQL

@pytest.fixture
def pg_role(transactional_db):
    """The server logs in as a role of its own; ``admin`` is a superuser connection to break it with."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's roles and databases")
    import psycopg

    s = connection.settings_dict
    params = dict(host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"], password=s["PASSWORD"] or None,
                  autocommit=True)
    admin = psycopg.connect(dbname=s["NAME"], **params)
    role = f"motcua_app_{os.getpid()}"
    admin.execute(f"DROP ROLE IF EXISTS {role}")
    admin.execute(f"CREATE ROLE {role} LOGIN")
    admin.execute(f'GRANT CONNECT ON DATABASE "{s["NAME"]}" TO {role}')
    admin.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
    admin.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
    admin.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
    original = (s["USER"], s["NAME"])
    connection.close()
    s["USER"] = role

    class Breaker:
        name = role

        def use_database(self, name: str):
            connection.close()
            s["NAME"] = name

        def sql(self, statement: str, dbname: str | None = None):
            if dbname is None:
                admin.execute(statement)
            else:
                with psycopg.connect(dbname=dbname, **params) as other:
                    other.execute(statement)

    yield Breaker()
    connection.close()
    s["USER"], s["NAME"] = original
    admin.execute(f"DROP OWNED BY {role}")
    admin.close()
    with psycopg.connect(dbname="postgres", **params) as server:
        server.execute(f"DROP DATABASE IF EXISTS motcua_gone_{os.getpid()} WITH (FORCE)")
        server.execute(f"DROP ROLE IF EXISTS {role}")


def test_postgresql_role_disabled_is_503(pg_role, client, logged_in):
    assert client.get("/api/v1/procedures").status_code == 200  # the role works
    pg_role.sql(f"ALTER ROLE {pg_role.name} NOLOGIN")
    connection.close()  # the next request opens a new connection, as after CONN_MAX_AGE
    the_answers_are_503(client, logged_in)


def test_postgresql_privileges_revoked_is_503(pg_role, client, logged_in):
    assert client.get("/api/v1/procedures").status_code == 200
    pg_role.sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {pg_role.name}")
    the_answers_are_503(client, logged_in)


def test_postgresql_connect_revoked_is_503(pg_role, client, logged_in):
    from django.db import connection as conn

    name = conn.settings_dict["NAME"]
    pg_role.sql(f'REVOKE CONNECT ON DATABASE "{name}" FROM PUBLIC, {pg_role.name}')
    connection.close()
    try:
        the_answers_are_503(client, logged_in)
    finally:
        pg_role.sql(f'GRANT CONNECT ON DATABASE "{name}" TO PUBLIC')


def test_postgresql_database_dropped_under_the_server_is_503(pg_role, client, logged_in):
    """The server's open connection is ended by DROP DATABASE … WITH (FORCE); later requests find it gone."""
    gone = f"motcua_gone_{os.getpid()}"
    pg_role.sql(f"CREATE DATABASE {gone} OWNER {pg_role.name}", dbname="postgres")
    pg_role.use_database(gone)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # connected to it
    pg_role.sql(f"DROP DATABASE {gone} WITH (FORCE)", dbname="postgres")
    the_answers_are_503(client, logged_in)
    connection.close()
    the_answers_are_503(client, logged_in)  # a new connection: "database does not exist"


# ------------------------------------------------------------------ SQLite

@pytest.fixture
def sqlite_file(transactional_db, tmp_path):
    """Point the server at another SQLite path, then back."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's file")
    s = connection.settings_dict
    original = s["NAME"]

    def use(path):
        connection.close()
        s["NAME"] = path

    yield use
    connection.close()
    s["NAME"] = original


def test_sqlite_data_directory_gone_is_503(sqlite_file, client, logged_in, tmp_path):
    """The data directory unmounted or moved away: SQLite cannot open the file."""
    sqlite_file(tmp_path / "unmounted" / "motcua.sqlite3")
    the_answers_are_503(client, logged_in)


def test_sqlite_database_file_gone_is_503(sqlite_file, client, logged_in, tmp_path):
    """The file deleted or replaced by an empty one: no table is there."""
    from django.db import connection as conn

    copy = tmp_path / "motcua.sqlite3"
    with sqlite3.connect(conn.settings_dict["NAME"]) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    sqlite_file(copy)
    assert client.get("/api/v1/procedures").status_code == 200  # the copy works
    connection.close()
    copy.unlink()
    copy.write_bytes(b"")
    the_answers_are_503(client, logged_in)
