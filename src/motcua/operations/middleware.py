"""Request middleware: the request line of every request."""

from __future__ import annotations

import logging
import time

from motcua.logging_config import KnownValues, known_values
from motcua.net import client_address

access_log = logging.getLogger("motcua.access")


class AccessLogMiddleware:
    """One INFO line per request on ``motcua.access``: method, path (never the query string:
    staff searches carry names and ID numbers there), status, duration, route, client address.
    The request id is added by the logging filters (``motcua.logging_config``). Every line
    logged while the request is served (this one included) knows its personal values
    (``logging_config.known_values``): they are redacted wherever they appear."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        scope = known_values.set(KnownValues(request))  # what this request's lines must not show
        try:
            response = self.get_response(request)
            self._log(request, response, started)
        finally:
            known_values.reset(scope)
        return response

    @staticmethod
    def _log(request, response, started: float) -> None:
        if access_log.isEnabledFor(logging.INFO):
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            match = getattr(request, "resolver_match", None)
            route = (match.view_name or match.route) if match is not None else "-"
            access_log.info(
                "%s %s %s %.1fms", request.method, request.path, response.status_code, duration_ms,
                extra={"method": request.method, "path": request.path, "status": response.status_code,
                       "duration_ms": duration_ms, "route": route, "client": client_address(request)},
            )


class BusyDatabaseMiddleware:
    """A database that is busy (SQLite's "database is locked" past the busy timeout) or
    unavailable (unreachable, role disabled, access revoked, dropped) becomes 503 with
    ``Retry-After``: the error body on the API (docs/api.md#errors), a Vietnamese page elsewhere; never an
    HTML 500. Nothing was written: the transaction that failed is rolled back. (Errors raised
    in middleware rather than a view get the same answer from ``handler500``.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from motcua.operations.throttles import database_trouble_response

        return database_trouble_response(request, exception)
