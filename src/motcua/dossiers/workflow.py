"""The dossier workflow as one declarative table: status × action × role → status.

Plain Python: ``services.apply_action`` looks the action up here, checks the role and the
required fields, then writes the new state and its event in one transaction. Sources:
NĐ 61/2018 and NĐ 118/2025 (intake, one written guidance for supplementation, apology
and one re-appointment), TT 01/2018 (forms); see ``shared/domain/dossier.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.dossiers.models import Status

KEEP = "keep"      # the status does not change (transfer, reschedule)
RESUME = "resume"  # back to the status held before the pause (supplement)

COUNTER, SPECIALIST, LEADER, OWNER = "counter", "specialist", "leader", "owner"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    requires: tuple[str, ...] = ()


def _t(action, label, sources, target, roles, requires=()):
    return Transition(action, label, frozenset(sources), target, frozenset(roles), tuple(requires))


S = Status
IN_HANDLING = {S.RECEIVED, S.PROCESSING}
BEFORE_DECISION = {S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.AWAITING_SUPPLEMENT, S.AWAITING_APPROVAL}

TRANSITIONS: tuple[Transition, ...] = (
    _t("accept", "Tiếp nhận hồ sơ", {S.SUBMITTED}, S.RECEIVED, {COUNTER}),
    _t("refuse", "Từ chối tiếp nhận", {S.SUBMITTED}, S.REFUSED, {COUNTER}, ["note"]),
    _t("request_supplement", "Yêu cầu bổ sung hồ sơ", {S.SUBMITTED, S.RECEIVED, S.PROCESSING},
       S.AWAITING_SUPPLEMENT, {COUNTER, SPECIALIST, LEADER}, ["note"]),
    _t("supplement", "Bổ sung hồ sơ", {S.AWAITING_SUPPLEMENT}, RESUME, {OWNER, COUNTER}),
    _t("assign", "Phân công xử lý", IN_HANDLING, S.PROCESSING, {COUNTER, LEADER}, ["assignee"]),
    _t("transfer", "Chuyển xử lý liên thông", {S.RECEIVED, S.PROCESSING, S.APPROVED, S.REJECTED}, KEEP,
       {COUNTER, SPECIALIST, LEADER}, ["to_unit"]),
    # A leader may be the assignee (``assign`` allows it), so a leader may propose too.
    _t("propose", "Trình lãnh đạo phê duyệt", {S.PROCESSING}, S.AWAITING_APPROVAL, {SPECIALIST, LEADER}),
    _t("approve", "Phê duyệt kết quả", {S.AWAITING_APPROVAL}, S.APPROVED, {LEADER}),
    _t("reject", "Không giải quyết (từ chối)", {S.RECEIVED, S.PROCESSING, S.AWAITING_APPROVAL}, S.REJECTED,
       {LEADER}, ["note"]),
    _t("return_result", "Trả kết quả", {S.APPROVED, S.REJECTED}, S.RESULT_RETURNED, {COUNTER}),
    _t("withdraw", "Rút hồ sơ", BEFORE_DECISION, S.WITHDRAWN, {OWNER, COUNTER}, ["note"]),
    _t("reschedule", "Xin lỗi và hẹn lại ngày trả", {S.RECEIVED, S.PROCESSING, S.AWAITING_SUPPLEMENT, S.AWAITING_APPROVAL},
       KEEP, {LEADER}, ["due_at", "note"]),
)

BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}
ACTIONS: tuple[str, ...] = tuple(BY_ACTION)

# Actions a specialist may take only on dossiers assigned to them (CONTRACT §2: the
# specialist "processes what is assigned to it"; the leader "also" does what it does).
ASSIGNEE_ONLY = {"request_supplement", "propose", "transfer"}


def transition_for(action: str) -> Transition | None:
    return BY_ACTION.get(action)


def allowed_in(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if status in t.sources]


def target_status(transition: Transition, current: str, resume_to: str = "") -> str:
    if transition.target == KEEP:
        return current
    if transition.target == RESUME:
        return resume_to or Status.RECEIVED
    return transition.target
