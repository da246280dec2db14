"""The national portal's adapter, spoken over HTTP (shared/domain/national-systems.md §1.1).

``POST {auth}`` with ``{"username","password"}`` and the ``dstcode`` header gives a ``session``;
every data call is ``POST`` of one flat JSON object ``{session, madonvi, service, …}`` to the
integration or share URL. Replies carry ``error_code`` (0 or "00": success) and ``message``.

The session is kept in the shared cache for ``MOTCUA_DVCQG_SESSION_MINUTES`` so every worker
reuses it; a call refused as if the session had expired logs in again — once per client, i.e.
once per batch — and is repeated. A connection error, a timeout, an HTTP error status or a
non-JSON body raise :class:`PortalUnreachable`; an answer with another ``error_code`` is returned
to the caller as an :class:`Answer` (the sync decides). Nothing personal is logged: the log says
which service failed and how, never the data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import httpx
from django.conf import settings
from django.core.cache import cache

from motcua.national.contrib.dvcqg import config as portal_config

log = logging.getLogger(__name__)

SESSION_CACHE_KEY = "national:dvcqg:session"
ANSWER_MAX = 1000


class PortalError(Exception):
    """The national portal could not be reached or answered nonsense; ``code`` names how."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code
        self.message = message or code


class PortalUnreachable(PortalError):
    pass


class LoginRefused(PortalError):
    """Wrong credentials or ``dstcode``: nothing will work until the operator fixes them."""


@dataclass
class Answer:
    error_code: str
    message: str
    result: list = field(default_factory=list)
    raw: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error_code in ("0", "00")

    @property
    def already_exists(self) -> bool:
        """HV's reading of "đã tồn tại" (codes 3 / -3): the dossier exists, resend as an update."""
        return self.error_code in ("3", "-3") or "đã tồn tại" in self.message.lower()

    @property
    def session_refused(self) -> bool:
        text = self.message.lower()
        return self.error_code == "-1" and ("phiên" in text or "session" in text)

    def text(self) -> str:
        """The answer as the operator's page shows it: code and message."""
        return f"{self.error_code}: {self.message}"[:ANSWER_MAX]


def _answer(payload) -> Answer:
    if not isinstance(payload, dict):
        raise PortalUnreachable("invalid_reply", "Câu trả lời không phải đối tượng JSON.")
    result = payload.get("result")
    if isinstance(result, dict):  # some gateways nest it as result.data
        result = result.get("data")
    return Answer(str(payload.get("error_code", "")).strip(), str(payload.get("message") or "").strip(),
                  result if isinstance(result, list) else [], payload)


class PortalClient:
    """One batch's connection: one HTTP client, at most one re-login."""

    def __init__(self, conf: portal_config.PortalConfig | None = None, *, transport: httpx.BaseTransport | None = None):
        self.conf = conf or portal_config.current()
        self.http = httpx.Client(timeout=settings.DVCQG_TIMEOUT, transport=transport,
                                 headers={"Accept": "application/json", "Charset": "utf-8", "dstcode": self.conf.dstcode})
        self.relogged = False
        self.calls = 0

    def close(self) -> None:
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------ transport
    def _post(self, url: str, body: dict, service: str) -> Answer:
        self.calls += 1
        try:
            response = self.http.post(url, json=body)
        except httpx.TimeoutException as exc:
            raise PortalUnreachable("timeout", f"Quá thời gian chờ ({settings.DVCQG_TIMEOUT} giây).") from exc
        except httpx.HTTPError as exc:
            raise PortalUnreachable(type(exc).__name__, "Không kết nối được Cổng DVCQG.") from exc
        if response.status_code >= 400:
            raise PortalUnreachable(f"http_{response.status_code}", f"Cổng DVCQG trả lời HTTP {response.status_code}.")
        try:
            payload = response.json()
        except ValueError as exc:
            raise PortalUnreachable("invalid_reply", "Câu trả lời không phải JSON.") from exc
        answer = _answer(payload)
        if not answer.ok:
            log.warning("national portal %s answered %s", service, answer.error_code)
        return answer

    # ------------------------------------------------------------------ session
    def login(self) -> str:
        answer = self._post(self.conf.auth_url, {"username": self.conf.username, "password": self.conf.password}, "login")
        session = str(answer.raw.get("session") or "")
        if not answer.ok or not session:
            raise LoginRefused("login_refused", answer.text())
        cache.set(SESSION_CACHE_KEY, session, timeout=settings.DVCQG_SESSION_MINUTES * 60)
        return session

    def session(self) -> str:
        return cache.get(SESSION_CACHE_KEY) or self.login()

    # ------------------------------------------------------------------ calls
    def call(self, service: str, *, share: bool = False, **fields) -> Answer:
        """One data call; a refused session is renewed once per client and the call repeated."""
        url = self.conf.share_url if share else self.conf.integration_url
        body = {"session": self.session(), "madonvi": self.conf.madonvi, "service": service, **fields}
        answer = self._post(url, body, service)
        if answer.session_refused and not self.relogged:
            self.relogged = True
            cache.delete(SESSION_CACHE_KEY)
            body["session"] = self.login()
            answer = self._post(url, body, service)
        return answer

    def push(self, service: str, data: list, **fields) -> Answer:
        return self.call(service, data=data, **fields)

    def find_dossier(self, national_code: str) -> Answer:
        return self.call("TraCuuHoSo", mahoso=national_code)
