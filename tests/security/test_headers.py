"""Security headers on pages and on the API (issue 11 §2): CSP without inline script or style,
nosniff, Referrer-Policy, Permissions-Policy; no inline script or handler left in a template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "motcua"


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


def assert_hardened(response):
    csp = policy(response)
    assert csp["script-src"] == ["'self'"], csp
    assert csp["style-src"] == ["'self'"], csp
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'self'"]
    assert not any("unsafe" in v for values in csp.values() for v in values), csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions, permissions


@pytest.mark.parametrize("path", [
    "/", "/thu-tuc/", "/thu-tuc/1.001193/", "/thu-tuc/1.001193/in/", "/tra-cuu/", "/can-bo/dang-nhap/",
    "/khong-co-trang-nay/",
])
def test_pages_send_the_headers(client, demo, path):
    response = client.get(path)
    assert response.status_code in (200, 404), (path, response.status_code)
    assert_hardened(response)


@pytest.mark.parametrize("path", ["/api/v1/procedures", "/api/v1/units", "/api/v1/openapi.json", "/api/v1/docs",
                                  "/api/v1/dossiers", "/healthz"])
def test_the_api_sends_the_headers(client, demo, path):
    response = client.get(path)
    assert response.status_code in (200, 401), (path, response.status_code)
    assert_hardened(response)


def test_without_tls_no_hsts_and_cookies_stay_usable_over_http(client, demo, settings):
    assert not settings.PUBLIC_HTTPS
    response = client.get("/can-bo/dang-nhap/")
    assert "Strict-Transport-Security" not in response.headers
    assert not response.cookies["csrftoken"]["secure"]


def test_no_template_has_an_inline_script_style_or_handler():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>",
                        r"<style\b", r"\son[a-z]+\s*=", r"\sstyle\s*=", r"javascript:", r"\shx-on"):
            offenders += [f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in re.finditer(pattern, text, re.I)]
    assert not offenders, offenders
