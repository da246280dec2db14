"""The stored steps (``HandlingStep``): written with the audit event that closes each one,
rebuilt from the trail. What a step is, and whether it was late, is ``dossiers.steps``."""

from __future__ import annotations

import logging

from django.db import transaction

from motcua.dossiers import steps as rule
from motcua.dossiers.models import Dossier
from motcua.inspection.models import HandlingStep

log = logging.getLogger(__name__)


def _row(dossier_id: int, s: rule.Step) -> HandlingStep:
    return HandlingStep(
        dossier_id=dossier_id, seq=s.seq, kind=s.kind, action=s.action, officer_id=s.officer_id,
        officer_name=s.officer_name[:200], unit_id=s.unit_id, level=s.level or "", started_at=s.started_at,
        ended_at=s.ended_at, worked_seconds=s.worked_seconds, allowed_seconds=s.allowed_seconds, late=s.late,
        unexplained=s.unexplained)


def on_event_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """``post_save`` of ``DossierEvent``: store the step (or act) the event closes, in the same
    transaction. Never undoes the change: a failure is logged (no personal data) and
    ``motcua inspection rebuild`` puts the step back."""
    if not created or raw or instance.action not in rule.RECORDED:
        return
    try:
        with transaction.atomic():
            dossier = instance.dossier
            # The intake's event (seq 1) is the dossier's only one: no need to read the trail back;
            # and the intake read the procedure's shares before its transaction (``step_shares``:
            # on SQLite the transaction holds the database's write lock, so reads wait outside it).
            first = instance.seq == 1
            for s in rule.dossier_steps(dossier, events=[instance] if first else None,
                                        shares=getattr(dossier, "step_shares", None) if first else None):
                if s.seq == instance.seq:
                    _row(dossier.pk, s).save(force_insert=True)
    except Exception:  # noqa: BLE001 — the dossier's change stands; rebuild repairs the step
        log.exception("handling step not stored for dossier event %s", instance.pk)


def rebuild(dossier_ids=None, *, batch: int = 500) -> int:
    """Recompute the stored steps from the trail (all dossiers, or ``dossier_ids``); returns
    how many rows were written."""
    from motcua.dossiers.models import DossierEvent

    with_steps = DossierEvent.objects.filter(action__in=rule.RECORDED).values("dossier_id").distinct()
    ids = Dossier.objects.filter(pk__in=with_steps)
    if dossier_ids is not None:
        ids = ids.filter(pk__in=list(dossier_ids))
    written = 0
    pks = list(ids.values_list("pk", flat=True).order_by("pk"))
    for i in range(0, len(pks), batch):
        part = pks[i:i + batch]
        with transaction.atomic():
            HandlingStep.objects.filter(dossier_id__in=part).delete()
            rows = [_row(d.pk, s) for d in Dossier.objects.filter(pk__in=part) for s in rule.dossier_steps(d)]
            HandlingStep.objects.bulk_create(rows, batch_size=1000)
            written += len(rows)
    if dossier_ids is None:
        HandlingStep.objects.exclude(dossier_id__in=with_steps).delete()
    return written
