"""Compressed responses, where compression cannot give a secret away (BREACH).

BREACH reads a secret out of compressed HTTPS responses: the attacker's page makes the
victim's browser send many requests *with the victim's cookies*, each reflecting a guess
beside the secret in the same body, and watches the sizes. It needs a credentialed response,
a secret that stays the same from one response to the next, and the attacker's text in it.

So responses are compressed (Django's ``GZipMiddleware``, which also pads each response with
random bytes, the "Heal the Breach" mitigation) only:

- for requests that carry **no session cookie**: anonymous visitors' pages (the catalog, a
  procedure, public tracking show nothing personal; a form's CSRF token is masked anew in
  every response, so it is not a stable secret) and API clients that authenticate with a
  bearer token (a header no other site can make a browser send);
- never for a request with a session cookie, whatever the page: a logged-in officer's or
  citizen's pages hold names and ID numbers and reflect searches, and an anonymous citizen's
  filing draft shows what they typed;
- only text (HTML, JSON, CSS, JavaScript, CSV, SVG, plain text): PDFs, spreadsheets and
  images are compressed already.

Static files never reach this middleware: WhiteNoise, above it, serves their gzip
copies made by ``collectstatic`` (``motcua.static_storage``).
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = ("text/", "application/json", "application/javascript", "application/problem+json", "image/svg+xml")


def may_compress(request, response) -> bool:
    """Whether ``response`` to ``request`` may be compressed (see the module)."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type.startswith(COMPRESSIBLE)


class SafeGZipMiddleware(GZipMiddleware):
    """``GZipMiddleware`` for the responses :func:`may_compress` allows; the others pass as they are."""

    def process_response(self, request, response):
        if not may_compress(request, response):
            return response
        return super().process_response(request, response)
