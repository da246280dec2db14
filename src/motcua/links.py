"""Absolute public links: the one home of every address printed or sent to a citizen.

QR codes, posters, receipts, ``tracking_url``, ``qr_url``, ``pay_url`` and e-mails all call
:func:`public_url`. The address is, in order (docs/configuration.md ``MOTCUA_PUBLIC_URL``):

1. ``MOTCUA_PUBLIC_URL`` when set (``settings.PUBLIC_URL``): the portal's published name;
2. otherwise, within a request, the address that request came to
   (``request.build_absolute_uri``: scheme, host and port as the browser used them). A
   caller may pass ``request``; without it, the request being served is used: the
   :class:`RequestAddressMiddleware` keeps it in a context variable, so a link made deep
   inside a service (an e-mail composed when an event is recorded, a gateway's ``pay_url``)
   follows the request too;
3. otherwise (background work: the worker, a management command) the address
   ``motcua serve`` listens on, which it records in ``MOTCUA_SERVE_URL``
   (``settings.SERVE_URL``, default ``http://127.0.0.1:8000``).
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.urls import reverse

_current_request: ContextVar = ContextVar("motcua_current_request", default=None)


def public_url(path: str, request=None) -> str:
    """The absolute public address of ``path`` (a site path such as ``/tra-cuu/X/``)."""
    if not path.startswith("/"):
        path = "/" + path
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL + path
    request = request if request is not None else _current_request.get()
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SERVE_URL + path


def public_reverse(viewname: str, *args, request=None) -> str:
    """:func:`public_url` of ``reverse(viewname, args=args)``."""
    return public_url(reverse(viewname, args=args), request)


def tracking_url(code: str, request=None) -> str:
    """The public tracking page of dossier ``code`` (``/tra-cuu/{code}/``)."""
    return public_reverse("portal:track_code", code, request=request)


def procedure_url(code: str, request=None) -> str:
    """The public page of procedure ``code`` (``/thu-tuc/{code}/``)."""
    return public_reverse("portal:procedure", code, request=request)


def serve_url(host: str, port) -> str:
    """The address ``motcua serve --host H --port P`` answers on, for links made without a request.

    A wildcard bind (``0.0.0.0``, ``::``) is reachable on this machine as ``localhost``.
    """
    if host in ("", "0.0.0.0", "::", "[::]"):
        host = "localhost"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


class RequestAddressMiddleware:
    """Remembers the request being served, for :func:`public_url` calls made without one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
