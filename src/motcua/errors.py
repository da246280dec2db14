"""Domain errors. The API turns them into docs/api.md bodies; pages show their message."""

from __future__ import annotations


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    """The one error body (docs/api.md#errors): the API's handlers and the throttles' JSON answers."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, fields: dict[str, list[str]] | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.fields = fields or {}

    def as_body(self) -> dict:
        return error_body(self.code, self.message, self.fields)


class InvalidInput(DomainError):
    status = 422
    code = "invalid_input"


class NotFound(DomainError):
    status = 404
    code = "not_found"


def one_by_id(queryset, pk, message: str, code: str):
    """The row of ``queryset`` (what the caller may see) with id ``pk`` as typed in a URL or a
    body; else :class:`NotFound` with ``message`` and ``code`` (an id that is not a number is
    not found either)."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        number = 0
    found = queryset.filter(pk=number).first()
    if found is None:
        raise NotFound(message, code=code)
    return found


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"
