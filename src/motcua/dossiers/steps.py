"""The steps of a dossier's handling and each step's share of the legal time.

The one home of "which officer held the dossier, for how long, and was it too long". The
inspection of officers' work (``motcua.inspection``: the officers' report, its flags, the
stored steps) and the office timeline ask here.

A **step** is the time between two consecutive handling events of a dossier (its audit trail,
``DossierEvent``), credited to the officer who closed it, of the kind the closing action says:

==========================  ===========================================  ===========
closing action              step                                         starts at
==========================  ===========================================  ===========
receive, accept, refuse     intake (tiếp nhận)                           the previous
request_supplement          intake when the dossier was not yet          boundary (the
                            accepted, otherwise processing               arrival first)
assign                      assignment (phân công)                       …
propose, transfer           processing (thẩm định, xử lý)                …
approve, reject             approval (phê duyệt)                         …
return_result               return (trả kết quả)                         …
==========================  ===========================================  ===========

The applicant's events (submit, supplement, withdraw) and an import are boundaries that start
the next step but are no officer's step, so the time a dossier waits for the citizen's
supplement (the clock stands, docs/deadlines.md) is in no step. ``reschedule`` (the apology with a new
appointment) is recorded as the leader's ``apology`` act, which is no step and no boundary.

**Time** is working time by the calendar of the unit the step was done at
(``worktime.calendar.working_seconds_between``); a step is done at the unit that held the
dossier during it (a transfer's step at the unit that sent it on). The **legal time** of a dossier is the working
time from its effective receipt to its first due time (``original_due_at``: a re-appointment
does not lengthen it). A step's **share** is a percentage of it, per procedure and step kind,
and per level of the unit that did the step for liên thông procedures (``catalog.StepShare``;
without a row, :data:`DEFAULT_SHARES`). A step is **late** ("held past its share") when the
working time of the dossier's steps of that kind at that level so far — a processing step split
by a supplement request counts as one — exceeds the share.

A refusal (``refuse`` at intake, ``reject`` after processing) **without a reason** is one whose
note does not give one: fewer than :data:`MIN_REASON_WORDS` words (the workflow already
refuses an empty note; imported history may have none).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from motcua.catalog.models import StepKind
from motcua.dossiers.workflow import Action
from motcua.worktime import calendar as wt

# The defaults when a procedure has no share of its own for a step (percent of the legal time).
DEFAULT_SHARES: dict[str, Decimal] = {
    StepKind.INTAKE: Decimal(10),
    StepKind.ASSIGNMENT: Decimal(10),
    StepKind.PROCESSING: Decimal(55),
    StepKind.APPROVAL: Decimal(15),
    StepKind.RETURN: Decimal(10),
}

# A refusal's note gives a reason when it has at least this many words.
MIN_REASON_WORDS = 3

APOLOGY = "apology"  # the leader's reschedule: an act, not a step

CLOSING: dict[str, str] = {
    Action.RECEIVE: StepKind.INTAKE,
    Action.ACCEPT: StepKind.INTAKE,
    Action.REFUSE: StepKind.INTAKE,
    Action.ASSIGN: StepKind.ASSIGNMENT,
    Action.REQUEST_SUPPLEMENT: StepKind.PROCESSING,
    Action.PROPOSE: StepKind.PROCESSING,
    Action.TRANSFER: StepKind.PROCESSING,
    Action.APPROVE: StepKind.APPROVAL,
    Action.REJECT: StepKind.APPROVAL,
    Action.RETURN_RESULT: StepKind.RETURN,
}
# Boundaries that are no officer's step: the next step starts there.
STARTING = frozenset({Action.SUBMIT, Action.IMPORT, Action.SUPPLEMENT, Action.WITHDRAW})
REFUSALS = frozenset({Action.REFUSE, Action.REJECT})
# Every action that writes a step or an act (what the stored steps are rebuilt from).
RECORDED = frozenset({*CLOSING, Action.RESCHEDULE})


def step_kind(action: str, from_status: str) -> str | None:
    """The step ``action`` closes (``None`` when it closes none)."""
    if action == Action.REQUEST_SUPPLEMENT and from_status == "submitted":
        return StepKind.INTAKE
    return CLOSING.get(action)


def reason_given(note: str) -> bool:
    """Whether a refusal's note gives a reason (:data:`MIN_REASON_WORDS` words or more)."""
    return len(str(note or "").split()) >= MIN_REASON_WORDS


