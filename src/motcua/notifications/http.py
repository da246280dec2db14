"""A JSON POST with a timeout, for the HTTP senders (SMS brandname, Zalo ZNS). Errors carry
the status code only: request and response bodies hold credentials and personal data and
are never logged or raised."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings


class HTTPStatusError(Exception):
    """The provider answered with an HTTP error status (its body is not kept)."""

    def __init__(self, status: int):
        super().__init__(f"HTTP {status}")
        self.status = status


def post_json(url: str, body: dict, headers: dict[str, str] | None = None) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFICATION_HTTP_TIMEOUT) as response:
            raw = response.read(1_000_000)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise HTTPStatusError(exc.code) from None
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValueError("the provider's answer is not JSON") from None
    if not isinstance(answer, dict):
        raise ValueError("the provider's answer is not a JSON object")
    return answer
