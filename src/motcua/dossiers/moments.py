"""The moments of a dossier as people read them: the one home of "when did what happen".

A dossier has two intake times (docs/deadlines.md): ``submitted_at``, when it actually arrived
(an online filing at 02:06, a paper handed in at the counter), and ``received_at``, its
*effective* receipt, from which the deadline counts: the same moment in working hours,
else the start of the next working time (07:30), or the next working day after a
procedure's same-day cut-off. Shown as one "Tiếp nhận 07:30" line, a result given at
02:08 by an officer working late reads as "resolved before received". So every timeline
(the office dossier page, the API's ``moments`` and intake events, the tracking page)
lists what :func:`dossier_moments` returns: the arrival, with the effective receipt
beside it when they differ, then what followed, in order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from motcua.dossiers.workflow import Action

# The events that take a dossier in: their ``at`` is the arrival, not the effective receipt.
INTAKE_ACTIONS = frozenset({Action.SUBMIT, Action.RECEIVE})


@dataclass(frozen=True)
class Moment:
    """One moment of a dossier's life. ``counts_from`` is set on the arrival when the
    deadline counts from a later moment (the effective receipt)."""

    key: str
    label: str
    at: dt.datetime
    counts_from: dt.datetime | None = None
    note: str = ""


def effective_receipt(dossier) -> dt.datetime | None:
    """The effective receipt when it differs from the arrival, else ``None``."""
    if dossier.received_at is None or dossier.submitted_at is None:
        return None
    return dossier.received_at if dossier.received_at != dossier.submitted_at else None


def receipt_note(dossier) -> str:
    """Why the deadline counts from a later moment than the arrival ("" when it does not)."""
    if effective_receipt(dossier) is None:
        return ""
    return str(_("nộp ngoài giờ tiếp nhận, thời hạn tính từ giờ làm việc kế tiếp"))


def dossier_moments(dossier) -> list[Moment]:
    """The arrival (with its effective receipt), then the resolution, the return, the
    withdrawal or the refusal that happened, oldest first. The due time is not a moment
    that happened; pages show it beside these."""
    online = getattr(dossier, "channel", "") == "online"
    arrival_label = _("Nộp hồ sơ") if online or effective_receipt(dossier) else _("Tiếp nhận")
    moments = [Moment("submitted", str(arrival_label), dossier.submitted_at or dossier.received_at,
                      counts_from=effective_receipt(dossier), note=receipt_note(dossier))]
    later = (
        ("refused", _("Từ chối tiếp nhận"), dossier.refused_at),
        ("resolved", _("Giải quyết xong"), dossier.resolved_at),
        ("returned", _("Đã trả kết quả"), dossier.returned_at),
        ("withdrawn", _("Rút hồ sơ"), dossier.withdrawn_at),
    )
    moments += sorted((Moment(key, str(label), at) for key, label, at in later if at is not None),
                      key=lambda m: m.at)
    return moments


def processing_duration(received_at: dt.datetime, resolved_at: dt.datetime) -> dt.timedelta:
    """How long a dossier took to resolve: from its effective receipt (``received_at``, where
    its deadline counts from) to its resolution, never negative.

    A result given before the effective receipt (taken in on Sunday at 19:43, it counts from
    Monday 07:30; an officer working late resolves it at once) took no time: zero, not "half a
    day before it was received". Every average or median of processing times counts this."""
    return max(resolved_at - received_at, dt.timedelta(0))


def moments_json(dossier, iso) -> list[dict]:
    """:func:`dossier_moments` for the API, times written by ``iso``."""
    return [{"key": m.key, "label": m.label, "at": iso(m.at), "counts_from": iso(m.counts_from),
             "note": m.note} for m in dossier_moments(dossier)]
