"""The headers Django's SecurityMiddleware and django-csp do not send."""

from __future__ import annotations

from django.conf import settings


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` (settings.PERMISSIONS_POLICY): the browser features no Motcua
    page uses — camera, microphone, location, payment handlers … — are refused to every page
    and anything a page might embed."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response


class ProxyHeaderMiddleware:
    """``X-Forwarded-Proto`` is dropped unless the connection comes from the proxy of
    ``MOTCUA_TRUSTED_PROXY`` (``net.from_trusted_proxy``), before SecurityMiddleware reads it
    (``SECURE_PROXY_SSL_HEADER``): a client that reaches the server directly cannot claim HTTPS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from motcua.net import from_trusted_proxy

        if "HTTP_X_FORWARDED_PROTO" in request.META and not from_trusted_proxy(request):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        return self.get_response(request)
