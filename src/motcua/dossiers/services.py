"""Dossier operations: intake (``receive_dossier``), the workflow (``apply_action``), scoping.

Every state change goes through :func:`apply_action` (or :func:`receive_dossier` for the
first one): it locks the dossier row, checks the transition table, writes the new state
and appends the event in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.catalog import services as catalog
from motcua.catalog.models import Procedure, Unit, in_force
from motcua.dossiers import workflow
from motcua.dossiers.models import (
    Channel,
    Delivery,
    Dossier,
    DossierEvent,
    DossierSequence,
    DossierUnit,
    Source,
    Status,
)
from motcua.dossiers.validation import check_applicant
from motcua.errors import Conflict, Forbidden, InvalidInput, NotFound
from motcua.worktime import calendar as wt
from motcua.worktime.services import calendar_for_unit

RESCHEDULE_LIMIT = getattr(settings, "MOTCUA_RESCHEDULE_LIMIT", 1)
MAX_DATA_CHARS = 20_000  # the form answers of one dossier (JSON text)
CODE_PATTERN = re.compile(r"^(?P<prefix>.+)-(?P<day>\d{6})-(?P<seq>\d{4,})$")


# ---------------------------------------------------------------- due dates

@dataclass(frozen=True)
class Deadline:
    received_at: dt.datetime
    due_at: dt.datetime
    time_value: float
    time_unit: str


def compute_deadline(procedure: Procedure | None, unit: Unit, arrived_at: dt.datetime, *, working_days: float | None = None) -> Deadline:
    """Effective receipt and due time of a dossier arriving at ``arrived_at`` (CONTRACT §3)."""
    cal = calendar_for_unit(unit)
    cutoff = procedure.cutoff_time if procedure is not None else None
    if working_days is not None:
        value, unit_of_time = working_days, "working_days"
    else:
        value, unit_of_time, _ = catalog.processing_time_for(procedure, unit, arrived_at.astimezone(wt.VN_TZ).date())
    received, due = wt.due_at(cal, arrived_at, float(value), unit_of_time, cutoff)
    return Deadline(received, due, float(value), unit_of_time)


# ---------------------------------------------------------------- codes

def allocate_code(unit: Unit, day: dt.date) -> str:
    """The next code ``{unit identifier}-{YYMMDD}-{XXXX}`` for ``unit`` on ``day``.

    One atomic upsert: the sequence row stays locked until the caller's transaction ends,
    so codes are unique and gapless per unit and day under any concurrency (a rolled-back
    intake rolls its number back too).
    """
    table = DossierSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, day, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (unit_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [unit.pk, day],
        )
        (number,) = cursor.fetchone()
    return f"{unit.dossier_prefix}-{day:%y%m%d}-{number:04d}"


def assign_code(dossier: Dossier, day: dt.date) -> str:
    """Give ``dossier`` (already inserted with a provisional code) its final code for
    ``day``, inside the caller's transaction, and return it.

    The sequence row's lock is what serialises intakes of one unit and day, so it is taken
    as late as possible: after the dossier's rows are written, one statement takes the next
    number and sets the code (on PostgreSQL an ``INSERT … ON CONFLICT`` inside the
    ``UPDATE``); only the event and the commit follow while it is held.
    """
    unit = dossier.unit
    if connection.vendor != "postgresql":  # SQLite: the transaction holds the database's write lock anyway
        code = allocate_code(unit, day)
        Dossier.objects.filter(pk=dossier.pk).update(code=code)
    else:
        seq_t, dossier_t = DossierSequence._meta.db_table, Dossier._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH seq AS (INSERT INTO {seq_t} (unit_id, day, last) VALUES (%s, %s, 1) "
                f"ON CONFLICT (unit_id, day) DO UPDATE SET last = {seq_t}.last + 1 RETURNING last) "
                f"UPDATE {dossier_t} SET code = %s || lpad(seq.last::text, greatest(4, length(seq.last::text)), '0') FROM seq "
                f"WHERE {dossier_t}.id = %s RETURNING {dossier_t}.code",
                [unit.pk, day, f"{unit.dossier_prefix}-{day:%y%m%d}-", dossier.pk],
            )
            (code,) = cursor.fetchone()
    dossier.code = code
    return code


def note_imported_code(unit: Unit, code: str) -> None:
    """Keep the day's sequence ahead of an imported code in our own format.

    One atomic upsert (``last = max(last, number)``), safe beside concurrent intakes.
    """
    match = CODE_PATTERN.match(code)
    if not match or match["prefix"] != unit.dossier_prefix:
        return
    try:
        day = dt.datetime.strptime(match["day"], "%y%m%d").date()
    except ValueError:
        return
    number = int(match["seq"])
    table = DossierSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, day, last) VALUES (%s, %s, %s) "
            f"ON CONFLICT (unit_id, day) DO UPDATE SET last = "
            f"CASE WHEN {table}.last < excluded.last THEN excluded.last ELSE {table}.last END",
            [unit.pk, day, number],
        )


# ---------------------------------------------------------------- events

def _record(dossier: Dossier, *, action: str, actor: User | None, from_status: str, note: str = "",
            changes: dict | None = None, at: dt.datetime | None = None, unit: Unit | None = None) -> DossierEvent:
    seq = dossier.version
    return DossierEvent.objects.create(
        dossier=dossier,
        seq=seq,
        at=at or timezone.now(),
        actor=actor,
        actor_name=actor.display_name() if actor else "",
        actor_role=actor.role if actor else "",
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        unit=unit or dossier.current_unit,
        note=note,
        changes=changes or {},
    )


def _iso(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(wt.VN_TZ).isoformat()
    if isinstance(value, Unit):
        return value.code
    if isinstance(value, User):
        return value.username
    return value


# ---------------------------------------------------------------- intake

def receive_dossier(
    *, actor: User | None, procedure_code: str, unit_code: str, channel: str, applicant: dict,
    data: dict | None = None, source: str | None = None, arrived_at: dt.datetime | None = None,
    delivery: str = Delivery.COUNTER,
) -> Dossier:
    """Take a dossier in through any channel.

    A citizen files ``online`` (status ``submitted`` until a counter officer accepts it);
    a counter officer files ``direct`` or ``postal`` (status ``received``). The receipt
    time is the effective receipt of the arrival moment (CONTRACT §3). The returned
    dossier carries ``intake_event``, the event just recorded.
    """
    problems: dict[str, list[str]] = {}
    if channel not in Channel.values:
        problems["channel"] = [f"Kênh nộp phải là một trong: {', '.join(Channel.values)}."]
    if delivery not in Delivery.values:
        problems["delivery"] = [f"Hình thức nhận kết quả phải là một trong: {', '.join(Delivery.values)}."]
    if source and source not in (Source.PORTAL, Source.NATIONAL_PORTAL, Source.VNEID):
        problems["source"] = ["Nguồn phải là portal, national_portal hoặc vneid."]
    if data is not None and not isinstance(data, dict):
        problems["data"] = ["Nội dung yêu cầu phải là một đối tượng JSON."]
    elif data and len(json.dumps(data, ensure_ascii=False, default=str)) > MAX_DATA_CHARS:
        problems["data"] = [f"Nội dung yêu cầu dài quá {MAX_DATA_CHARS} ký tự."]
    try:
        cleaned = check_applicant(applicant or {})
    except InvalidInput as exc:
        problems.update(exc.fields)
        cleaned = None
    if problems:
        raise InvalidInput("Hồ sơ chưa hợp lệ.", code="invalid_dossier", fields=problems)

    procedure, unit = _intake_references(procedure_code, unit_code)
    today = timezone.localdate()
    if not in_force(procedure, today):
        raise InvalidInput("Thủ tục này đã hết hiệu lực.", code="procedure_not_in_force", fields={"procedure": ["Hết hiệu lực."]})
    if not in_force(unit, today):
        raise InvalidInput("Đơn vị này không còn hoạt động.", code="unit_not_in_force", fields={"unit": ["Không còn hoạt động."]})
    if not catalog.unit_performs(unit, procedure):
        raise InvalidInput(
            f"{unit.name} không giải quyết thủ tục “{procedure.name}”.", code="procedure_not_performed",
            fields={"procedure": ["Đơn vị không thực hiện thủ tục này."]},
        )

    role = actor.role if actor is not None and actor.is_authenticated else None
    if channel == Channel.ONLINE:
        if role not in (Role.CITIZEN,):
            raise Forbidden("Chỉ công dân, doanh nghiệp nộp hồ sơ trực tuyến.", code="channel_not_allowed")
        status, owner, src = Status.SUBMITTED, actor, source or Source.PORTAL
    else:
        if role != Role.COUNTER:
            raise Forbidden("Chỉ cán bộ Bộ phận Một cửa tiếp nhận hồ sơ trực tiếp hoặc qua bưu chính.", code="channel_not_allowed")
        if unit.pk not in member_unit_ids(actor):
            raise Forbidden("Bạn không thuộc đơn vị tiếp nhận này.", code="not_member")
        status, owner, src = Status.RECEIVED, None, (Source.COUNTER if channel == Channel.DIRECT else Source.POST)

    arrived = arrived_at or timezone.now()
    deadline = compute_deadline(procedure, unit, arrived)
    with transaction.atomic():
        dossier = Dossier.objects.create(
            code=f"~{uuid.uuid4().hex}",  # provisional: the dossier is numbered last, see assign_code
            procedure=procedure, unit=unit, current_unit=unit, channel=channel, source=src, status=status,
            applicant_name=cleaned["full_name"], applicant_id_number=cleaned["id_number"],
            applicant_phone=cleaned["phone"], applicant_email=cleaned["email"], applicant_address=cleaned["address"],
            data=data or {}, owner=owner, created_by=actor, submitted_at=arrived,
            received_at=deadline.received_at, due_at=deadline.due_at, original_due_at=deadline.due_at,
            delivery=delivery, version=1,
        )
        DossierUnit.objects.create(dossier=dossier, unit=unit)
        assign_code(dossier, deadline.received_at.astimezone(wt.VN_TZ).date())
        event = _record(dossier, action="submit" if status == Status.SUBMITTED else "receive", actor=actor, from_status="",
                        at=arrived, changes={"received_at": _iso(deadline.received_at), "due_at": _iso(deadline.due_at)})
    dossier.intake_event = event  # its whole trail so far: callers that show it need not read it back
    return dossier


def _intake_references(procedure_code: str, unit_code: str) -> tuple[Procedure, Unit]:
    """The procedure and unit named in an intake body; unknown ones are invalid input
    (422 with the field named), not a missing resource. The procedure comes annotated
    with what intake checks next (see ``catalog.procedure_for_intake``)."""
    problems: dict[str, list[str]] = {}
    codes: list[str] = []
    unit = procedure = None
    try:
        unit = catalog.get_unit(str(unit_code or ""))
    except NotFound as exc:
        problems.update(exc.fields or {"unit": ["Không tồn tại."]})
        codes.append(exc.code)
    try:
        procedure = catalog.procedure_for_intake(str(procedure_code or ""), unit)
    except NotFound as exc:
        problems.update(exc.fields or {"procedure": ["Không tồn tại."]})
        codes.insert(0, exc.code)
    if problems:
        message = "Không tìm thấy thủ tục hoặc đơn vị đã chọn." if len(codes) > 1 else (
            "Không tìm thấy thủ tục có mã đã chọn." if "procedure" in problems else "Không tìm thấy đơn vị có mã đã chọn.")
        raise InvalidInput(message, code=codes[0] if len(codes) == 1 else "invalid_dossier", fields=problems)
    return procedure, unit


# ---------------------------------------------------------------- scoping

def member_unit_ids(user: User) -> frozenset[int]:
    """The ids of the units ``user`` belongs to, read once per user object (a request's
    user is loaded fresh for each request, so a change of membership shows on the next)."""
    cached = getattr(user, "_motcua_unit_ids", None)
    if cached is None:
        cached = frozenset(user.memberships.values_list("unit_id", flat=True))
        user._motcua_unit_ids = cached
    return cached


def visible_dossiers(user: User) -> QuerySet[Dossier]:
    """What ``user`` may see: officers their units' dossiers (and those transferred to
    them), inspectors their subtree, admins everything, citizens their own."""
    qs = Dossier.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.ADMIN or user.is_superuser:
        return qs
    if user.role == Role.CITIZEN:
        return qs.filter(owner=user)
    unit_ids = list(member_unit_ids(user))
    if user.role == Role.INSPECTOR:
        paths = list(Unit.objects.filter(pk__in=unit_ids).values_list("path", flat=True))
        cond = Q(pk__in=[])
        for path in paths:
            cond |= Q(path__startswith=path)
        unit_ids = list(Unit.objects.filter(cond).values_list("pk", flat=True))
    return qs.filter(units_visibility(unit_ids))


def units_visibility(unit_ids: list[int]) -> Q:
    """Dossiers that units ``unit_ids`` took part in (received, hold now, or handled on the way).

    Every unit that took part is a DossierUnit row; the receiving and the current unit
    always are. Testing those two columns first (and probing DossierUnit only for the other
    hops, a correlated index lookup) keeps lists of a unit with a big archive fast: a plain
    EXISTS makes PostgreSQL hash every participation row of the unit first.
    """
    hops = DossierUnit.objects.filter(dossier=OuterRef("pk"), unit_id__in=unit_ids).exclude(unit_id=OuterRef("unit_id"))
    return Q(current_unit_id__in=unit_ids) | Q(unit_id__in=unit_ids) | Exists(hops)


def get_visible(user: User, code: str) -> Dossier:
    dossier = visible_dossiers(user).select_related("procedure", "unit", "current_unit", "assignee", "owner").filter(code=code).first()
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ “{code}”.", code="dossier_not_found")
    return dossier


def roles_of(user: User, dossier: Dossier, action: str = "") -> set[str]:
    """The workflow roles ``user`` holds on ``dossier`` (see ``workflow``)."""
    roles: set[str] = set()
    if dossier.owner_id and dossier.owner_id == user.pk:
        roles.add(workflow.OWNER)
    if user.role in (Role.COUNTER, Role.SPECIALIST, Role.LEADER):
        units = member_unit_ids(user)
        in_current = dossier.current_unit_id in units
        if action == "return_result":
            in_current = in_current or dossier.unit_id in units
        if in_current:
            roles.add(user.role)
    return roles


def allowed_actions(user: User, dossier: Dossier) -> list[workflow.Transition]:
    result = []
    for transition in workflow.allowed_in(dossier.status):
        roles = roles_of(user, dossier, transition.action) & transition.roles
        if not roles:
            continue
        if roles == {workflow.SPECIALIST} and transition.action in workflow.ASSIGNEE_ONLY and dossier.assignee_id != user.pk:
            continue
        if transition.action == "reschedule" and dossier.reschedules >= RESCHEDULE_LIMIT:
            continue
        result.append(transition)
    return result


# ---------------------------------------------------------------- actions

def _parse_moment(value, field: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            raise InvalidInput("Thời điểm không hợp lệ.", fields={field: ["Dùng dạng ISO 8601, ví dụ 2026-05-06T17:00:00+07:00."]})
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=wt.VN_TZ)
    return moment


def apply_action(user: User, code: str, action: str, payload: dict | None = None, *, at: dt.datetime | None = None) -> Dossier:
    """Apply ``action`` to dossier ``code`` as ``user``: check, lock, change, record.

    Errors, in this order: unknown action or missing fields (422), a dossier ``user`` may
    not see (404), a role that may not take the action on it (403), an action the
    current status does not allow (409, naming the status). ``at`` is the moment of the
    action (now by default; imports and tests pass their own).
    """
    payload = dict(payload or {})
    transition = workflow.transition_for(action)
    if transition is None:
        raise InvalidInput(
            f"Thao tác “{action}” không tồn tại.", code="unknown_action",
            fields={"action": [f"Chọn một trong: {', '.join(workflow.ACTIONS)}."]},
        )
    note = " ".join(str(payload.get("note") or "").split()) if payload.get("note") is not None else ""
    if len(note) > 2000:
        raise InvalidInput("Ghi chú quá dài.", fields={"note": ["Tối đa 2000 ký tự."]})
    missing = {f: ["Bắt buộc với thao tác này."] for f in transition.requires if f != "note" and not payload.get(f)}
    if "note" in transition.requires and not note:
        missing["note"] = ["Vui lòng ghi rõ lý do."]
    if missing:
        raise InvalidInput(f"Thiếu thông tin cho thao tác “{transition.label}”.", code="missing_fields", fields=missing)

    with transaction.atomic():
        visible = visible_dossiers(user).filter(code=code).values_list("pk", flat=True).first()
        if visible is None:
            raise NotFound(f"Không tìm thấy hồ sơ “{code}”.", code="dossier_not_found")
        dossier = Dossier.objects.select_for_update().select_related("procedure", "unit", "current_unit").get(pk=visible)
        # Who first (403: this user may never take this action on this dossier), then
        # when (409: not allowed in the current status, which the message names).
        roles = roles_of(user, dossier, action) & transition.roles
        if not roles:
            raise Forbidden(f"Bạn không có quyền “{transition.label}” đối với hồ sơ này.", code="role_not_allowed")
        if dossier.status not in transition.sources:
            raise Conflict(
                f"Không thể “{transition.label}” khi hồ sơ đang ở trạng thái “{dossier.get_status_display()}” ({dossier.status}).",
                code="action_not_allowed", fields={"status": [dossier.status]},
            )
        if roles == {workflow.SPECIALIST} and action in workflow.ASSIGNEE_ONLY and dossier.assignee_id != user.pk:
            raise Forbidden("Hồ sơ này không được phân công cho bạn.", code="not_assignee")
        now = at or timezone.now()
        before = dossier.status
        changes = _ACTION_HANDLERS.get(action, _no_change)(dossier, user, payload, now)
        dossier.status = workflow.target_status(transition, before, dossier.pause_resume_status if action == "supplement" else "")
        if action == "supplement":
            dossier.pause_resume_status = ""
        if dossier.status != before:
            changes["status"] = [before, dossier.status]
        dossier.version += 1
        dossier.save()
        _record(dossier, action=action, actor=user, from_status=before, note=note,
                changes={k: [_iso(v[0]), _iso(v[1])] for k, v in changes.items()}, at=now)
    return dossier


def _no_change(dossier, user, payload, now) -> dict:
    return {}


def _set(dossier: Dossier, changes: dict, field: str, value) -> None:
    old = getattr(dossier, field)
    if old != value:
        changes[field] = [old, value]
        setattr(dossier, field, value)


def _refuse(dossier, user, payload, now):
    changes: dict = {}
    _set(dossier, changes, "refused_at", now)
    return changes


def _request_supplement(dossier, user, payload, now):
    changes: dict = {}
    _set(dossier, changes, "paused_at", now)
    dossier.pause_resume_status = dossier.status
    _set(dossier, changes, "supplement_requests", dossier.supplement_requests + 1)
    return changes


def _supplement(dossier, user, payload, now):
    changes: dict = {}
    if dossier.paused_at is not None:
        cal = calendar_for_unit(dossier.current_unit)
        _set(dossier, changes, "due_at", wt.resume_due_at(cal, dossier.due_at, dossier.paused_at, now))
        _set(dossier, changes, "paused_at", None)
    return changes


def _assign(dossier, user, payload, now):
    username = str(payload.get("assignee"))
    assignee = User.objects.filter(username=username, is_active=True).first()
    if assignee is None:
        raise InvalidInput(f"Không tìm thấy cán bộ “{username}”.", code="assignee_not_found", fields={"assignee": ["Không tồn tại."]})
    if assignee.role not in (Role.SPECIALIST, Role.LEADER) or not assignee.memberships.filter(unit=dossier.current_unit).exists():
        raise InvalidInput(
            f"“{username}” không phải chuyên viên của {dossier.current_unit.name}.", code="assignee_not_allowed",
            fields={"assignee": ["Chỉ phân công cho chuyên viên của đơn vị đang xử lý."]},
        )
    changes: dict = {}
    _set(dossier, changes, "assignee", assignee)
    return changes


def _transfer(dossier, user, payload, now):
    to_code = str(payload.get("to_unit"))
    to_unit = Unit.objects.valid_on().filter(code=to_code).first()
    if to_unit is None:
        raise InvalidInput(f"Không tìm thấy đơn vị “{to_code}”.", code="unit_not_found", fields={"to_unit": ["Không tồn tại."]})
    if to_unit.pk == dossier.current_unit_id:
        raise InvalidInput("Hồ sơ đang ở chính đơn vị này.", code="same_unit", fields={"to_unit": ["Chọn đơn vị khác."]})
    changes: dict = {}
    _set(dossier, changes, "current_unit", to_unit)
    _set(dossier, changes, "assignee", None)
    DossierUnit.objects.get_or_create(dossier=dossier, unit=to_unit)
    return changes


def _resolve(dossier, user, payload, now):
    changes: dict = {}
    _set(dossier, changes, "resolved_at", now)
    return changes


def _return_result(dossier, user, payload, now):
    changes: dict = {}
    delivery = payload.get("delivery") or dossier.delivery
    if delivery not in Delivery.values:
        raise InvalidInput("Hình thức trả kết quả không hợp lệ.", fields={"delivery": [f"Chọn: {', '.join(Delivery.values)}."]})
    _set(dossier, changes, "delivery", delivery)
    _set(dossier, changes, "returned_at", now)
    return changes


def _withdraw(dossier, user, payload, now):
    changes: dict = {}
    _set(dossier, changes, "withdrawn_at", now)
    _set(dossier, changes, "paused_at", None)
    dossier.pause_resume_status = ""
    return changes


def _reschedule(dossier, user, payload, now):
    if dossier.reschedules >= RESCHEDULE_LIMIT:
        raise Conflict("Hồ sơ chỉ được hẹn lại ngày trả kết quả một lần.", code="reschedule_limit")
    new_due = _parse_moment(payload.get("due_at"), "due_at")
    if new_due <= dossier.due_at:
        raise InvalidInput("Ngày hẹn mới phải sau ngày hẹn hiện tại.", code="invalid_due_at",
                           fields={"due_at": ["Phải sau " + dossier.due_at.astimezone(wt.VN_TZ).strftime("%H:%M %d/%m/%Y") + "."]})
    changes: dict = {}
    _set(dossier, changes, "due_at", new_due)
    _set(dossier, changes, "reschedules", dossier.reschedules + 1)
    return changes


_ACTION_HANDLERS = {
    "refuse": _refuse,
    "request_supplement": _request_supplement,
    "supplement": _supplement,
    "assign": _assign,
    "transfer": _transfer,
    "approve": _resolve,
    "reject": _resolve,
    "return_result": _return_result,
    "withdraw": _withdraw,
    "reschedule": _reschedule,
}
