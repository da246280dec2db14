"""The dossier workflow as one declarative table: status × action × role → status, with
what the action changes (its handler) and what the applicant is told (its notice).

Plain data: ``actions.check`` answers "may this user do this now, and if not, why?" from
this table alone, and ``actions.apply_action`` applies it in one transaction. Sources:
NĐ 61/2018 and NĐ 118/2025 (intake, one written guidance for supplementation, apology
and one re-appointment), TT 01/2018 (forms); see ``shared/domain/dossier.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Callable

from django.utils.translation import gettext_lazy as _

from motcua.dossiers import handlers
from motcua.dossiers.models import Channel, Source, Status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Action(StrEnum):
    """Every name the audit trail records. The first twelve are the workflow's (docs/api.md);
    the others are recorded by intake, import, uploads, digitisation, payments and ratings."""

    ACCEPT = "accept"
    REFUSE = "refuse"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLEMENT = "supplement"
    ASSIGN = "assign"
    TRANSFER = "transfer"
    PROPOSE = "propose"
    APPROVE = "approve"
    REJECT = "reject"
    RETURN_RESULT = "return_result"
    WITHDRAW = "withdraw"
    RESCHEDULE = "reschedule"
    # Not workflow actions: events of intake and of changes beside the status.
    SUBMIT = "submit"                    # an online filing arrives (status submitted)
    RECEIVE = "receive"                  # a counter officer takes a dossier in (status received)
    IMPORT = "import"                    # brought in from an earlier system
    UPLOAD_DOCUMENT = "upload_document"  # a paper or a result attached
    DIGITISE_DOCUMENT = "digitise_document"  # a scan made a PDF/A with its text (documents.digitisation)
    DESCRIBE_DOCUMENT = "describe_document"  # a paper's metadata set: number, issuer, dates, validity
    PAY_FEE = "pay_fee"                  # a fee order paid (online or cash at the counter)
    PAYMENT = "payment"                  # a fee order created, cancelled, expired or failed
    RATE = "rate"                        # the applicant's rating (online, or at the counter's kiosk)
    SURVEY = "survey"                    # the applicant's five-criteria satisfaction survey
    PAPER_NOT_FETCHED = "paper_not_fetched"  # a paper of a forwarded dossier could not be fetched or was refused
    POPULATION_LOOKUP = "population_lookup"  # the population database looked up for it (national/contrib/population)
    SIGN_RESULT = "sign_result"          # a digital signature added to a result file (motcua.signing)
    POSTAL = "postal"                    # a VNPost order made or cancelled, or its tracking news


class Notice(StrEnum):
    """What the applicant is told (``notifications``: NĐ 61/2018, NĐ 118/2025 — receipt, what
    to supplement, the result, a new appointment)."""

    RECEIVED = "received"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    RESOLVED = "resolved"
    RESCHEDULED = "rescheduled"


KEEP = "keep"      # the status does not change (transfer, reschedule)
RESUME = "resume"  # back to the status held before the pause (supplement)

COUNTER, SPECIALIST, LEADER, OWNER = "counter", "specialist", "leader", "owner"

# NĐ 61/2018 Art. 19(2)(c) as amended: one apology letter with one new appointment.
RESCHEDULE_LIMIT = 1

Handler = Callable[..., dict]


@dataclass(frozen=True)
class Transition:
    action: Action
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    requires: tuple[str, ...] = ()
    handler: Handler = handlers.no_change
    notice: Notice | None = None


def _t(action, label, sources, target, roles, requires=(), handler=handlers.no_change, notice=None):
    return Transition(action, label, frozenset(sources), target, frozenset(roles), tuple(requires), handler, notice)


S = Status
A = Action
IN_HANDLING = {S.RECEIVED, S.PROCESSING}
BEFORE_DECISION = {S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.AWAITING_SUPPLEMENT, S.AWAITING_APPROVAL}

TRANSITIONS: tuple[Transition, ...] = (
    _t(A.ACCEPT, "Tiếp nhận hồ sơ", {S.SUBMITTED}, S.RECEIVED, {COUNTER}, notice=Notice.RECEIVED),
    _t(A.REFUSE, "Từ chối tiếp nhận", {S.SUBMITTED}, S.REFUSED, {COUNTER}, ["note"], handlers.refuse),
    _t(A.REQUEST_SUPPLEMENT, "Yêu cầu bổ sung hồ sơ", {S.SUBMITTED, S.RECEIVED, S.PROCESSING},
       S.AWAITING_SUPPLEMENT, {COUNTER, SPECIALIST, LEADER}, ["note"], handlers.request_supplement,
       Notice.SUPPLEMENT_REQUESTED),
    _t(A.SUPPLEMENT, "Bổ sung hồ sơ", {S.AWAITING_SUPPLEMENT}, RESUME, {OWNER, COUNTER}, handler=handlers.supplement),
    _t(A.ASSIGN, "Phân công xử lý", IN_HANDLING, S.PROCESSING, {COUNTER, LEADER}, ["assignee"], handlers.assign),
    _t(A.TRANSFER, "Chuyển xử lý liên thông", {S.RECEIVED, S.PROCESSING, S.APPROVED, S.REJECTED}, KEEP,
       {COUNTER, SPECIALIST, LEADER}, ["to_unit"], handlers.transfer),
    # A leader may be the assignee (``assign`` allows it), so a leader may propose too.
    _t(A.PROPOSE, "Trình lãnh đạo phê duyệt", {S.PROCESSING}, S.AWAITING_APPROVAL, {SPECIALIST, LEADER}),
    _t(A.APPROVE, "Phê duyệt kết quả", {S.AWAITING_APPROVAL}, S.APPROVED, {LEADER}, handler=handlers.resolve,
       notice=Notice.RESOLVED),
    _t(A.REJECT, "Không giải quyết (từ chối)", {S.RECEIVED, S.PROCESSING, S.AWAITING_APPROVAL}, S.REJECTED,
       {LEADER}, ["note"], handlers.resolve, Notice.RESOLVED),
    _t(A.RETURN_RESULT, "Trả kết quả", {S.APPROVED, S.REJECTED}, S.RESULT_RETURNED, {COUNTER},
       handler=handlers.return_result),
    _t(A.WITHDRAW, "Rút hồ sơ", BEFORE_DECISION, S.WITHDRAWN, {OWNER, COUNTER}, ["note"], handlers.withdraw),
    _t(A.RESCHEDULE, "Xin lỗi và hẹn lại ngày trả",
       {S.RECEIVED, S.PROCESSING, S.AWAITING_SUPPLEMENT, S.AWAITING_APPROVAL},
       KEEP, {LEADER}, ["due_at", "note"], handlers.reschedule, Notice.RESCHEDULED),
)

BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}
ACTIONS: tuple[Action, ...] = tuple(Action(action) for action in BY_ACTION)

# Actions a specialist may take only on dossiers assigned to them (docs/api.md: the
# specialist "processes what is assigned to it"; the leader "also" does what it does).
ASSIGNEE_ONLY = frozenset({A.REQUEST_SUPPLEMENT, A.PROPOSE, A.TRANSFER})

# What the applicant hears of each event: the transitions' notices, and intake's own.
NOTICES: dict[str, Notice] = {
    A.RECEIVE: Notice.RECEIVED,
    **{t.action: t.notice for t in TRANSITIONS if t.notice is not None},
}

# The labels of the events that are not transitions (the timeline shows them too).
EVENT_LABELS: dict[str, StrOrPromise] = {
    A.SUBMIT: _("Nộp hồ sơ trực tuyến"),
    A.RECEIVE: _("Tiếp nhận hồ sơ"),
    A.IMPORT: _("Nhập từ hệ thống cũ"),
    A.UPLOAD_DOCUMENT: _("Tải lên giấy tờ"),
    A.DIGITISE_DOCUMENT: _("Số hóa giấy tờ"),
    A.DESCRIBE_DOCUMENT: _("Ghi thông tin giấy tờ"),
    A.PAY_FEE: _("Nộp phí, lệ phí"),
    A.PAYMENT: _("Yêu cầu thanh toán phí, lệ phí"),
    A.RATE: _("Đánh giá mức độ hài lòng"),
    A.SURVEY: _("Trả lời khảo sát mức độ hài lòng"),
    A.PAPER_NOT_FETCHED: _("Không nhận được giấy tờ gửi kèm từ Cổng Dịch vụ công quốc gia"),
    A.POPULATION_LOOKUP: _("Tra cứu Cơ sở dữ liệu quốc gia về dân cư"),
    A.SIGN_RESULT: _("Ký số kết quả"),
    A.POSTAL: _("Bưu chính công ích (VNPost)"),
}


# ------------------------------------------------------------------ intake: who brings a dossier in, how

CITIZEN, NATIONAL_PORTAL = "citizen", "national_portal"  # account roles (accounts.Role) of intake only
MEMBER, FORWARDS = "member", "forwards"  # the actor's tie to the receiving unit: a member, or forwards to it


@dataclass(frozen=True)
class Intake:
    """One way a dossier comes in (``intake.receive_dossier`` asks :func:`intake_way`).

    ``assisted``: a citizen's account is named as the owner (a counter officer files for them).
    ``owner``: who owns the dossier — ``"named"`` (that account), ``"actor"`` (the filer) or
    ``""`` (no local owner). ``source``: fixed, or ``""`` for the one the request names (else
    the province's portal). ``unit``: the actor's tie the receiving unit needs, with the
    refusal when it is missing. ``refusal``: the message when the actor's role may not."""

    channels: frozenset[str]
    assisted: bool
    roles: frozenset[str]
    status: str
    owner: str
    source: str
    refusal: str
    unit: str = ""
    unit_refusal: tuple[str, str] = ("", "")
    event: Action = Action.SUBMIT


_ONLINE = frozenset({Channel.ONLINE})
_ON_PAPER = frozenset({Channel.DIRECT, Channel.POSTAL})

INTAKE: tuple[Intake, ...] = (
    Intake(_ONLINE, True, frozenset({COUNTER}), S.SUBMITTED, "named", "",
           "Chỉ cán bộ Bộ phận Một cửa của đơn vị tiếp nhận được hỗ trợ nộp hồ sơ trực tuyến.", MEMBER,
           ("Chỉ cán bộ Bộ phận Một cửa của đơn vị tiếp nhận được hỗ trợ nộp hồ sơ trực tuyến.", "channel_not_allowed")),
    # Forwarded by the national portal (motcua.national): no local owner — the citizen follows it
    # there; it waits for a counter officer to accept it like any online filing.
    Intake(_ONLINE, False, frozenset({NATIONAL_PORTAL}), S.SUBMITTED, "", Source.NATIONAL_PORTAL,
           "Chỉ công dân, doanh nghiệp nộp hồ sơ trực tuyến.", FORWARDS,
           ("Đơn vị tiếp nhận không thuộc phạm vi của tài khoản kết nối.", "unit_out_of_scope")),
    Intake(_ONLINE, False, frozenset({CITIZEN}), S.SUBMITTED, "actor", "",
           "Chỉ công dân, doanh nghiệp nộp hồ sơ trực tuyến."),
    Intake(frozenset({Channel.DIRECT}), False, frozenset({COUNTER}), S.RECEIVED, "", Source.COUNTER,
           "Chỉ cán bộ Bộ phận Một cửa tiếp nhận hồ sơ trực tiếp hoặc qua bưu chính.", MEMBER,
           ("Bạn không thuộc đơn vị tiếp nhận này.", "not_member"), Action.RECEIVE),
    Intake(frozenset({Channel.POSTAL}), False, frozenset({COUNTER}), S.RECEIVED, "", Source.POST,
           "Chỉ cán bộ Bộ phận Một cửa tiếp nhận hồ sơ trực tiếp hoặc qua bưu chính.", MEMBER,
           ("Bạn không thuộc đơn vị tiếp nhận này.", "not_member"), Action.RECEIVE),
)

#: Only an online dossier has an owner's account named in the request.
OWNER_CHANNELS = _ONLINE


def intake_way(channel: str, assisted: bool, role: str | None) -> tuple[Intake | None, str]:
    """The way a dossier through ``channel`` (``assisted``: a citizen's account named) comes in
    for an actor of ``role``: ``(way, "")``, or ``(None, refusal)`` when the role may not."""
    ways = [w for w in INTAKE if channel in w.channels and w.assisted == assisted]
    for way in ways:
        if role in way.roles:
            return way, ""
    return None, ways[-1].refusal if ways else ""


def transition_for(action: str) -> Transition | None:
    return BY_ACTION.get(action)


def action_label(action: str) -> str:
    """The name of an action or an event as every timeline and list shows it (the office, the
    admin): the transition's label, else the event's."""
    transition = transition_for(action)
    if transition is not None:
        return str(transition.label)
    return str(EVENT_LABELS.get(action, action))


def allowed_in(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if status in t.sources]


def target_status(transition: Transition, current: str, resume_to: str = "") -> str:
    if transition.target == KEEP:
        return current
    if transition.target == RESUME:
        return resume_to or Status.RECEIVED
    return transition.target
