"""Sending the outbox to the national portal (shared/domain/national-systems.md §1.2, §1.3), in
batches: ``DongBoHoSoMC`` and ``CapNhatTienDoHoSoMC`` take an array (``data``), so a batch of up
to :data:`DOSSIERS_PER_CALL` dossiers goes in one ``DongBoHoSoMC`` call (two when it holds both
new dossiers and updates) and their new progress steps in as few ``CapNhatTienDoHoSoMC`` calls
as :data:`STEPS_PER_CALL` allows — one login for the batch, one re-login when the session ends
mid-batch.

For each dossier: ``isUpdating`` is ``"True"`` when our own records say the portal acknowledged
it before (``NationalRecord.synced_at``), else ``"False"`` — and an answer "đã tồn tại" to a new
one (the portal got it but we never recorded that: a crash, a lost answer) sends it again as an
update. **Only after** its ``DongBoHoSoMC`` succeeded are its steps not yet acknowledged sent, in
order, each recorded (``SyncStep``, unique per event) the moment the portal acknowledges it.

Exactly once as the portal sees it: a step is recorded the moment the portal acknowledges it, so a
later round never sends it again. Before steps go out their items are marked ``in_doubt``; should
the answer never be recorded (the worker killed, the connection lost), the next round of that
dossier first asks ``TraCuuHoSo`` — the portal's own list of the dossier's steps (the simulator
gives it; the real adapter's reply is not documented) — and records the steps it already holds
instead of sending them twice. Every other round needs no lookup. ``DongBoHoSoMC`` is idempotent
(the whole object, as an update).

The portal answers one ``error_code`` for a call: when it refuses a call of several dossiers, the
batch is halved and each half sent again until the dossier at fault stands alone; only that one is
failed (retried with backoff, parked after the last try: ``national.outbox``), the others go on.
An unreachable portal or a refused login fails the batch in hand (retried with backoff) and
pauses the whole outbox until its retry time; nothing is lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierEvent, NationalRecord
from motcua.national import outbox
from motcua.national.constants import OutboxKind, OutboxState
from motcua.national.contrib.dvcqg import questions, ratings
from motcua.national.contrib.dvcqg.client import (
    Answer,
    LoginRefused,
    PortalClient,
    PortalError,
    PortalUnreachable,
)
from motcua.national.contrib.dvcqg.record import (
    batch_dossiers,
    national_dossier,
    progress_steps,
    step_key,
)
from motcua.national.models import OutboxItem, SyncStep

log = logging.getLogger(__name__)

#: Dossiers in one ``DongBoHoSoMC`` call (and claimed together from the outbox).
DOSSIERS_PER_CALL = 50
#: Progress steps in one ``CapNhatTienDoHoSoMC`` call (several dossiers' steps, each dossier's whole).
STEPS_PER_CALL = 200


class Refused(Exception):
    """The portal answered, and not with success: ``answer`` says why."""

    def __init__(self, service: str, answer: Answer):
        super().__init__(f"{service} {answer.error_code}")
        self.service = service
        self.answer = answer


class SessionLost(Refused):
    """The session was refused again after the batch's one re-login: the batch stops."""


def _step_acknowledged(answer: Answer) -> bool:
    return answer.ok or "thành công" in answer.message.lower()


def national_code(dossier: Dossier) -> NationalRecord:
    """The dossier's national record (made on its first sync: its own code is its national code)."""
    return national_records([dossier])[dossier.pk]


def national_records(dossiers: list[Dossier]) -> dict[int, NationalRecord]:
    """``{dossier id: national record}`` of ``dossiers``, the missing ones made (two queries, three
    when some were missing)."""
    ids = [d.pk for d in dossiers]
    records = {r.dossier_id: r for r in NationalRecord.objects.filter(dossier_id__in=ids)}
    missing = [d for d in dossiers if d.pk not in records]
    if missing:
        try:
            with transaction.atomic():
                NationalRecord.objects.bulk_create(
                    [NationalRecord(dossier=d, national_code=d.code) for d in missing], ignore_conflicts=True)
        except IntegrityError:
            pass
        records.update({r.dossier_id: r for r in NationalRecord.objects.filter(dossier_id__in=[d.pk for d in missing])})
    return records


