"""Password guessing on ``POST /api/v1/auth/token``.

Failed attempts are counted per client address; after ``FAILURE_LIMIT`` failures within
``FAILURE_WINDOW`` seconds the address gets 429 (with ``Retry-After``) until the window
ends, even with the right password. Successful logins are never limited, so scripts and
portals that fetch many tokens are not slowed down. The counts live in Django's cache.
"""

from __future__ import annotations

import time

from django.core.cache import cache

FAILURE_LIMIT = 10
FAILURE_WINDOW = 600  # seconds


def _key(client: str) -> str:
    return f"motcua:auth-failures:{client}"


def retry_after(client: str) -> int | None:
    """Seconds ``client`` must wait, or None when it may try."""
    count, since = cache.get(_key(client)) or (0, 0.0)
    if count < FAILURE_LIMIT:
        return None
    return max(1, int(since + FAILURE_WINDOW - time.time()) + 1)


def record_failure(client: str) -> None:
    now = time.time()
    count, since = cache.get(_key(client)) or (0, now)
    if now - since >= FAILURE_WINDOW:
        count, since = 0, now
    cache.set(_key(client), (count + 1, since), timeout=max(1, int(since + FAILURE_WINDOW - now) + 1))
