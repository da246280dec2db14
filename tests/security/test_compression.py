"""Responses compressed where compression cannot give a secret away (issue 17 §4, BREACH):
text for requests without a session cookie (anonymous visitors, bearer-token API clients),
never for a logged-in or draft-holding browser, never a PDF. Static files: tests/server."""

from __future__ import annotations

import gzip
import json

import pytest

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_an_anonymous_visitors_page_is_compressed(client, demo):
    response = client.get("/thu-tuc/", **GZIP)
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "Thủ tục" in gzip.decompress(response.content).decode()
    assert "Content-Encoding" not in client.get("/thu-tuc/").headers  # a client that did not ask


def test_the_public_api_and_a_bearer_token_client_get_compressed_json(client, api_as):
    response = client.get("/api/v1/units", **GZIP)
    assert response["Content-Encoding"] == "gzip" and json.loads(gzip.decompress(response.content))
    officer = api_as("motcua.yt")
    response = officer.client.get("/api/v1/procedures", **officer.headers, **GZIP)
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"


def test_nothing_is_compressed_for_a_browser_with_a_session(client, demo):
    """A logged-in officer's pages hold personal data and reflect searches (BREACH)."""
    from motcua.accounts.models import User

    client.force_login(User.objects.get(username="motcua.yt"))
    for path in ("/can-bo/", "/can-bo/?q=0912345678", "/thu-tuc/", "/api/v1/units"):
        response = client.get(path, **GZIP)
        assert response.status_code == 200, path
        assert "Content-Encoding" not in response.headers, path


@pytest.mark.parametrize("content_type, compressed", [
    ("text/html; charset=utf-8", True), ("application/json", True), ("text/csv", True), ("image/svg+xml", True),
    ("application/pdf", False), ("image/png", False),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False),
])
def test_only_text_is_compressed(rf, content_type, compressed):
    from django.http import HttpResponse

    from motcua.security.compression import may_compress

    assert may_compress(rf.get("/"), HttpResponse(b"x", content_type=content_type)) is compressed
    with_session = rf.get("/", HTTP_COOKIE="sessionid=abc")
    assert may_compress(with_session, HttpResponse(b"x", content_type=content_type)) is False
