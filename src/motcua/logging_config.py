"""Logging: one line per request with its request id, text or JSON, and no personal data.

Every handler carries two filters:

- ``RequestId`` adds ``request_id`` (the ``X-Request-ID`` of the request being served, from
  django-guid; ``-`` outside a request);
- ``RedactPersonalData`` rewrites the message, its arguments, the traceback, the stack and
  every ``extra`` string. Personal data is recognised by *what it is*, never by a loose run
  of digits (a dossier code's sequence, a status and a duration are digits too:
  ``GET /api/v1/public/track/YB.LY.MX-261208-0001 200 12.8ms`` is kept whole):

  - **fields**: the value of a personal field, however it is written — ``phone=…``,
    ``"applicant_id_number": "…"``, ``'email': '…'``, ``SoDienThoai: …``, PostgreSQL's
    ``Key (applicant_phone)=(…)`` — becomes ``[phone]``, ``[id]``, ``[email]``, ``[name]``,
    ``[address]`` (``PERSONAL_FIELDS``);
  - **known values**: the personal fields of the request being served (its query, its
    form or JSON body, the logged-in account's own phone, e-mail, ID number and name) are
    redacted wherever they appear, in any spelling of the number, names too
    (``known_values``; ``AccessLogMiddleware`` opens the scope for each request);
  - **shapes that are unmistakable**: an e-mail address; a whole token that is a
    Vietnamese phone number in one of its written forms (``0987654321``, ``0987 654 321``,
    ``0987.654.321``, ``+84 987 654 321``, ``02163 852 111``: a 10- or 11-digit national
    number beginning 02, 03, 05, 07, 08 or 09, not glued to a code, a word or a decimal);
    a 12-digit ID number whose first three digits are a province code (001–096); a 9- or
    12-digit number after the words CMND, CCCD, CMT or "số định danh";

  query strings of paths become ``?…``; the request object Django attaches to its own
  records is replaced by its method and path; PostgreSQL's ``DETAIL:`` lines (they quote
  row values) are withheld.

No code of Motcua logs an applicant's name on purpose, and the journey test
(tests/operations/test_logs.py) greps everything logged for one.

``django_logging()`` is ``settings.LOGGING``; ``gunicorn_logconfig()`` is the
``logconfig_dict`` of ``motcua/gunicorn_conf.py``, so the server's own lines go through
the same filters and format.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import traceback
import unicodedata

from django_guid.log_filters import CorrelationId

MARKS = {"phone": "[phone]", "id": "[id]", "email": "[email]", "name": "[name]", "address": "[address]",
         "contact": "[contact]", "secret": "[withheld]"}


def _field_key(name: str) -> str:
    """``applicant_id_number``, ``applicant.idNumber``, ``SoDinhDanh`` → ``applicantidnumber``
    … (the last dotted part, lower case, letters and digits only)."""
    return re.sub(r"[^a-z0-9]", "", name.rsplit(".", 1)[-1].lower())


# The fields whose value is personal data, by what they hold (as the API, the forms, the
# national sign-on's claims and the database's columns name them).
PERSONAL_FIELDS = {
    **dict.fromkeys(["phone", "applicantphone", "phonenumber", "sodienthoai", "dienthoai", "mobile", "tel"], "phone"),
    **dict.fromkeys(["idnumber", "applicantidnumber", "sodinhdanh", "cccd", "cmnd", "socccd", "socmnd"], "id"),
    **dict.fromkeys(["email", "applicantemail", "thudientu"], "email"),
    **dict.fromkeys(["fullname", "applicantname", "hovaten", "hoten"], "name"),
    **dict.fromkeys(["address", "applicantaddress", "diachi"], "address"),
    **dict.fromkeys(["login", "recipient"], "contact"),  # a typed login: a phone, an e-mail or a username
    **dict.fromkeys(["password", "password1", "password2", "oldpassword"], "secret"),
}

_KEY = r"[A-Za-z_][\w.-]*"
# "key": "value" / 'key': 'value' (JSON, Python reprs)
QUOTED_FIELD = re.compile(r"""(?P<q>["'])(?P<key>""" + _KEY + r""")(?P=q)\s*:\s*(?P<vq>["'])(?P<val>(?:\\.|(?!(?P=vq)).)*)(?P=vq)""")
# key=value, key: value (query strings, prose, reprs of keyword arguments)
PLAIN_FIELD = re.compile(r"(?<![\w.-])(?P<key>" + _KEY + r")(?P<sep>\s*[=:]\s*)(?P<val>[^\s&,;'\"()\[\]{}<>]+)")
# PostgreSQL: Key (applicant_id_number)=(036190004521) already exists.
PG_KEY = re.compile(r"\((?P<cols>[\w\s,\"]+)\)=\((?P<vals>[^)]*)\)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
QUERY = re.compile(r"(/[^\s?\"'<>]*)\?[^\s\"'<>]+")
# A whole token: not glued to a word, a code's hyphen or dot, a plus sign or a decimal.
_BEFORE = r"(?<![\w.+\-])"
_AFTER = r"(?![\w]|[.,:]\d|-\w)"
# Vietnamese numbers as they are written: compact, or in groups with one kind of separator.
PHONE = re.compile(
    _BEFORE + r"(?:(?:\+|00)?84|0)(?:"
    r"[235789]\d{8,9}"  # 0987654321, +84987654321, 02163852111
    r"|[ .-]?\d{1,4}(?P<sep>[ .-])\d{2,4}(?P=sep)\d{3,4}"  # 0987 654 321, +84 987 654 321, 0216 3852 111
    r")" + _AFTER
)
ID_NUMBER = re.compile(_BEFORE + r"0(?:0[1-9]|[1-8]\d|9[0-6])\d{9}" + _AFTER)  # a province code (001–096) + 9 digits
LABELLED_ID = re.compile(r"(?i)(?P<label>\b(?:CMND|CCCD|CMT|căn cước|số định danh)\b[\s:#.]*(?:số\s*)?)(?P<val>\d{12}|\d{9})(?!\d)")
# PostgreSQL's error details quote the row or the key values (names included):
# "DETAIL:  Failing row contains (…)", "DETAIL:  Key (applicant_id_number)=(…) already exists."
DB_DETAIL = re.compile(r"^(\s*DETAIL:).*$", re.MULTILINE)


def _phone_digits(text: str) -> str:
    """The national significant number of a phone (``+84 987 654 321`` → ``987654321``)."""
    digits = re.sub(r"\D", "", text)
    for prefix in ("0084", "84", "0"):
        if digits.startswith(prefix) and len(digits) - len(prefix) in (9, 10):
            return digits[len(prefix):]
    return ""


def _a_phone(match: re.Match) -> str:
    national = _phone_digits(match.group(0))
    return "[phone]" if national and national[0] in "235789" else match.group(0)


def _unaccented(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")


# ------------------------------------------------------------------ known values

class KnownValues:
    """The personal data of one request: the personal fields of its query, its form or JSON
    body (what is already parsed: nothing is read for the log's sake) and the logged-in
    account's own (when the request already loaded it). Collected on the first record
    logged during the request."""

    JSON_LIMIT = 256 * 1024

    def __init__(self, request=None, values: dict[str, str] | None = None):
        self.request = request
        self.extra = dict(values or {})
        self._pattern: re.Pattern | None = None
        self._marks: dict[str, str] = {}

    def values(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = [(kind, value) for value, kind in self.extra.items()]
        request = self.request
        if request is None:
            return found
        try:
            found += personal_fields(dict(request.GET.lists()))
            if "_post" in request.__dict__:
                found += personal_fields(dict(request._post.lists()))
            body = request.__dict__.get("_body")
            if body and len(body) <= self.JSON_LIMIT and getattr(request, "content_type", "") == "application/json":
                found += personal_fields(json.loads(body))
        except Exception:  # a body that is not what it says: nothing known from it
            pass
        user = request.__dict__.get("_cached_user")  # django.contrib.auth's, once the request has asked
        if user is not None and getattr(user, "pk", None):
            found += [(kind, str(getattr(user, attr, "") or "")) for attr, kind in
                      (("phone", "phone"), ("email", "email"), ("id_number", "id"), ("full_name", "name"))]
        return found

    def pattern(self) -> tuple[re.Pattern | None, dict[str, str]]:
        if self._pattern is None:
            alternatives: dict[str, str] = {}
            for kind, value in self.values():
                value = " ".join(str(value).split())
                if kind == "secret" or len(value) < 4:
                    continue
                if kind in ("phone", "contact") and (national := _phone_digits(value)):
                    digits = r"[ .-]?".join(national)
                    alternatives[r"(?<![\d+])(?:(?:\+|00)?84[ .-]?|0[ .-]?)?" + digits + r"(?!\d)"] = "[phone]"
                    continue
                if kind in ("id", "contact") and value.isdigit():
                    alternatives[r"(?<!\d)" + r"[ .-]?".join(value) + r"(?!\d)"] = "[id]"
                    continue
                mark = "[email]" if "@" in value else MARKS.get(kind, "[withheld]")
                for spelling in {value, _unaccented(value)}:
                    alternatives[r"(?<!\w)" + re.escape(spelling) + r"(?!\w)"] = mark
            ordered = sorted(alternatives, key=len, reverse=True)
            self._marks = {f"k{i}": alternatives[a] for i, a in enumerate(ordered)}
            self._pattern = re.compile(
                "|".join(f"(?P<k{i}>{a})" for i, a in enumerate(ordered)), re.IGNORECASE,
            ) if ordered else re.compile(r"(?!)")
        return self._pattern, self._marks

    def redact(self, text: str) -> str:
        pattern, marks = self.pattern()
        return pattern.sub(lambda m: marks[m.lastgroup], text)


def personal_fields(data, prefix: str = "") -> list[tuple[str, str]]:
    """``[(kind, value)]`` of the personal fields in a parsed form or JSON value (nested)."""
    found: list[tuple[str, str]] = []
    stack = [(prefix, data)]
    while stack and len(found) < 200:
        key, item = stack.pop()
        if isinstance(item, dict):
            stack.extend((str(k), v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((key, v) for v in item[:50])
        elif isinstance(item, str) and item and (kind := PERSONAL_FIELDS.get(_field_key(key))):
            found.append((kind, item[:300]))
    return found


# The personal data of the request being served; AccessLogMiddleware opens the scope.
known_values: contextvars.ContextVar[KnownValues | None] = contextvars.ContextVar("motcua_known_values", default=None)


# ------------------------------------------------------------------ the rewrite

def _field(match: re.Match) -> str:
    kind = PERSONAL_FIELDS.get(_field_key(match.group("key")))
    value = match.group("val")
    if kind is None or value in MARKS.values() or not value:
        return match.group(0)
    if kind == "contact":  # a typed login says what it is
        kind = "email" if "@" in value else "phone" if _phone_digits(value) else "contact"
    start, end = match.span("val")
    whole = match.group(0)
    offset = match.start()
    return whole[:start - offset] + MARKS[kind] + whole[end - offset:]


def _pg_key(match: re.Match) -> str:
    kinds = [PERSONAL_FIELDS.get(_field_key(c.strip().strip('"'))) for c in match.group("cols").split(",")]
    if not any(kinds):
        return match.group(0)
    mark = MARKS[kinds[0]] if len(kinds) == 1 else "[withheld]"  # several columns: all their values
    return f"({match.group('cols')})=({mark})"


def redact(text: str, known: KnownValues | None = None) -> str:
    """``text`` without personal data (see the module), nor query strings. ``known``: the
    request's own values (default: those of the request being served)."""
    if not text:
        return text
    text = DB_DETAIL.sub(r"\1 [withheld]", text)
    text = QUOTED_FIELD.sub(_field, text)
    text = PG_KEY.sub(_pg_key, text)
    text = PLAIN_FIELD.sub(_field, text)
    known = known if known is not None else known_values.get()
    if known is not None:
        text = known.redact(text)
    text = EMAIL.sub("[email]", text)
    text = QUERY.sub(r"\1?…", text)
    text = LABELLED_ID.sub(lambda m: m.group("label") + "[id]", text)
    text = ID_NUMBER.sub("[id]", text)
    return PHONE.sub(_a_phone, text)


_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime", "request_id"}


class RedactPersonalData(logging.Filter):
    """Removes personal data from a record before any formatter sees it: the message, the
    traceback, the stack and every string passed as ``extra``."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        known = known_values.get()
        if known is None and request is not None and not isinstance(request, str):
            known = KnownValues(request)  # Django's own 4xx/5xx lines, logged after the middleware
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what there is
            message = str(record.msg)
        record.msg, record.args = redact(message, known), None
        if record.exc_info:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text, known)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, known)
        if request is not None and not isinstance(request, str):
            # Django's request logger attaches the request; its repr carries the query string.
            record.request = f"{getattr(request, 'method', '')} {getattr(request, 'path', '')}".strip()
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, redact(value, known))
        return True


class RequestId(CorrelationId):
    """``record.request_id``: the request id of the request being served, ``-`` outside one."""

    def __init__(self) -> None:
        super().__init__(correlation_id_field="request_id")

    def filter(self, record: logging.LogRecord) -> bool:
        super().filter(record)
        if not record.request_id:
            record.request_id = "-"
        return True


TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
JSON_FORMAT = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def _formatters() -> dict:
    return {
        "text": {"format": TEXT_FORMAT, "datefmt": DATE_FORMAT},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": JSON_FORMAT,
            "datefmt": DATE_FORMAT,
            "rename_fields": {"levelname": "level", "name": "logger", "asctime": "time"},
            "json_ensure_ascii": False,
        },
    }


def _filters() -> dict:
    return {
        "request_id": {"()": "motcua.logging_config.RequestId"},
        "redact": {"()": "motcua.logging_config.RedactPersonalData"},
    }


def django_logging(level: str = "WARNING", fmt: str = "text", access_log: bool = True) -> dict:
    """``settings.LOGGING``: everything to stderr through the filters, in ``fmt`` (text|json)."""
    fmt = "json" if fmt == "json" else "text"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": _filters(),
        "formatters": _formatters(),
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": fmt,
                "filters": ["request_id", "redact"],
            },
        },
        "root": {"handlers": ["console"], "level": level.upper()},
        "loggers": {
            # One line per request (motcua.operations.middleware.AccessLogMiddleware).
            "motcua.access": {"level": "INFO" if access_log else "WARNING"},
            # SQL with its parameters (names, ID numbers) is never logged, whatever the level.
            "django.db.backends": {"level": "INFO"},
            "django_guid": {"level": "WARNING"},
        },
    }


def gunicorn_logconfig(level: str = "INFO", fmt: str = "text") -> dict:
    """gunicorn's ``logconfig_dict``: its error log through the same filters and format. Its
    access log stays off: Django writes the request line (with route, duration, request id)."""
    fmt = "json" if fmt == "json" else "text"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": _filters(),
        "formatters": _formatters(),
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": fmt, "filters": ["request_id", "redact"],
                        "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": level.upper(), "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        },
    }
