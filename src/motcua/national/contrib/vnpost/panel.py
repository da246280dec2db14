"""What the counter sees of VNPost on a dossier's page: its orders and their state, and what it
may do (ask VNPost to collect the papers, cancel an order, send a refused one again)."""

from __future__ import annotations

from motcua.accounts.models import Role
from motcua.dossiers import scope
from motcua.dossiers.models import Delivery, Status
from motcua.national.contrib.vnpost import orders
from motcua.national.models import PostalOrder

COLLECTABLE = (Status.SUBMITTED, Status.AWAITING_SUPPLEMENT)


def may_manage(user, dossier) -> bool:
    return user.role == Role.COUNTER and scope.handles(user, dossier)


def postal_context(user, dossier) -> dict:
    found = list(PostalOrder.objects.filter(dossier=dossier).prefetch_related("events").order_by("-created_at", "-id"))
    connected = orders.connected()
    manage = may_manage(user, dossier) and connected
    may_collect = manage and dossier.status in COLLECTABLE and not any(
        o.direction == PostalOrder.Direction.COLLECT and o.state in orders.LIVE for o in found)
    return {
        "postal_shown": bool(found) or dossier.delivery == Delivery.POST or may_collect,
        "postal_connected": connected,
        "postal_orders": found,
        "postal_live": orders.LIVE,
        "postal_may_manage": manage,
        "postal_may_collect": may_collect,
    }
