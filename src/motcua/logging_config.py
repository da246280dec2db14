"""Logging: one line per request with its request id, text or JSON, and no personal data.

Every handler carries two filters:

- ``RequestId`` adds ``request_id`` (the ``X-Request-ID`` of the request being served, from
  django-guid; ``-`` outside a request);
- ``RedactPersonalData`` rewrites the message, its arguments, the traceback and the stack:
  12-digit ID numbers (and 9-digit old ID cards), Vietnamese phone numbers and e-mail
  addresses become ``[id]``, ``[phone]``, ``[email]``; query strings of paths become ``?…``;
  the request object Django attaches to its own records is replaced by its method and path;
  PostgreSQL's ``DETAIL:`` lines (they quote row values) are withheld.

Names cannot be recognised by a pattern: no code of Motcua logs an applicant's name, and
the journey test (tests/operations/test_logs.py) greps everything logged for one.

``django_logging()`` is ``settings.LOGGING``; ``gunicorn_logconfig()`` is the
``logconfig_dict`` of ``motcua/gunicorn_conf.py``, so the server's own lines go through
the same filters and format.
"""

from __future__ import annotations

import logging
import re
import traceback

from django_guid.log_filters import CorrelationId

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{12}|\d{9})(?![0-9A-Za-z])")
PHONE = re.compile(r"(?<![0-9A-Za-z+])(?:\+?84|0)(?:[ .-]?\d){8,10}(?![0-9A-Za-z])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
QUERY = re.compile(r"(/[^\s?\"'<>]*)\?[^\s\"'<>]+")
# PostgreSQL's error details quote the row or the key values (names included):
# "DETAIL:  Failing row contains (…)", "DETAIL:  Key (applicant_id_number)=(…) already exists."
DB_DETAIL = re.compile(r"^(\s*DETAIL:).*$", re.MULTILINE)


def redact(text: str) -> str:
    """``text`` without ID numbers, phone numbers, e-mail addresses or query strings."""
    if not text:
        return text
    text = DB_DETAIL.sub(r"\1 [withheld]", text)
    text = EMAIL.sub("[email]", text)
    text = QUERY.sub(r"\1?…", text)
    text = ID_NUMBER.sub("[id]", text)
    return PHONE.sub("[phone]", text)


_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime", "request_id"}


class RedactPersonalData(logging.Filter):
    """Removes personal data from a record before any formatter sees it: the message, the
    traceback, the stack and every string passed as ``extra``."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what there is
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            # Django's request logger attaches the request; its repr carries the query string.
            record.request = f"{getattr(request, 'method', '')} {getattr(request, 'path', '')}".strip()
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, redact(value))
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
