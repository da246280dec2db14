"""Telling applicants about their dossier by e-mail.

``notify(dossier, kind)`` records a :class:`Notification` and sends it after the current
transaction commits: through Django's tasks API when it is installed (Django ≥ 6.0's
``django.tasks`` or the ``django_tasks`` backport), otherwise synchronously in
``transaction.on_commit``. A failing mail server never breaks the dossier action: the
notification is marked ``failed`` and the error logged without personal data.

``on_dossier_event(event)`` maps the workflow's events to notifications; the app connects
it to ``post_save`` of ``DossierEvent`` (see ``apps.py``).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.notifications.messages import (
    RECEIVED,
    RESCHEDULED,
    RESOLVED,
    SUPPLEMENT_REQUESTED,
    compose,
)
from motcua.notifications.models import Notification

log = logging.getLogger(__name__)

# Which workflow events the applicant hears about (NĐ 61/2018, NĐ 118/2025: the applicant
# is told of receipt, of what to supplement, of the result and of a new appointment).
KIND_BY_ACTION = {
    "receive": RECEIVED,
    "accept": RECEIVED,
    "request_supplement": SUPPLEMENT_REQUESTED,
    "approve": RESOLVED,
    "reject": RESOLVED,
    "reschedule": RESCHEDULED,
}


def _find_task_decorator():
    try:
        from django.tasks import task  # Django ≥ 6.0
    except ImportError:
        try:
            from django_tasks import task  # the backport
        except ImportError:
            return None
    return task


TASK = None  # the next commit moves delivery to the background worker


def deliver(notification_id: int) -> str:
    """Send one queued notification now; return its final state."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or notification.state == Notification.State.SENT:
        return notification.state if notification else ""
    try:
        EmailMessage(
            subject=notification.subject, body=notification.body, from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.recipient],
        ).send(fail_silently=False)
    except Exception as exc:  # the mail server is down, refuses, times out…
        log.warning("notification %s (dossier %s) not sent: %s", notification.pk, notification.dossier_id, type(exc).__name__)
        Notification.objects.filter(pk=notification.pk).update(state=Notification.State.FAILED, error=type(exc).__name__[:300])
        return Notification.State.FAILED
    Notification.objects.filter(pk=notification.pk).update(state=Notification.State.SENT, sent_at=timezone.now(), error="")
    return Notification.State.SENT


if TASK is not None:  # pragma: no cover - not installed in this environment
    @TASK()
    def deliver_later(notification_id: int) -> None:
        deliver(notification_id)

    def _schedule(notification_id: int) -> None:
        transaction.on_commit(lambda: deliver_later.enqueue(notification_id), robust=True)
else:
    def _schedule(notification_id: int) -> None:
        transaction.on_commit(lambda: deliver(notification_id), robust=True)


def notify(dossier: Dossier, event_kind: str, *, event: DossierEvent | None = None, note: str = "") -> Notification | None:
    """E-mail the applicant about ``dossier`` (``received``, ``supplement_requested``,
    ``resolved``, ``rescheduled``); None when there is no address or it was already sent
    for this event."""
    if not dossier.applicant_email:
        return None
    message = compose(dossier, event_kind, note=note)
    try:
        with transaction.atomic():  # a savepoint: a duplicate leaves the caller's transaction intact
            notification = Notification.objects.create(
                dossier=dossier, event=event, kind=event_kind, channel="email", recipient=dossier.applicant_email,
                subject=message.subject, body=message.body,
            )
    except IntegrityError:
        return None
    _schedule(notification.pk)
    return notification


def on_dossier_event(event: DossierEvent) -> Notification | None:
    """Notify the applicant when ``event`` is one they should hear about."""
    kind = KIND_BY_ACTION.get(event.action)
    if kind is None:
        return None
    dossier = Dossier.objects.select_related("procedure", "unit", "current_unit").get(pk=event.dossier_id)
    return notify(dossier, kind, event=event, note=event.note)


def _worth_notifying(event: DossierEvent) -> bool:
    """Cheap pre-check without a query: an event kind applicants hear about, on a dossier
    with an e-mail address (the event carries the dossier object it was recorded on)."""
    if event.action not in KIND_BY_ACTION:
        return False
    if not DossierEvent.dossier.is_cached(event):
        return True
    return bool(event.dossier.applicant_email)


def _on_event_saved(sender, instance: DossierEvent, created: bool, raw: bool = False, **kwargs) -> None:
    """``post_save`` receiver. A notification problem never undoes the dossier action:
    it runs in a savepoint and is logged (without personal data) if it fails."""
    if not created or raw or not _worth_notifying(instance):
        return
    try:
        with transaction.atomic():
            on_dossier_event(instance)
    except Exception:
        log.exception("notification for event %s of dossier %s failed", instance.pk, instance.dossier_id)
