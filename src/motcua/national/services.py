"""What the pages and the API ask of the national connections (thin adapters call these)."""

from __future__ import annotations

from motcua.accounts.models import Role, User
from motcua.dossiers.models import Dossier, NationalRecord
from motcua.dossiers.scope import get_visible
from motcua.errors import NotFound
from motcua.national.constants import OPEN_STATES, OutboxKind
from motcua.national.models import OutboxItem

STAFF_VIEWERS = {Role.COUNTER, Role.SPECIALIST, Role.LEADER, Role.INSPECTOR, Role.ADMIN}


def receive_forwarded(user: User, body: dict) -> tuple[Dossier, bool]:
    """A dossier forwarded by the national portal (docs/api.md ``POST /national/dossiers``)."""
    from motcua.national.contrib.dvcqg.inbound import receive

    return receive(user, body, channel="push")


def sync_state(user: User, code: str) -> dict:
    """docs/api.md ``GET /dossiers/{code}/national``: staff of the dossier's units and admins."""
    if not user.is_authenticated or (user.role not in STAFF_VIEWERS and not user.is_superuser):
        raise NotFound(f"Không tìm thấy hồ sơ “{code}”.", code="dossier_not_found")
    dossier = get_visible(user, code)
    record = NationalRecord.objects.filter(dossier=dossier).first()
    item = (OutboxItem.objects.filter(kind=OutboxKind.DOSSIER, dossier=dossier).order_by("-id").first())
    pending = OutboxItem.objects.filter(kind=OutboxKind.DOSSIER, dossier=dossier, state__in=OPEN_STATES).exists()
    return {
        "national_code": record.national_code if record else None,
        "pending": pending,
        "synced_at": record.synced_at if record else None,
        "status_sent": record.status_sent if record else None,
        "steps_sent": record.steps_sent if record else 0,
        "last_answer": (item.answer if item is not None and item.answer else (record.last_answer if record else "")),
    }
