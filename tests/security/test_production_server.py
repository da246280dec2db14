"""Production mode in a real server (issue 11 §2 "Behind TLS"): ``motcua serve`` started as its
own process with an ``https://`` MOTCUA_PUBLIC_URL and MOTCUA_TRUSTED_PROXY, asked over
loopback as nginx would ask it. HSTS, ``Secure`` session and CSRF cookies, the redirect to
HTTPS, and ``X-Forwarded-Proto`` believed only from the configured proxy's address.

(tests/security/test_headers.py checks the headers in-process, without TLS.)
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from tests.server.test_serve import ROOT, free_port, health

HOST = "dichvucong.example.gov.vn"
PUBLIC = f"https://{HOST}"


@pytest.fixture(scope="module")
def data_dir(seeded_template, tmp_path_factory):
    """One migrated installation with the demo accounts, shared by the servers of this module
    (a copy of the session's, made by ``motcua migrate`` and ``motcua seed-demo``: tests/installations.py)."""
    from tests.installations import copy_installation

    return copy_installation(seeded_template, tmp_path_factory.mktemp("production") / "data")


def base_env(path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL", "DJANGO_", "PYTEST"))}
    env.update(MOTCUA_DATA_DIR=str(path), MOTCUA_WORKERS="1", MOTCUA_THREADS="2", MOTCUA_DEBUG="false",
               MOTCUA_PUBLIC_URL=PUBLIC, MOTCUA_ALLOWED_HOSTS=f"{HOST},127.0.0.1", MOTCUA_NUM_PROXIES="1",
               MOTCUA_SECRET_KEY="production-test-" + "k" * 40)
    return env


@pytest.fixture(scope="module")
def serve(data_dir):
    """``serve(proxy)``: a running ``motcua serve --no-worker`` whose MOTCUA_TRUSTED_PROXY is ``proxy``; its port."""
    started = []

    def start(proxy: str) -> int:
        port = free_port()
        env = {**base_env(data_dir), "MOTCUA_TRUSTED_PROXY": proxy}
        process = subprocess.Popen([sys.executable, "-m", "motcua", "serve", "--no-worker", "--port", str(port)],
                                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started.append(process)
        deadline = time.monotonic() + 120
        while health(port) is None:
            assert process.poll() is None, "motcua serve exited"
            assert time.monotonic() < deadline, "motcua serve did not start"
            time.sleep(0.1)
        return port

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def ask(port: int, method: str, path: str, *, https: bool | None, body: str | None = None,
        headers: dict | None = None) -> http.client.HTTPResponse:
    """One request as the proxy passes it on: ``Host`` the public name, ``X-Forwarded-Proto`` when ``https`` is set."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = {"Host": HOST, "X-Forwarded-For": "203.0.113.7", **(headers or {})}
    if https is not None:
        sent["X-Forwarded-Proto"] = "https" if https else "http"
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def cookies(response) -> SimpleCookie:
    jar = SimpleCookie()
    for value in response.headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return jar


def test_behind_the_trusted_proxy_hsts_secure_cookies_and_the_https_redirect(serve):
    port = serve("127.0.0.1")

    page = ask(port, "GET", "/can-bo/dang-nhap/", https=True)
    assert page.status == 200
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    csrf = cookies(page)["csrftoken"]
    assert csrf["secure"] is True and csrf["samesite"] == "Lax"

    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1).decode()
    login = ask(port, "POST", "/can-bo/dang-nhap/", https=True,
                body=urlencode({"csrfmiddlewaretoken": token, "username": "motcua.yt", "password": "motcua-demo"}),
                headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": PUBLIC,
                         "Referer": f"{PUBLIC}/can-bo/dang-nhap/", "Cookie": f"csrftoken={csrf.value}"})
    assert login.status == 302, login.body[:300]
    session = cookies(login)["sessionid"]
    assert session["secure"] is True and session["httponly"] is True

    plain = ask(port, "GET", "/can-bo/dang-nhap/?next=/can-bo/", https=False)  # nginx's port 80
    assert plain.status == 301 and plain.headers["Location"] == f"{PUBLIC}/can-bo/dang-nhap/?next=/can-bo/"
    assert "Strict-Transport-Security" not in plain.headers  # HSTS only over HTTPS

    probe = ask(port, "GET", "/healthz", https=None, headers={"Host": "127.0.0.1"})  # monitoring, direct
    assert probe.status == 200 and "Strict-Transport-Security" not in probe.headers


def test_x_forwarded_proto_from_any_other_address_is_not_believed(serve):
    port = serve("10.9.9.9")  # the proxy is another machine; these requests come from 127.0.0.1

    spoofed = ask(port, "GET", "/can-bo/dang-nhap/", https=True)
    assert spoofed.status == 301 and spoofed.headers["Location"] == f"{PUBLIC}/can-bo/dang-nhap/"
    assert "Strict-Transport-Security" not in spoofed.headers
    assert not cookies(spoofed)


def test_the_setting_reads_true_false_and_addresses():
    from motcua.net import LOOPBACK, trusted_proxies

    assert trusted_proxies("false") == [] and trusted_proxies("") == []
    assert trusted_proxies("true") == LOOPBACK == ["127.0.0.1", "::1"]
    assert trusted_proxies("10.0.0.5, 10.0.1.0/24") == ["10.0.0.5", "10.0.1.0/24"]
    with pytest.raises(ValueError, match="MOTCUA_TRUSTED_PROXY"):
        trusted_proxies("nginx.local")
