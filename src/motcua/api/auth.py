"""API authentication: ``Authorization: Bearer <token>`` or the browser session (with CSRF).

Tokens are stored only as their SHA-256 (``ApiToken.key_hash``); a revoked token
(``revoked_at`` set) or an inactive user's token authenticates nobody.
"""

from __future__ import annotations

from django.utils import timezone
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from motcua.accounts.models import ApiToken, hash_token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def user_from_bearer(request):
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    raw = header[7:].strip()
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    request.api_token = token  # the token used, so it can revoke itself
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class TokenOrSession(AuthBase):
    """ninja auth callable: returns the user, or None (→ 401)."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request):
        if request.headers.get("Authorization"):
            user = user_from_bearer(request)
            if user is not None:
                request.user = user
            return user
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                return None
            return user
        return None


def optional_user(request):
    """The caller if authenticated by token or session, else None (for public endpoints)."""
    if request.headers.get("Authorization"):
        return user_from_bearer(request)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


token_or_session = TokenOrSession()
