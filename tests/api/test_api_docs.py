"""The API documentation works offline: ``/api/v1/docs`` loads Swagger UI from our own
static files (django-ninja ships them), never from a CDN (issue #7 §5)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit


def referenced_urls(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)


def test_the_docs_page_references_no_other_host(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = referenced_urls(html)
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls) and any(u.endswith("swagger-ui.css") for u in urls)
    for url in urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"{url} comes from another host"
    assert "cdn" not in html.lower()


def test_every_file_the_docs_page_loads_is_served_here(client, db):
    html = client.get("/api/v1/docs").content.decode()
    for url in referenced_urls(html):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 100, url


def test_the_docs_page_points_at_the_openapi_document(client, db):
    html = client.get("/api/v1/docs").content.decode()
    assert '"/api/v1/openapi.json"' in html
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Motcua API"
