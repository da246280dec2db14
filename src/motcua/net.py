"""Who is asking: the client's address, behind ``MOTCUA_NUM_PROXIES`` reverse proxies, and
whether a request came through the trusted proxy of ``MOTCUA_TRUSTED_PROXY``.

The one home of those rules: throttles, login lockouts (django-axes), the request lines and
the /metrics allow-list read the address from here; ``security.headers.ProxyHeaderMiddleware``
and gunicorn's ``forwarded_allow_ips`` (``gunicorn_conf.py``) ask :func:`from_trusted_proxy` /
read ``settings.TRUSTED_PROXY_ADDRESSES`` before believing ``X-Forwarded-Proto``.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


def client_address(request) -> str:
    """The connection's address; with N proxies in front, the N-th address from the right of
    ``X-Forwarded-For`` (the one the outermost trusted proxy saw)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.NINJA_NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not proxies or not forwarded:
        return remote
    if settings.TRUSTED_PROXY_ADDRESSES and not from_trusted_proxy(request):
        return remote  # a client that reached the server directly: its own X-Forwarded-For is not believed
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    if not hops:
        return remote
    return hops[-min(proxies, len(hops))]


@lru_cache(maxsize=32)
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(s, strict=False) for s in spec)


def address_in(address: str, allowed: list[str] | tuple[str, ...]) -> bool:
    """Whether ``address`` belongs to one of the addresses or networks in ``allowed``."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in net for net in _networks(tuple(allowed)) if net.version == ip.version)


LOOPBACK = ["127.0.0.1", "::1"]


def trusted_proxies(raw: str) -> list[str]:
    """``MOTCUA_TRUSTED_PROXY``: ``false`` → none; ``true`` → the proxy runs on this machine
    (loopback); else comma-separated addresses or networks (``10.0.0.5,10.0.1.0/24``)."""
    from motcua.conf import FALSE_WORDS, TRUE_WORDS

    value = raw.strip().lower()
    if value in FALSE_WORDS:
        return []
    if value in TRUE_WORDS:
        return list(LOOPBACK)
    found = [part.strip() for part in value.split(",") if part.strip()]
    for part in found:
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            raise ValueError(f"MOTCUA_TRUSTED_PROXY: {part!r} is not an address or network "
                             "(true, false, or e.g. 10.0.0.5,10.0.1.0/24)") from None
    return found


def from_trusted_proxy(request) -> bool:
    """Whether the connection itself comes from one of ``settings.TRUSTED_PROXY_ADDRESSES``."""
    return address_in(request.META.get("REMOTE_ADDR") or "", settings.TRUSTED_PROXY_ADDRESSES)
