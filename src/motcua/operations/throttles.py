"""Throttles in the shared store, and the answers for a throttled or busy request.

- **Rates** (``limit``): fixed windows counted in Django's default cache, which is the
  database (``DatabaseCache``, table ``motcua_cache``) unless ``MOTCUA_CACHE_URL`` names
  Redis: every worker process and every server counts into the same place. Public tracking
  is limited per client address (``MOTCUA_RATE_TRACK``, page and API together), intake per
  person (``MOTCUA_RATE_INTAKE``: the user, whatever token or session; the address without a login),
  questions and feedback per address and per account (``MOTCUA_RATE_ASK``, ``MOTCUA_RATE_ASK_ACCOUNT``). Over the rate: ``ninja.errors.Throttled`` (the API
  answers 429 with the API's error body and ``Retry-After``; ``rate_limited`` pages a
  Vietnamese 429 page). With Redis the count is exact; with the database cache two requests
  that arrive at the same instant may both be counted once.
- **Logins** (django-axes, configured in settings): failed attempts per account *and* client
  address together, in the database (``axes_accessattempt``). ``lockout_response`` is the
  answer once a combination is locked.
- **Busy SQLite** (``busy_response``): "database is locked" after the busy timeout becomes
  503 with ``Retry-After``: the error body on the API (docs/api.md#errors), a Vietnamese page elsewhere.
- **Database unavailable** (``unavailable_response``): the database cannot be reached or
  refuses us (PostgreSQL down, role disabled, connection or table privileges revoked,
  database dropped; SQLite's file or directory gone or unwritable) → 503 with
  ``Retry-After`` the same way, as ``/healthz`` says. ``database_trouble_response`` is the one
  place that tells the two from any other error, for views (``BusyDatabaseMiddleware``) and
  for middleware (``handler500``).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, ProgrammingError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from ninja.errors import Throttled

from motcua.errors import error_body
from motcua.net import client_address
from motcua.operations.rates import Rate

log = logging.getLogger(__name__)

BUSY_RETRY_AFTER = 5  # seconds: a write lock is held for milliseconds, a backup or import for longer
UNAVAILABLE_RETRY_AFTER = 60  # seconds: an operator has to bring the database back
def wait_seconds(scope: str, ident: str, rate: Rate | None) -> int | None:
    """Count one request of ``ident`` in ``scope``; the seconds to wait when over ``rate``, else None.
    A store that cannot be written (SQLite busy) lets the request through rather than fail it."""
    if rate is None:
        return None
    now = time.time()
    window = int(now // rate.seconds)
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    key = f"motcua:rate:{scope}:{digest}:{window}"
    try:
        if cache.add(key, 1, timeout=rate.seconds + 1):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=rate.seconds + 1)
                count = 1
    except DatabaseError as exc:
        log.warning("rate store unavailable (%s): %s not counted", type(exc).__name__, scope)
        return None
    if count <= rate.count:
        return None
    return max(1, math.ceil((window + 1) * rate.seconds - now))


def limit(scope: str, ident: str, rate: Rate | None) -> None:
    """Raise ``Throttled`` (429 with ``Retry-After``) when ``ident`` is over ``rate`` in ``scope``."""
    wait = wait_seconds(scope, ident, rate)
    if wait is not None:
        raise Throttled(wait)


def limit_tracking(request) -> None:
    """Public tracking, page and API together: per client address."""
    limit("track", client_address(request), settings.RATE_TRACK)


def person(request) -> str:
    """Who is asking, for a per-person limit: the user (whichever token or session they came
    with: ``request.auth`` on the API, ``request.user`` on pages), else the client address."""
    user = getattr(request, "auth", None)
    if user is None or not getattr(user, "is_authenticated", False):
        user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    return f"address:{client_address(request)}"


def limit_intake(request) -> None:
    """Filing a dossier (``POST /api/v1/dossiers``, the online form's "Nộp hồ sơ"): per person,
    every token and the browser session together; per client address without a login."""
    limit("intake", person(request), settings.RATE_INTAKE)


def limit_asking(request, user=None) -> None:
    """Questions and feedback sent (API and pages together): per client address, and per
    account when signed in — ``user``, else the session's (``MOTCUA_RATE_ASK``,
    ``MOTCUA_RATE_ASK_ACCOUNT``)."""
    limit("ask", client_address(request), settings.RATE_ASK)
    user = user or getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        limit("ask-account", f"user:{user.pk}", settings.RATE_ASK_ACCOUNT)


def _page(status: int, title: str, message: str, retry_after: int) -> HttpResponse:
    # Rendered without the request: no session or user lookup on a throttled or busy path.
    html = render_to_string("error.html", {"title": title, "message": message, "status": status})
    response = HttpResponse(html, status=status)
    response["Retry-After"] = str(retry_after)
    return response


def _json(status: int, code: str, message: str, retry_after: int) -> JsonResponse:
    response = JsonResponse(error_body(code, message), status=status, json_dumps_params={"ensure_ascii": False})
    response["Retry-After"] = str(retry_after)
    return response


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def throttled_page(wait: int) -> HttpResponse:
    minutes = max(1, math.ceil(wait / 60))
    return _page(429, _("Quá nhiều yêu cầu"),
                 _("Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau %(minutes)s phút.")
                 % {"minutes": minutes}, wait)


def rate_limited(check):
    """Page decorator: ``@rate_limited(limit_tracking)`` → the Vietnamese 429 page when over the rate."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                check(request)
            except Throttled as exc:
                return throttled_page(int(exc.wait or 1))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


