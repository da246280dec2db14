"""The national outbox: what must reach the national portal, kept in the database until it did.

Writing: every event of a dossier (``dossiers.audit.record_event`` is their one writer; this
module listens to the ``DossierEvent`` saves it makes) puts the dossier in the outbox **in the
transaction of the change** (an answered question likewise, ``voices.services.answered``: one
item per question, ``key`` its id) — durable with it, undone with it — when the national portal is
connected (or its simulator is on). A dossier has at most one open item (pending or failed):
later changes join it (its ``version`` follows the dossier's), so a busy dossier is sent once
with its latest state. After the commit a drain task is enqueued (unless one is waiting);
the request never talks to the national portal.

Working: :func:`claim_batch` hands a batch of due items (:func:`claim`: one) to a sender under a
lease (``claimed_until``, renewed before each call to the portal: :func:`renew`): two workers
never send the same item at once, and an item whose worker died is taken again once its lease
has passed. Before progress steps go out their items are marked ``in_doubt`` (:func:`mark_in_doubt`),
so that a round after a crash or a lost answer looks up what the portal holds first.
:func:`succeeded` / :func:`succeeded_many` close items (and clear the doubt) — unless the dossier
changed meanwhile, then it stays open for another round; :func:`failed` counts the attempt, schedules the next one
by ``MOTCUA_DVCQG_RETRY_DELAYS``, and after the last parks it for an operator with the answer
it got. While the portal is unreachable or refuses the login, the outbox pauses
(:func:`pause`) until the next retry instead of trying every item.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from motcua.dossiers.workflow import Action
from motcua.national.constants import OPEN_STATES, OutboxKind, OutboxState
from motcua.national.models import OutboxItem

log = logging.getLogger(__name__)

DRAIN_TASK = "motcua.national.tasks.drain_national_outbox"
PAUSE_KEY = "national:dvcqg:paused_until"
NOT_A_CHANGE = frozenset({Action.RATE, Action.SURVEY})  # ratings go as the month's DongBoDanhGia, not per dossier
ANSWER_MAX = 1000


def lease() -> dt.timedelta:
    """How long a claimed item is its sender's: the longest a dossier's calls can take."""
    return dt.timedelta(seconds=6 * settings.DVCQG_TIMEOUT + 30)


# ------------------------------------------------------------------ writing

def connected() -> bool:
    from motcua.national.contrib.dvcqg.plugin import portal

    return portal().connected()


def put(kind: str, *, dossier_id: int | None = None, key: str = "", version: int = 0) -> None:
    """Open (or join) the item of ``kind`` for ``dossier_id`` / ``key``; call inside the change's
    transaction. The drain task is enqueued after the commit."""
    for _ in range(2):
        joined = OutboxItem.objects.filter(kind=kind, dossier_id=dossier_id, key=key, state__in=OPEN_STATES).update(
            version=version, updated_at=timezone.now())
        if joined:
            break
        try:
            with transaction.atomic():  # a savepoint: a concurrent insert leaves the caller's transaction intact
                OutboxItem.objects.create(kind=kind, dossier_id=dossier_id, key=key, version=version,
                                          next_attempt_at=timezone.now())
            break
        except IntegrityError:
            continue  # another transaction opened it first: join that one
    transaction.on_commit(kick, robust=True)


def on_event_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """``post_save`` of ``DossierEvent``: put the dossier in the outbox. Never undoes the change:
    a failure here is logged (no personal data) and the dossier is picked up by its next change."""
    if not created or raw or instance.action in NOT_A_CHANGE or not connected():
        return
    try:
        with transaction.atomic():
            put(OutboxKind.DOSSIER, dossier_id=instance.dossier_id, version=instance.seq)
    except Exception:
        log.exception("national outbox: dossier %s event %s not queued", instance.dossier_id, instance.seq)


def on_question_answered(sender, item, **kwargs) -> None:
    """``voices.services.answered``: a question answered and published (``DongBoHoiDap``), or
    answered after it came from the national portal (``DongBoKetQuaHoiDapGuiTuDVCQG``), goes in
    the outbox in the approval's transaction. Like a dossier's event, a failure here is logged
    and never undoes the answer."""
    from motcua.national.contrib.dvcqg.questions import to_send

    if not connected() or not to_send(item):
        return
    try:
        with transaction.atomic():
            put(OutboxKind.QUESTIONS, key=str(item.pk))
    except Exception:
        log.exception("national outbox: question %s not queued", item.pk)


def kick() -> None:
    """Enqueue the drain task unless a run is already waiting."""
    from motcua.server.periodic import waiting_in_queue

    if not waiting_in_queue(DRAIN_TASK):
        from motcua.national.tasks import drain_national_outbox

        drain_national_outbox.enqueue()


# ------------------------------------------------------------------ working

def pause(until: dt.datetime) -> None:
    cache.set(PAUSE_KEY, until.isoformat(), timeout=max(1, int((until - timezone.now()).total_seconds()) + 1))


def paused_until(now: dt.datetime | None = None) -> dt.datetime | None:
    value = cache.get(PAUSE_KEY)
    if not value:
        return None
    until = dt.datetime.fromisoformat(value)
    return until if until > (now or timezone.now()) else None


def resume() -> None:
    cache.delete(PAUSE_KEY)


def _claimable(now: dt.datetime, *, waiting_too: bool):
    qs = OutboxItem.objects.filter(state__in=OPEN_STATES).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    if not waiting_too:
        qs = qs.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    return qs


def has_due(now: dt.datetime | None = None) -> bool:
    """Is there an item to send now (the recurring check of the worker's heartbeat)?"""
    now = now or timezone.now()
    if paused_until(now) is not None:
        return False
    return _claimable(now, waiting_too=False).exists()


def claim(worker: str, *, waiting_too: bool = False, item_ids: list[int] | None = None) -> OutboxItem | None:
    """Take the next due item for ``worker`` under a lease; None when there is none.

    ``waiting_too``: also items waiting for their retry time (``motcua national sync``)."""
    now = timezone.now()
    with transaction.atomic():
        qs = _claimable(now, waiting_too=waiting_too)
        if item_ids is not None:
            qs = qs.filter(pk__in=item_ids)
        # PostgreSQL: rows another worker is claiming are skipped; SQLite: the write lock serialises.
        pk = qs.order_by("next_attempt_at", "id").select_for_update(skip_locked=True).values_list("pk", flat=True).first()
        if pk is None:
            return None
        OutboxItem.objects.filter(pk=pk).update(claimed_until=now + lease(), claimed_by=worker[:80])
    return OutboxItem.objects.select_related("dossier").get(pk=pk)


def claim_batch(worker: str, limit: int, *, waiting_too: bool = False, item_ids: list[int] | None = None) -> list[OutboxItem]:
    """Take up to ``limit`` due items for ``worker`` under one lease, in the order :func:`claim`
    takes them (one query to choose, one to claim, one to read them with their dossiers). The
    sender renews the lease (:func:`renew`) before each call, so a long batch is never taken
    from under it."""
    now = timezone.now()
    with transaction.atomic():
        qs = _claimable(now, waiting_too=waiting_too)
        if item_ids is not None:
            qs = qs.filter(pk__in=item_ids)
        pks = list(qs.order_by("next_attempt_at", "id").select_for_update(skip_locked=True)
                   .values_list("pk", flat=True)[:limit])
        if not pks:
            return []
        OutboxItem.objects.filter(pk__in=pks).update(claimed_until=now + lease(), claimed_by=worker[:80])
    items = {item.pk: item for item in OutboxItem.objects.select_related("dossier").filter(pk__in=pks)}
    return [items[pk] for pk in pks if pk in items]


def renew(items: list[OutboxItem], worker: str) -> None:
    """Extend ``worker``'s lease on ``items`` (before a call to the portal)."""
    if items:
        OutboxItem.objects.filter(pk__in=[item.pk for item in items], claimed_by=worker[:80]).update(
            claimed_until=timezone.now() + lease())


def mark_in_doubt(items: list[OutboxItem]) -> None:
    """Before progress steps go out: should the answer never be recorded (a crash, a lost
    connection), the next round of these items looks up what the portal holds first."""
    if items:
        OutboxItem.objects.filter(pk__in=[item.pk for item in items]).update(in_doubt=True)


def dossiers_in_doubt(dossier_ids: list[int]) -> set[int]:
    """The dossiers among ``dossier_ids`` whose steps may have reached the portal unrecorded
    (an item of theirs in doubt, whatever its state: a parked one too)."""
    if not dossier_ids:
        return set()
    return set(OutboxItem.objects.filter(dossier_id__in=dossier_ids, in_doubt=True).values_list("dossier_id", flat=True))


def succeeded_many(done: list[tuple[OutboxItem, str]]) -> list[int]:
    """:func:`succeeded` for many items in a few queries (one per distinct answer, and one
    to reopen those whose dossier changed meanwhile). Returns the ids of the items closed."""
    if not done:
        return []
    now = timezone.now()
    by_answer: dict[str, list[OutboxItem]] = {}
    for item, answer in done:
        by_answer.setdefault(answer[:ANSWER_MAX], []).append(item)
    for answer, items in by_answer.items():
        same_version = Q(pk__in=[])
        for item in items:
            same_version |= Q(pk=item.pk, version=item.version)
        OutboxItem.objects.filter(same_version).update(
            state=OutboxState.SENT, sent_at=now, claimed_until=None, error="", answer=answer, in_doubt=False,
            attempts=F("attempts") + 1, next_attempt_at=None)
    pks = [item.pk for item, _ in done]
    dossiers = [item.dossier_id for item, _ in done if item.dossier_id]
    if dossiers:  # everything acknowledged is recorded: no doubt left on any item of these dossiers
        OutboxItem.objects.filter(dossier_id__in=dossiers, in_doubt=True).update(in_doubt=False)
    still_open = list(OutboxItem.objects.filter(pk__in=pks).exclude(state=OutboxState.SENT).values_list("pk", flat=True))
    if still_open:
        OutboxItem.objects.filter(pk__in=still_open).update(claimed_until=None, next_attempt_at=now, state=OutboxState.PENDING)
    return [pk for pk in pks if pk not in set(still_open)]


def succeeded(item: OutboxItem, answer: str = "") -> bool:
    """Close ``item`` as sent — unless its dossier changed meanwhile (then it stays open, due now).
    True when it was closed."""
    now = timezone.now()
    closed = OutboxItem.objects.filter(pk=item.pk, version=item.version).update(
        state=OutboxState.SENT, sent_at=now, claimed_until=None, error="", answer=answer[:ANSWER_MAX], in_doubt=False,
        attempts=F("attempts") + 1, next_attempt_at=None)
    if item.dossier_id:
        OutboxItem.objects.filter(dossier_id=item.dossier_id, in_doubt=True).update(in_doubt=False)
    if not closed:
        OutboxItem.objects.filter(pk=item.pk).update(claimed_until=None, next_attempt_at=now, state=OutboxState.PENDING)
    return bool(closed)


def retry_delay(attempt: int) -> dt.timedelta | None:
    """The wait after failed attempt number ``attempt`` (1-based); None: park it."""
    delays = settings.DVCQG_RETRY_DELAYS
    if attempt > len(delays):
        return None
    return dt.timedelta(seconds=delays[attempt - 1])


def failed(item: OutboxItem, error: str, answer: str) -> str:
    """Count a failed attempt; schedule the next or park the item. Returns its new state."""
    now = timezone.now()
    current = OutboxItem.objects.filter(pk=item.pk).values_list("attempts", flat=True).first() or 0
    attempt = current + 1
    wait = retry_delay(attempt)
    state = OutboxState.PARKED if wait is None else OutboxState.FAILED
    OutboxItem.objects.filter(pk=item.pk).update(
        state=state, attempts=attempt, claimed_until=None, error=error[:100], answer=answer[:ANSWER_MAX],
        next_attempt_at=None if wait is None else now + wait)
    log.warning("national outbox item %s (%s) attempt %s failed: %s%s", item.pk, item.kind, attempt, error,
                "; parked" if wait is None else f"; next try in {int(wait.total_seconds())} s")
    return state


def release(item: OutboxItem) -> None:
    """Give ``item`` back untouched (the batch stopped before it was tried)."""
    OutboxItem.objects.filter(pk=item.pk).update(claimed_until=None)


def retry(item_ids: list[int] | None = None) -> int:
    """The operator's "retry": failed and parked items (all, or these) are due again now, with a
    fresh count of attempts. Returns how many."""
    qs = OutboxItem.objects.filter(state__in=[OutboxState.FAILED, OutboxState.PARKED])
    if item_ids is not None:
        qs = qs.filter(pk__in=item_ids)
    now = timezone.now()
    count = 0
    for item in qs:
        try:
            with transaction.atomic():
                count += OutboxItem.objects.filter(pk=item.pk).update(
                    state=OutboxState.PENDING, attempts=0, next_attempt_at=now, claimed_until=None)
        except IntegrityError:  # the dossier changed since and has an open item already: that one carries it
            OutboxItem.objects.filter(pk=item.pk).update(state=OutboxState.SENT, answer="Đã gộp vào lần gửi mới hơn.")
    resume()
    transaction.on_commit(kick, robust=True)
    return count


def counts_by_day(since: dt.date) -> list[dict]:
    """``[{day, pending, failed, sent, parked}]`` of the items created each day since ``since``."""
    from django.db.models.functions import TruncDate

    rows = (OutboxItem.objects.filter(created_at__date__gte=since)
            .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
            .values("day", "state").annotate(n=Count("pk")).order_by("-day"))
    days: dict = {}
    for row in rows:
        days.setdefault(row["day"], {"day": row["day"], **{s: 0 for s in OutboxState.values}})[row["state"]] = row["n"]
    return list(days.values())
