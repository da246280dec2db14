"""API authentication: ``Authorization: Bearer <token>`` or the browser session (with CSRF),
and the token endpoints ``POST /auth/token`` and ``POST /auth/token/revoke``.

Tokens are stored only as their SHA-256 (``ApiToken.key_hash``); a revoked token
(``revoked_at`` set: by its holder, or by any change of the user's password), one older than
``MOTCUA_API_TOKEN_DAYS`` or an inactive user's token authenticates nobody (``ApiToken.working``).
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils import timezone
from ninja import Router, Schema
from ninja.security.base import AuthBase
from ninja.utils import check_csrf
from pydantic import Field as PydField

from motcua.accounts.models import ApiToken, hash_token
from motcua.errors import DomainError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def user_from_bearer(request):
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    raw = header[7:].strip()
    # key_hash is unique: one indexed row, no ORDER BY (what .first() would add and compile).
    token = next(iter(ApiToken.working().select_related("user").filter(key_hash=hash_token(raw))[:1]), None)
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


# ------------------------------------------------------------------ the token endpoints

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = PydField(..., max_length=150)
    password: str = PydField(..., max_length=200)


class TokenOut(Schema):
    token: str = PydField(..., description="Gửi kèm mỗi yêu cầu: Authorization: Bearer <token>")
    username: str
    role: str


class RevokedOut(Schema):
    revoked: bool
    prefix: str


@router.post("/auth/token", response={200: TokenOut}, summary="Lấy mã truy cập API")
def obtain_token(request, payload: TokenIn):
    """A token for a username and password. Failed attempts count per account and address
    (django-axes, in the database): at MOTCUA_LOGIN_FAILURE_LIMIT that combination gets 429
    with ``Retry-After`` (``operations.throttles.lockout_response``); successes are not limited."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        raise DomainError("Tên đăng nhập hoặc mật khẩu không đúng.", code="invalid_credentials", status=401)
    _, raw = ApiToken.issue(user, name="api")
    return {"token": raw, "username": user.username, "role": user.role}


@router.post("/auth/token/revoke", auth=token_or_session, response={200: RevokedOut}, summary="Thu hồi mã truy cập API đang dùng")
def revoke_token(request):
    """Revoke the bearer token this request was made with; it stops working at once."""
    token = getattr(request, "api_token", None)
    if token is None:
        raise DomainError(
            "Chỉ thu hồi được mã truy cập gửi kèm yêu cầu (Authorization: Bearer …).", code="no_bearer_token", status=400
        )
    token.revoke()
    return {"revoked": True, "prefix": token.prefix}