@dataclass(eq=False)
class _Entry:
    """One dossier's item in a batch, and how far it got."""

    item: OutboxItem
    dossier: Dossier | None = None
    record: NationalRecord | None = None
    events: list = field(default_factory=list)
    body: dict | None = None
    known: bool = False                       # the portal holds it
    remote_keys: set = field(default_factory=set)
    acknowledged: set = field(default_factory=set)
    to_send: list = field(default_factory=list)
    answer: Answer | None = None
    refused: Refused | None = None
    problem: tuple[str, str] | None = None    # (error, answer) of a failure on our side
    complete: bool = False                    # its object and every step acknowledged

    @property
    def code(self) -> str:
        return self.record.national_code

    @property
    def out(self) -> bool:
        return self.refused is not None or self.problem is not None


class _Batch:
    """The calls of one batch: the lease renewed before each, a second refused session stops it."""

    def __init__(self, client: PortalClient, worker: str, items: list[OutboxItem]):
        self.client, self.worker, self.items = client, worker, items
        self.doubt: set[int] = set()  # dossiers whose steps may have reached the portal unrecorded

    def call(self, service: str, data: list, **fields) -> Answer:
        outbox.renew(self.items, self.worker)
        answer = self.client.push(service, data, **fields)
        if answer.session_refused:
            raise SessionLost(service, answer)
        return answer

    def push(self, service: str, entries: list[_Entry], payload, acknowledged, on_ok=None, **fields) -> None:
        """Send the payloads of ``entries`` in one call; when refused, each half again, down to the
        entry at fault (its ``refused`` set). ``on_ok(entries, answer)`` runs for each accepted call."""
        if not entries:
            return
        answer = self.call(service, [part for entry in entries for part in payload(entry)], **fields)
        if acknowledged(answer):
            for entry in entries:
                entry.answer = answer
            if on_ok is not None:
                on_ok(entries, answer)
            return
        if len(entries) == 1:
            entries[0].refused = Refused(service, answer)
            return
        middle = len(entries) // 2
        self.push(service, entries[:middle], payload, acknowledged, on_ok, **fields)
        self.push(service, entries[middle:], payload, acknowledged, on_ok, **fields)


def _prepare(entries: list[_Entry]) -> None:
    """The dossiers, their national records, events and acknowledged steps for the whole batch."""
    ids = [entry.item.dossier_id for entry in entries]
    dossiers = batch_dossiers(ids)
    events: dict[int, list] = {}
    for event in DossierEvent.objects.filter(dossier_id__in=ids).select_related("unit").order_by("dossier_id", "seq"):
        events.setdefault(event.dossier_id, []).append(event)
    acknowledged: dict[int, set] = {}
    for dossier_id, seq in SyncStep.objects.filter(dossier_id__in=ids).values_list("dossier_id", "seq"):
        acknowledged.setdefault(dossier_id, set()).add(seq)
    records = national_records(list(dossiers.values()))
    for entry in entries:
        entry.dossier = dossiers.get(entry.item.dossier_id)
        if entry.dossier is None:
            entry.problem = ("DoesNotExist", "Hồ sơ không còn trong hệ thống Một cửa.")
            continue
        entry.record = records[entry.dossier.pk]
        entry.events = events.get(entry.dossier.pk, [])
        entry.acknowledged = acknowledged.get(entry.dossier.pk, set())
        entry.known = entry.record.synced_at is not None


def _build(entry: _Entry) -> None:
    try:
        entry.body = national_dossier(entry.dossier, entry.code, entry.events, entry.record.databases)
    except Exception as exc:  # a bug in one dossier's data: that one fails, the batch goes on
        log.exception("national outbox item %s could not be built", entry.item.pk)
        entry.problem = (type(exc).__name__, "Lỗi trong hệ thống Một cửa.")


def _look_up(batch: _Batch, entry: _Entry) -> None:
    """``TraCuuHoSo`` for a dossier in doubt: does the portal hold it, and which steps."""
    outbox.renew(batch.items, batch.worker)
    found = batch.client.find_dossier(entry.code)
    if found.session_refused:
        raise SessionLost("TraCuuHoSo", found)
    if not found.ok:
        entry.refused = Refused("TraCuuHoSo", found)
        return
    entry.known = entry.known or bool(found.result)
    held = found.result[0] if found.result and isinstance(found.result[0], dict) else {}
    remote_steps = held.get("DanhSachTienDo")
    if isinstance(remote_steps, list):
        entry.remote_keys = {step_key(s) for s in remote_steps if isinstance(s, dict)}