def shares_of(procedure) -> dict[tuple[str, str], Decimal]:
    """The procedure's own shares: ``{(level or "", step): percent}``."""
    from motcua.catalog.models import StepShare

    return {(s.level, s.step): s.share for s in StepShare.objects.filter(procedure=procedure)}


def share_for(shares: dict[tuple[str, str], Decimal], level: str, kind: str) -> Decimal:
    """The share of step ``kind`` done at a unit of ``level``: the level's own row, else the
    procedure's row for every level, else the default."""
    return shares.get((level, kind), shares.get(("", kind), DEFAULT_SHARES[kind]))


def legal_seconds(cal: wt.Calendar, received_at: dt.datetime, original_due_at: dt.datetime) -> float:
    """The dossier's legal time in working seconds (receipt to first due time)."""
    return max(wt.working_seconds_between(cal, received_at, original_due_at), 0.0)


@dataclass
class Step:
    """One officer's step (or, kind :data:`APOLOGY`, act) of a dossier."""

    seq: int                 # the closing event's number in the trail
    kind: str
    action: str
    officer_id: int | None
    officer_name: str
    unit_id: int | None
    level: str
    started_at: dt.datetime
    ended_at: dt.datetime
    worked_seconds: float    # working time of this step
    allowed_seconds: float   # the share of the legal time for its kind at its level
    used_seconds: float      # working time of the dossier's steps of this kind at this level so far
    late: bool               # held past its share
    unexplained: bool        # a refusal without a reason

    @property
    def is_step(self) -> bool:
        return self.kind != APOLOGY


def derive_steps(dossier, events, *, calendar_of, level_of, shares) -> list[Step]:
    """Every step and act of ``dossier`` from its ``events`` in trail order.

    ``calendar_of(unit_id)`` and ``level_of(unit_id)`` give a unit's working calendar and
    level; ``shares`` is :func:`shares_of` the dossier's procedure. Pure: the stored steps,
    their rebuild and the one-by-one recount all come from here."""
    steps: list[Step] = []
    boundary = dossier.submitted_at
    legal_cal = calendar_of(dossier.unit_id)
    legal = legal_seconds(legal_cal, dossier.received_at, dossier.original_due_at)
    used: dict[tuple[str, str], float] = {}
    holder = dossier.unit_id  # the unit holding the dossier: where the previous event left it
    for e in events:
        action = str(e.action)
        unit_id, holder = holder, (e.unit_id or holder)
        if action == Action.RESCHEDULE:
            level = level_of(unit_id)
            steps.append(Step(e.seq, APOLOGY, action, e.actor_id, e.actor_name, unit_id, level, e.at, e.at,
                              0.0, 0.0, 0.0, False, False))
            continue
        kind = step_kind(action, e.from_status)
        if kind is None:
            if action in STARTING:
                boundary = e.at if action != Action.SUBMIT else dossier.submitted_at
            continue
        start = min(boundary, e.at)
        level = level_of(unit_id)
        worked = max(wt.working_seconds_between(calendar_of(unit_id), start, e.at), 0.0)
        allowed = float(share_for(shares, level, kind)) * legal / 100
        key = (level, kind)
        used[key] = used.get(key, 0.0) + worked
        late = legal > 0 and used[key] > allowed + 1e-6
        unexplained = action in REFUSALS and not reason_given(e.note)
        steps.append(Step(e.seq, kind, action, e.actor_id, e.actor_name, unit_id, level, start, e.at,
                          worked, allowed, used[key], late, unexplained))
        boundary = e.at
    return steps


def dossier_steps(dossier, events=None, shares=None) -> list[Step]:
    """:func:`derive_steps` of one dossier read from the database (the timeline's source);
    ``events``: its whole trail in order when the caller holds it already (the intake);
    ``shares``: :func:`shares_of` its procedure, when the caller read them already."""
    from motcua.catalog.models import Unit
    from motcua.worktime.services import calendar_for_unit

    if events is None:
        events = list(dossier.events.order_by("seq").only(
            "seq", "at", "action", "from_status", "actor_id", "actor_name", "unit_id", "note"))
    unit_ids = {dossier.unit_id, *(e.unit_id for e in events if e.unit_id)}
    if unit_ids == {dossier.unit_id} and type(dossier).unit.is_cached(dossier):
        units = {dossier.unit_id: dossier.unit}
    else:
        units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids)}
    return derive_steps(
        dossier, events,
        calendar_of=lambda pk: calendar_for_unit(units.get(pk) or units[dossier.unit_id]),
        level_of=lambda pk: (units.get(pk) or units[dossier.unit_id]).level,
        shares=shares_of(dossier.procedure_id) if shares is None else shares,
    )
