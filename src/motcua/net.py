"""Who is asking: the client's address, behind ``MOTCUA_NUM_PROXIES`` reverse proxies.

The one home of that rule: throttles, login lockouts (django-axes), the request lines and
the /metrics allow-list all read the address from here.
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