def _record_steps(entries_steps: list[tuple[_Entry, list[tuple[int, dict]]]]) -> None:
    now = timezone.now()
    rows = [SyncStep(dossier_id=entry.dossier.pk, seq=seq, status_code=int(item["TrangThai"]), sent_at=now)
            for entry, steps in entries_steps for seq, item in steps]
    SyncStep.objects.bulk_create(rows, ignore_conflicts=True)
    for entry, steps in entries_steps:
        entry.acknowledged.update(seq for seq, _ in steps)


def _send_dossiers(batch: _Batch, entries: list[_Entry]) -> None:
    """One batch of dossiers: lookups for those in doubt, ``DongBoHoSoMC``, then the steps."""
    for entry in entries:
        if not entry.out and entry.dossier.pk in batch.doubt:
            _look_up(batch, entry)
    live = [entry for entry in entries if not entry.out]
    for entry in live:
        _build(entry)
    live = [entry for entry in live if not entry.out]

    def body(entry):
        return [entry.body]

    new = [entry for entry in live if not entry.known]
    updates = [entry for entry in live if entry.known]
    batch.push("DongBoHoSoMC", new, body, lambda a: a.ok, isUpdating="False")
    again = [entry for entry in new if entry.refused is not None and entry.refused.answer.already_exists]
    for entry in again:  # the portal has it already: send it as an update
        entry.refused, entry.known = None, True
    batch.push("DongBoHoSoMC", updates + again, body, lambda a: a.ok, isUpdating="True")

    synced = [entry for entry in live if not entry.out]
    for entry in synced:
        waiting = [(seq, step) for seq, step in progress_steps(entry.dossier, entry.code, entry.events)
                   if seq not in entry.acknowledged]
        already = [(seq, step) for seq, step in waiting if step_key(step) in entry.remote_keys]
        if already:
            _record_steps([(entry, already)])
        entry.to_send = [(seq, step) for seq, step in waiting if step_key(step) not in entry.remote_keys]
        entry.complete = not entry.to_send
    stepping = [entry for entry in synced if entry.to_send]
    outbox.mark_in_doubt([entry.item for entry in stepping])

    def steps(entry):
        return [step for _, step in entry.to_send]

    def recorded(done, answer):
        _record_steps([(entry, entry.to_send) for entry in done])
        for entry in done:
            entry.complete = True

    group: list[_Entry] = []
    size = 0
    for entry in stepping + [None]:
        if entry is None or (group and size + len(entry.to_send) > STEPS_PER_CALL):
            batch.push("CapNhatTienDoHoSoMC", group, steps, _step_acknowledged, recorded)
            group, size = [], 0
        if entry is None:
            break
        if len(entry.to_send) > STEPS_PER_CALL:  # a long history alone, in order, stopping at a refusal
            for start in range(0, len(entry.to_send), STEPS_PER_CALL):
                chunk = entry.to_send[start:start + STEPS_PER_CALL]
                answer = batch.call("CapNhatTienDoHoSoMC", [step for _, step in chunk])
                if not _step_acknowledged(answer):
                    entry.refused = Refused("CapNhatTienDoHoSoMC", answer)
                    break
                _record_steps([(entry, chunk)])
                entry.answer = answer
            else:
                entry.complete = True
            continue
        group.append(entry)
        size += len(entry.to_send)


def _finish(entries: list[_Entry], result: DrainResult) -> None:
    """Record what the portal acknowledged, close the items sent, fail the others."""
    done = [entry for entry in entries if not entry.out and entry.complete]
    now = timezone.now()
    for entry in done:
        record = entry.record
        record.synced_at, record.synced_version = now, entry.item.version
        record.status_sent, record.steps_sent = entry.body["TrangThaiHoSo"], len(entry.acknowledged)
        record.last_answer = entry.answer.text()[:500]
    NationalRecord.objects.bulk_update([entry.record for entry in done],
                                       ["synced_at", "synced_version", "status_sent", "steps_sent", "last_answer"])
    outbox.succeeded_many([(entry.item, entry.answer.text()) for entry in done])
    result.sent.extend(entry.item.pk for entry in done)
    for entry in entries:
        if entry.refused is not None:
            exc = entry.refused
            state = outbox.failed(entry.item, f"{exc.service}:{exc.answer.error_code}", f"{exc.service} — {exc.answer.text()}")
            result.failed.append((entry.item, state))
        elif entry.problem is not None:
            result.failed.append((entry.item, outbox.failed(entry.item, *entry.problem)))


def _send_one(item: OutboxItem, client: PortalClient) -> Answer:
    if item.kind == OutboxKind.RATINGS:
        return ratings.push_month(client, item.key)
    if item.kind == OutboxKind.QUESTIONS:
        return questions.push_question(client, item.key)
    raise ValueError(f"unknown outbox kind {item.kind}")


