"""Telling applicants about their dossier: e-mail, SMS, Zalo, as background tasks.

``notify(dossier, kind)`` writes one :class:`Notification` per channel the applicant hears on
(the outbox) inside the caller's transaction, and enqueues ``deliver_notification`` for each
*after* that transaction commits (``transaction.on_commit``): the request never talks to a
mail server or a gateway, so a dead or slow one never slows or fails it, and a rolled-back
change sends nothing.

The worker runs :func:`deliver`: one attempt through the channel's sender (with a timeout),
recorded as a :class:`DeliveryAttempt` (channel, status, error class: no personal data). A
failure is retried later with backoff (``settings.NOTIFICATION_RETRY_DELAYS``: 1 min, 5 min,
30 min, 2 h, 6 h by default), by re-enqueuing the task with ``run_after``; once the server is
back, the message goes out. A permanent refusal, or the last retry failing, marks it
``failed``. Without a mail server configured, e-mail stays ``kept`` in the outbox (admin).

``on_dossier_event(event)`` maps the workflow's events to notifications; the app connects it
to ``post_save`` of ``DossierEvent`` (see ``apps.py``).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.notifications.base import Outgoing, PermanentFailure
from motcua.notifications.constants import AttemptStatus, Channel, State
from motcua.identifiers import international
from motcua.notifications.messages import (
    PAID,
    RECEIVED,
    REFUSED,
    RESCHEDULED,
    RESOLVED,
    SUPPLEMENT_REQUESTED,
    compose,
    sms_text,
    template_data,
)
from motcua.notifications.models import ChannelChoice, DeliveryAttempt, Notification
from motcua.notifications.registry import register
from motcua.server.tasks import task

log = logging.getLogger(__name__)

# Which workflow events the applicant hears about (NĐ 61/2018, NĐ 118/2025: the applicant
# is told of receipt, of what to supplement, of the result and of a new appointment; issue 9
# adds refusal and payment).
KIND_BY_ACTION = {
    "receive": RECEIVED,
    "accept": RECEIVED,
    "request_supplement": SUPPLEMENT_REQUESTED,
    "approve": RESOLVED,
    "reject": RESOLVED,
    "reschedule": RESCHEDULED,
    "refuse": REFUSED,
    "pay_fee": PAID,
}


# ------------------------------------------------------------------ who hears on which channel

def chosen_channels(dossier: Dossier) -> list[str]:
    """The channels the applicant opted in to: their profile's choice when the dossier has an
    owner account who chose; otherwise e-mail, or SMS for an applicant who gave no e-mail
    address (a citizen with only a phone hears without having to choose it: issue 17 §3)."""
    if dossier.owner_id:
        choice = ChannelChoice.objects.filter(user_id=dossier.owner_id).first()
        if choice is not None:
            return choice.chosen()
    return [Channel.EMAIL] if dossier.applicant_email else [Channel.SMS]


def recipients(dossier: Dossier) -> list[tuple[str, str]]:
    """``[(channel, recipient)]`` for ``dossier``: chosen, switched on here, with an address."""
    wanted = chosen_channels(dossier)
    found = []
    for channel in register.channels_on():
        if channel not in wanted:
            continue
        if channel == Channel.EMAIL and dossier.applicant_email:
            found.append((channel, dossier.applicant_email))
        elif channel in (Channel.SMS, Channel.ZALO) and dossier.applicant_phone:
            found.append((channel, international(dossier.applicant_phone)))
    return found


def set_channels(user, *, email: bool, sms: bool, zalo: bool) -> ChannelChoice:
    choice, _ = ChannelChoice.objects.update_or_create(user=user, defaults={"email": email, "sms": sms, "zalo": zalo})
    return choice


def channel_options(user=None) -> list[dict]:
    """The channels switched on here, as a citizen chooses them (the profile's page, sign-up,
    the online filing): ``[{value, label, checked}]``. Checked: the user's choice; without
    one, the default of :func:`chosen_channels` (e-mail, or SMS for an account with a phone
    and no e-mail)."""
    choice = None
    if user is not None and getattr(user, "is_authenticated", False):
        choice = ChannelChoice.objects.filter(user=user).first()
    if choice is not None:
        checked = set(choice.chosen())
    elif user is not None and getattr(user, "is_authenticated", False):
        checked = {Channel.EMAIL} if user.email else {Channel.SMS}
    else:
        checked = {Channel.EMAIL}
    available = register.channels_on()
    return [{"value": c.value, "label": c.label, "checked": c.value in checked} for c in Channel if c.value in available]


def channels_at_sign_up(sender, request, user, **kwargs) -> None:
    """allauth's ``user_signed_up``: the channels ticked on the sign-up form (when it offered them)."""
    if request is not None and request.method == "POST" and request.POST.get("channels_offered"):
        choose_channels(user, request.POST.getlist("channel"))