# ------------------------------------------------------------------ logins (django-axes)

def login_cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the answer to a login from a locked account + address."""
    wait = login_cooloff_seconds()
    if is_api(request):
        return _json(429, "throttled", _("Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau %(minutes)s phút.")
                     % {"minutes": math.ceil(wait / 60)}, wait)
    return _page(429, _("Tạm khoá đăng nhập"),
                 _("Tài khoản này đã đăng nhập sai quá nhiều lần từ địa chỉ của bạn. Vui lòng thử lại sau "
                   "%(minutes)s phút, hoặc liên hệ quản trị viên để được hỗ trợ.") % {"minutes": math.ceil(wait / 60)},
                 wait)


def login_username(request, credentials) -> str | None:
    """``AXES_USERNAME_CALLABLE``: one spelling per account (case and spaces do not make a new one)."""
    credentials = credentials or {}
    username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None:  # allauth's form names the field "login" and may pass email=/phone=
        username = credentials.get("email") or credentials.get("phone")
    if username is None and request is not None and request.method == "POST":
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD) or request.POST.get("login")
    if not isinstance(username, str):
        return username
    return login_account_key(username)


def login_account_key(login: str) -> str:
    """One counter per account, whichever of its logins is typed: the username, the e-mail
    address or the phone number (any spelling: ``0912 345 678``, ``+84912345678``) all count
    as the account's username, so switching between them gives no extra guesses. A login that
    names no account counts as itself (case and spaces aside)."""
    from django.db.models import Q

    from motcua.accounts.models import User
    from motcua.accounts.profile import contact_match

    login = login.strip()
    match = Q(username__iexact=login) | contact_match(login)
    names = list(User.objects.filter(match).values_list("username", flat=True)[:2])
    if len(names) == 1:
        return names[0].casefold()
    return login.casefold()


def login_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """``AXES_CLIENT_STR_CALLABLE``: how axes names a client in its log lines: never the
    user name (it may be a phone number or an e-mail address)."""
    if isinstance(path_info, (tuple, list)):
        path_info = path_info[0]
    return f"{{ip_address: {ip_address!s}, path_info: {path_info!s}}}"


# ------------------------------------------------------------------ busy SQLite

def is_database_busy(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError) and "locked" in str(exc).lower()


def busy_response(request) -> HttpResponse:
    if request is not None and is_api(request):
        return _json(503, "busy", _("Hệ thống đang bận, vui lòng thử lại sau giây lát."), BUSY_RETRY_AFTER)
    return _page(503, _("Hệ thống đang bận"),
                 _("Có nhiều người dùng cùng lúc. Vui lòng đợi vài giây rồi thử lại; thông tin bạn vừa gửi chưa được lưu."),
                 BUSY_RETRY_AFTER)


# ------------------------------------------------------------------ database unavailable

# PostgreSQL's SQLSTATE for "permission denied" on a table or sequence (privileges revoked):
# psycopg raises it as ProgrammingError, though it is the server's configuration, not our SQL.
INSUFFICIENT_PRIVILEGE = "42501"


def is_database_unavailable(exc: BaseException | None) -> bool:
    """The database cannot serve us at all: a failed or lost connection (OperationalError,
    InterfaceError: refused, role NOLOGIN, CONNECT revoked, database dropped or missing,
    SQLite's file unreachable or read-only) or privileges revoked on its tables. SQLite's
    "database is locked" is :func:`is_database_busy` instead."""
    if is_database_busy(exc):
        return False
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    return isinstance(exc, ProgrammingError) and getattr(exc.__cause__, "sqlstate", None) == INSUFFICIENT_PRIVILEGE


def unavailable_response(request) -> HttpResponse:
    if request is not None and is_api(request):
        return _json(503, "database_unavailable",
                     _("Hệ thống tạm thời không truy cập được cơ sở dữ liệu. Vui lòng thử lại sau ít phút."),
                     UNAVAILABLE_RETRY_AFTER)
    return _page(503, _("Hệ thống tạm ngừng phục vụ"),
                 _("Hệ thống tạm thời không truy cập được cơ sở dữ liệu. Vui lòng thử lại sau ít phút; "
                   "thông tin bạn vừa gửi chưa được lưu."),
                 UNAVAILABLE_RETRY_AFTER)


def database_trouble_response(request, exc: BaseException | None) -> HttpResponse | None:
    """The 503 for a busy or unavailable database (logged without data: the error's class and
    SQLSTATE, the method and path), or None for any other error."""
    if is_database_busy(exc):
        log.warning("database busy: %s %s → 503", request.method, request.path)
        return busy_response(request)
    if is_database_unavailable(exc):
        cause = exc.__cause__ if exc.__cause__ is not None else exc
        log.error("database unavailable (%s, sqlstate %s): %s %s → 503", type(cause).__name__,
                  getattr(cause, "sqlstate", None) or "-", request.method, request.path)
        return unavailable_response(request)
    return None