@dataclass
class DrainResult:
    sent: list[int] = field(default_factory=list)
    failed: list[tuple[OutboxItem, str]] = field(default_factory=list)
    stopped: str = ""  # why the batch stopped early (unreachable, login refused, session refused twice)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.stopped


def _fail_unfinished(entries: list[_Entry], *, refused: Refused | None = None, problem: tuple[str, str] | None = None):
    """The batch broke off: every entry not yet acknowledged in full fails (retried with backoff)."""
    for entry in entries:
        if not entry.out and not entry.complete:
            entry.refused, entry.problem = refused, problem


def _pause_after(items: list[OutboxItem]) -> None:
    """The portal cannot be worked with now: the outbox waits until the first retry time."""
    if items:
        retry_at = OutboxItem.objects.filter(pk=items[0].pk).values_list("next_attempt_at", flat=True).first()
        if retry_at is not None:
            outbox.pause(retry_at)


def _work(items: list[OutboxItem], client: PortalClient, worker: str, result: DrainResult) -> None:
    """Send one claimed batch: its dossiers together, then any other item on its own."""
    entries = [_Entry(item) for item in items if item.kind == OutboxKind.DOSSIER]
    others = [item for item in items if item.kind != OutboxKind.DOSSIER]
    batch = _Batch(client, worker, items)
    if entries:
        stopped: PortalError | None = None
        try:
            _prepare(entries)
            batch.doubt = outbox.dossiers_in_doubt([entry.dossier.pk for entry in entries if entry.dossier is not None])
            _send_dossiers(batch, entries)
        except SessionLost as exc:  # refused again after the one re-login: the batch stops here
            _fail_unfinished(entries, refused=exc)
            result.stopped = "session_refused"
        except (PortalUnreachable, LoginRefused) as exc:
            _fail_unfinished(entries, problem=(exc.code, exc.message))
            stopped = exc
        except PortalError as exc:
            _fail_unfinished(entries, problem=(exc.code, exc.message))
        except Exception as exc:  # a bug or a database error: keep the items, say what kind
            log.exception("national outbox batch could not be sent")
            _fail_unfinished(entries, problem=(type(exc).__name__, "Lỗi trong hệ thống Một cửa."))
        _finish(entries, result)
        if stopped is not None:
            result.stopped = stopped.code
            _pause_after([entry.item for entry in entries if entry.problem == (stopped.code, stopped.message)])
    for index, item in enumerate(others):
        if result.stopped:
            for rest in others[index:]:
                outbox.release(rest)
            break
        try:
            answer = _send_one(item, client)
        except Refused as exc:
            state = outbox.failed(item, f"{exc.service}:{exc.answer.error_code}", f"{exc.service} — {exc.answer.text()}")
            result.failed.append((item, state))
        except (PortalUnreachable, LoginRefused) as exc:
            result.failed.append((item, outbox.failed(item, exc.code, exc.message)))
            result.stopped = exc.code
            _pause_after([item])
        except PortalError as exc:
            result.failed.append((item, outbox.failed(item, exc.code, exc.message)))
        except Exception as exc:
            log.exception("national outbox item %s could not be sent", item.pk)
            result.failed.append((item, outbox.failed(item, type(exc).__name__, "Lỗi trong hệ thống Một cửa.")))
        else:
            outbox.succeeded(item, answer.text())
            result.sent.append(item.pk)


def drain(worker: str, *, limit: int, waiting_too: bool = False, item_ids: list[int] | None = None,
          client: PortalClient | None = None) -> DrainResult:
    """Send up to ``limit`` due items in batches of :data:`DOSSIERS_PER_CALL`, one login for the
    run; stop at an unreachable portal, a refused login or a session refused twice."""
    result = DrainResult()
    own_client = client is None
    taken = 0
    try:
        while taken < limit and not result.stopped:
            items = outbox.claim_batch(worker, min(limit - taken, DOSSIERS_PER_CALL), waiting_too=waiting_too,
                                       item_ids=item_ids)
            if not items:
                break
            taken += len(items)
            if client is None:
                client = PortalClient()
            _work(items, client, worker, result)
    finally:
        if own_client and client is not None:
            client.close()
    return result


def unsent(item_ids: list[int] | None = None) -> list[OutboxItem]:
    qs = OutboxItem.objects.exclude(state=OutboxState.SENT).select_related("dossier")
    return list(qs.filter(pk__in=item_ids) if item_ids is not None else qs)