def choose_channels(user, picked) -> ChannelChoice:
    """Save the channels ``user`` ticked among those offered here; a channel not offered here
    (switched off) keeps its earlier choice."""
    picked = set(picked)
    available = register.channels_on()
    earlier = ChannelChoice.objects.filter(user=user).first()
    return set_channels(user, **{c: (c in picked) if c in available else bool(earlier and getattr(earlier, c))
                                 for c in Channel.values})


# ------------------------------------------------------------------ writing the outbox

def notify(dossier: Dossier, event_kind: str, *, event: DossierEvent | None = None, note: str = "") -> list[Notification]:
    """Queue notification ``event_kind`` about ``dossier`` on each of the applicant's channels;
    return the new rows (none when there is no address, or it was already queued for ``event``)."""
    created = []
    for channel, recipient in recipients(dossier):
        if channel == Channel.EMAIL:
            message = compose(dossier, event_kind, note=note)
            subject, body, data = message.subject, message.body, {}
        else:
            subject, body = "", sms_text(dossier, event_kind)
            data = template_data(dossier, event_kind) if channel == Channel.ZALO else {}
        try:
            with transaction.atomic():  # a savepoint: a duplicate leaves the caller's transaction intact
                notification = Notification.objects.create(
                    dossier=dossier, event=event, kind=event_kind, channel=channel, recipient=recipient,
                    subject=subject[:300], body=body, data=data, next_attempt_at=timezone.now(),
                )
        except IntegrityError:
            continue
        _enqueue_on_commit(notification.pk)
        created.append(notification)
    return created


# Messages about the account itself, sent to a phone (accounts/sms.py): their text holds a
# one-time code, so it is blanked once delivered (the outbox keeps that it was sent, not the code).
ACCOUNT_KINDS = ("phone_code", "account_exists")


def send_account_sms(*, phone: str, kind: str, text: str, user=None) -> bool:
    """Queue an SMS about the account (not a dossier) to ``phone``; delivered by the worker."""
    notification = Notification.objects.create(
        user=user, kind=kind, channel=Channel.SMS, recipient=international(phone), subject="", body=text,
        next_attempt_at=timezone.now(),
    )
    _enqueue_on_commit(notification.pk)
    return True


def sms_available() -> bool:
    return register.for_channel(Channel.SMS) is not None


def notify_contact(kind: str, *, email: str = "", phone: str = "", subject: str, body: str,
                   sms_body: str = "") -> list[Notification]:
    """Queue a message that is not about a dossier (the answer to a question) to the address a
    person left: e-mail when given, SMS to the phone when the SMS channel is switched on. The same
    outbox, retries and delivery attempts as a dossier's notices; nothing sent before the commit."""
    created = []
    for channel in register.channels_on():
        if channel == Channel.EMAIL and email:
            recipient, text, title = email, body, subject[:300]
        elif channel == Channel.SMS and phone:
            recipient, text, title = international(phone), sms_body or body[:300], ""
        else:
            continue
        notification = Notification.objects.create(
            kind=kind, channel=channel, recipient=recipient, subject=title, body=text, next_attempt_at=timezone.now())
        _enqueue_on_commit(notification.pk)
        created.append(notification)
    return created


def _enqueue_on_commit(notification_id: int) -> None:
    def enqueue() -> None:
        deliver_notification.enqueue(notification_id)

    transaction.on_commit(enqueue, robust=True)


def on_dossier_event(event: DossierEvent) -> list[Notification]:
    """Notify the applicant when ``event`` is one they should hear about."""
    kind = KIND_BY_ACTION.get(event.action)
    if kind is None:
        return []
    return notify(_dossier_of(event), kind, event=event, note=event.note)


MESSAGE_RELATIONS = ("procedure", "unit", "current_unit")  # what the messages name besides the dossier's own fields


