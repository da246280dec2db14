"""Sending the outbox to the national portal (shared/domain/national-systems.md §1.2, §1.3).

For each dossier: ask ``TraCuuHoSo``; send ``DongBoHoSoMC`` with ``isUpdating`` ``"True"`` when
the portal has it, ``"False"`` when not (an answer "đã tồn tại" to a new one: sent again as an
update); **only after that** send ``CapNhatTienDoHoSoMC`` for the steps not yet acknowledged, in
order, ten at a time, recording each acknowledged step (``SyncStep``, unique per event) at once.

Exactly once as the portal sees it: a step is recorded the moment the portal acknowledges it,
so a later round never sends it again; and a round first reads the portal's own list of the
dossier's steps when ``TraCuuHoSo`` returns one (the simulator does; the real adapter's reply is
not documented), so a step the portal received just before a crash — acknowledged but not yet
recorded — is recorded, not sent twice. ``DongBoHoSoMC`` is idempotent (the whole object, as an
update). A dossier the portal refuses is retried with backoff and parked after the last try
(``national.outbox``); an unreachable portal or a refused login pauses the whole outbox until
the next retry time, and nothing is lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.dossiers.models import Dossier, NationalRecord
from motcua.national import outbox
from motcua.national.constants import OutboxKind, OutboxState
from motcua.national.contrib.dvcqg import questions, ratings
from motcua.national.contrib.dvcqg.client import Answer, LoginRefused, PortalClient, PortalError, PortalUnreachable
from motcua.national.contrib.dvcqg.record import _events, national_dossier, progress_steps, step_key
from motcua.national.models import OutboxItem, SyncStep

log = logging.getLogger(__name__)

STEPS_PER_CALL = 10


class Refused(Exception):
    """The portal answered, and not with success: ``answer`` says why."""

    def __init__(self, service: str, answer: Answer):
        super().__init__(f"{service} {answer.error_code}")
        self.service = service
        self.answer = answer


def _step_acknowledged(answer: Answer) -> bool:
    return answer.ok or "thành công" in answer.message.lower()


def national_code(dossier: Dossier) -> NationalRecord:
    """The dossier's national record (made on its first sync: its own code is its national code)."""
    record = NationalRecord.objects.filter(dossier=dossier).first()
    if record is None:
        try:
            with transaction.atomic():
                record = NationalRecord.objects.create(dossier=dossier, national_code=dossier.code)
        except IntegrityError:
            record = NationalRecord.objects.get(dossier=dossier)
    return record


def sync_dossier(dossier_id: int, client: PortalClient, version: int) -> Answer:
    """One round for one dossier (see the module docstring). Raises :class:`Refused` or
    :class:`PortalError`; returns the last answer."""
    dossier = Dossier.objects.select_related("procedure__field", "current_unit", "owner").get(pk=dossier_id)
    record = national_code(dossier)
    code = record.national_code
    events = _events(dossier)
    found = client.find_dossier(code)
    if not found.ok:
        raise Refused("TraCuuHoSo", found)
    exists = bool(found.result)
    held = found.result[0] if exists and isinstance(found.result[0], dict) else {}
    remote_steps = held.get("DanhSachTienDo")
    remote_keys = {step_key(s) for s in remote_steps if isinstance(s, dict)} if isinstance(remote_steps, list) else set()

    body = national_dossier(dossier, code, events)
    answer = client.push("DongBoHoSoMC", [body], isUpdating="True" if exists else "False")
    if not answer.ok and not exists and answer.already_exists:
        answer = client.push("DongBoHoSoMC", [body], isUpdating="True")
    if not answer.ok:
        raise Refused("DongBoHoSoMC", answer)

    acknowledged = set(SyncStep.objects.filter(dossier=dossier).values_list("seq", flat=True))
    waiting = [(seq, item) for seq, item in progress_steps(dossier, code, events) if seq not in acknowledged]
    already = [(seq, item) for seq, item in waiting if step_key(item) in remote_keys]
    _record_steps(dossier, already)
    to_send = [(seq, item) for seq, item in waiting if step_key(item) not in remote_keys]
    for start in range(0, len(to_send), STEPS_PER_CALL):
        chunk = to_send[start:start + STEPS_PER_CALL]
        step_answer = client.push("CapNhatTienDoHoSoMC", [item for _, item in chunk])
        if not _step_acknowledged(step_answer):
            raise Refused("CapNhatTienDoHoSoMC", step_answer)
        _record_steps(dossier, chunk)
        answer = step_answer
    NationalRecord.objects.filter(pk=record.pk).update(
        synced_at=timezone.now(), synced_version=version, status_sent=body["TrangThaiHoSo"],
        steps_sent=SyncStep.objects.filter(dossier=dossier).count(), last_answer=answer.text()[:500])
    return answer


def _record_steps(dossier: Dossier, steps: list[tuple[int, dict]]) -> None:
    now = timezone.now()
    SyncStep.objects.bulk_create([SyncStep(dossier=dossier, seq=seq, status_code=int(item["TrangThai"]), sent_at=now)
                                  for seq, item in steps], ignore_conflicts=True)


def _send(item: OutboxItem, client: PortalClient) -> Answer:
    if item.kind == OutboxKind.DOSSIER:
        return sync_dossier(item.dossier_id, client, item.version)
    if item.kind == OutboxKind.RATINGS:
        return ratings.push_month(client, item.key)
    if item.kind == OutboxKind.QUESTIONS:
        return questions.push_question(client, item.key)
    raise ValueError(f"unknown outbox kind {item.kind}")


@dataclass
class DrainResult:
    sent: list[int] = field(default_factory=list)
    failed: list[tuple[OutboxItem, str]] = field(default_factory=list)
    stopped: str = ""  # why the batch stopped early (unreachable, login refused)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.stopped


def drain(worker: str, *, limit: int, waiting_too: bool = False, item_ids: list[int] | None = None,
          client: PortalClient | None = None) -> DrainResult:
    """Send up to ``limit`` due items, one login for the batch; stop at an unreachable portal."""
    result = DrainResult()
    own_client = client is None
    try:
        for _ in range(limit):
            item = outbox.claim(worker, waiting_too=waiting_too, item_ids=item_ids)
            if item is None:
                break
            try:
                if client is None:
                    client = PortalClient()
                answer = _send(item, client)
            except Refused as exc:
                state = outbox.failed(item, f"{exc.service}:{exc.answer.error_code}", f"{exc.service} — {exc.answer.text()}")
                result.failed.append((item, state))
            except (PortalUnreachable, LoginRefused) as exc:
                state = outbox.failed(item, exc.code, exc.message)
                result.failed.append((item, state))
                result.stopped = exc.code
                retry_at = OutboxItem.objects.filter(pk=item.pk).values_list("next_attempt_at", flat=True).first()
                if retry_at is not None:
                    outbox.pause(retry_at)
                break
            except PortalError as exc:
                result.failed.append((item, outbox.failed(item, exc.code, exc.message)))
            except Exception as exc:  # a bug or a database error: keep the item, say what kind
                log.exception("national outbox item %s could not be sent", item.pk)
                result.failed.append((item, outbox.failed(item, type(exc).__name__, "Lỗi trong hệ thống Một cửa.")))
            else:
                outbox.succeeded(item, answer.text())
                result.sent.append(item.pk)
    finally:
        if own_client and client is not None:
            client.close()
    return result


def unsent(item_ids: list[int] | None = None) -> list[OutboxItem]:
    qs = OutboxItem.objects.exclude(state=OutboxState.SENT).select_related("dossier")
    return list(qs.filter(pk__in=item_ids) if item_ids is not None else qs)