def _dossier_of(event: DossierEvent) -> Dossier:
    """The event's dossier with its procedure and units: the object the event was recorded on
    when it carries them (an intake: one query fewer in the request), else read afresh."""
    if DossierEvent.dossier.is_cached(event):
        dossier = event.dossier
        if all(Dossier._meta.get_field(name).is_cached(dossier) for name in MESSAGE_RELATIONS):
            return dossier
    return Dossier.objects.select_related(*MESSAGE_RELATIONS).get(pk=event.dossier_id)


def _worth_notifying(event: DossierEvent) -> bool:
    """Cheap pre-check without a query: an event kind applicants hear about, on a dossier with
    an e-mail address, or with a phone when SMS or Zalo is on (the event carries the dossier
    object it was recorded on)."""
    if event.action not in KIND_BY_ACTION:
        return False
    if not DossierEvent.dossier.is_cached(event):
        return True
    dossier = event.dossier
    if dossier.applicant_email:
        return True
    return bool(dossier.applicant_phone) and any(c != Channel.EMAIL for c in register.channels_on())


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


# ------------------------------------------------------------------ delivering (in the worker)

def retry_delay(attempt: int) -> dt.timedelta | None:
    """The wait after failed attempt number ``attempt`` (1-based); None: no more tries."""
    delays = settings.NOTIFICATION_RETRY_DELAYS
    if attempt > len(delays):
        return None
    return dt.timedelta(seconds=delays[attempt - 1])


def deliver(notification_id: int) -> str:
    """One attempt at sending a queued notification; return its state afterwards."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:
        return ""
    if notification.state != State.QUEUED:
        return notification.state
    sender = register.for_channel(notification.channel)
    number = notification.attempts + 1
    started = timezone.now()
    reference, error, permanent = "", "", False
    if sender is None or not sender.delivers:
        status = AttemptStatus.KEPT
        error = "" if sender is not None else "ChannelOff"
    else:
        try:
            reference = sender.send(Outgoing(
                notification_id=notification.pk, kind=notification.kind, recipient=notification.recipient,
                subject=notification.subject, body=notification.body, data=notification.data or {},
            )) or ""
            status = AttemptStatus.SENT
        except PermanentFailure as exc:
            status, permanent = AttemptStatus.FAILED, True
            error = exc.code or type(exc).__name__
        except Exception as exc:  # refused, timed out, 5xx…: the class only, never the message
            status = AttemptStatus.FAILED
            code = getattr(exc, "code", "")
            error = code if isinstance(code, str) and code else type(exc).__name__
    finished = timezone.now()
    DeliveryAttempt.objects.create(
        notification=notification, number=number, channel=notification.channel,
        sender=sender.identifier if sender else "", status=status, error_class=error[:100],
        started_at=started, finished_at=finished,
    )
    changes = {"attempts": number, "sender": sender.identifier if sender else "", "error": error[:300]}
    if status == AttemptStatus.SENT:
        changes.update(state=State.SENT, sent_at=finished, reference=reference[:100], next_attempt_at=None)
        if notification.kind in ACCOUNT_KINDS:
            changes["body"] = ""
    elif status == AttemptStatus.KEPT:
        changes.update(state=State.KEPT, next_attempt_at=None)
        log.info("notification %s (%s) kept in the outbox: no sender for its channel", notification.pk, notification.channel)
    else:
        wait = None if permanent else retry_delay(number)
        if wait is None:
            changes.update(state=State.FAILED, next_attempt_at=None)
            log.warning("notification %s (%s) failed for good after %s attempts: %s", notification.pk,
                        notification.channel, number, error)
        else:
            changes.update(next_attempt_at=finished + wait)
            log.warning("notification %s (%s) attempt %s failed (%s); next try in %s s", notification.pk,
                        notification.channel, number, error, int(wait.total_seconds()))
    Notification.objects.filter(pk=notification.pk).update(**changes)
    if "state" not in changes:  # try again later
        deliver_notification.using(run_after=changes["next_attempt_at"]).enqueue(notification.pk)
        return State.QUEUED
    return changes["state"]


def requeue(notification: Notification) -> None:
    """Send a failed or kept notification again (the admin's action), after the commit."""
    Notification.objects.filter(pk=notification.pk).update(state=State.QUEUED, next_attempt_at=timezone.now())
    _enqueue_on_commit(notification.pk)


@task()
def deliver_notification(notification_id: int) -> str:
    """The background task: one attempt (see :func:`deliver`)."""
    return deliver(notification_id)
