"""Dossier endpoints: intake, lists, detail with events, actions, public tracking."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.db import connection
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field as PydField

from motcua.accounts.models import Role
from motcua.api.auth import token_or_session
from motcua.paging import MAX_PAGE_SIZE, paginate
from motcua.api.schemas import Moment
from motcua.catalog.models import Procedure, Unit
from motcua.dossiers import actions, intake, scope, search
from motcua.dossiers.models import Channel, Delivery, Dossier, DossierEvent, Source, Status
from motcua.dossiers.moments import INTAKE_ACTIONS, moments_json
from motcua.dossiers.timeliness import Timeliness, parse_timeliness, timeliness_of, timeliness_q
from motcua.errors import InvalidInput, NotFound
from motcua.links import public_url, tracking_url
from motcua.operations import throttles
from motcua.printing.available import printable_forms
from motcua.worktime.calendar import VN_TZ

router = Router(tags=["dossiers"])
public_router = Router(tags=["public"])


def _t(value: dt.datetime | None) -> str | None:
    return value.astimezone(VN_TZ).isoformat() if value else None


def _timeliness(d: Dossier, now: dt.datetime | None = None) -> dict:
    """``timeliness`` (docs/api.md, from ``dossiers.timeliness``), its label, and the older
    ``overdue`` boolean kept for existing clients: past the due time (late or overdue)."""
    kind = timeliness_of(d, now)
    return {
        "timeliness": kind.value if kind else None,
        "timeliness_label": str(kind.label) if kind else None,
        "overdue": kind in (Timeliness.LATE, Timeliness.OVERDUE),
    }


def dossier_summary(d: Dossier, now: dt.datetime | None = None) -> dict:
    return {
        "code": d.code,
        "status": d.status,
        "status_label": d.get_status_display(),
        "procedure": d.procedure.code,
        "procedure_name": d.procedure.name,
        "unit": d.unit.code,
        "current_unit": d.current_unit.code,
        "channel": d.channel,
        "source": d.source,
        "applicant_name": d.applicant_name,
        "received_at": _t(d.received_at),
        "due_at": _t(d.due_at),
        "resolved_at": _t(d.resolved_at),
        "returned_at": _t(d.returned_at),
        "withdrawn_at": _t(d.withdrawn_at),
        "assignee": d.assignee.username if d.assignee_id else None,
        **_timeliness(d, now),
        "tracking_url": tracking_url(d.code),
    }


def _printed_forms(d: Dossier, user=None) -> list[dict]:
    """The printed forms the dossier has (``printing.available``), with absolute addresses;
    the owner gets those addressed to the applicant."""
    applicant = user is None or getattr(user, "role", None) == Role.CITIZEN
    return [{**form.as_json(), "url": public_url(form.url)} for form in printable_forms(d, applicant=applicant)]


def dossier_detail(d: Dossier, user=None, events: list[DossierEvent] | None = None) -> dict:
    """The dossier with its trail: ``events`` when the caller has them, else prefetched or read."""
    events = sorted(d.events.all() if events is None else events, key=lambda e: e.seq)
    return {
        **dossier_summary(d),
        "applicant": {
            "full_name": d.applicant_name, "id_number": d.applicant_id_number, "phone": d.applicant_phone,
            "email": d.applicant_email, "address": d.applicant_address,
        },
        "data": d.data,
        "submitted_at": _t(d.submitted_at),
        "original_due_at": _t(d.original_due_at),
        "refused_at": _t(d.refused_at),
        "paused_at": _t(d.paused_at),
        "supplement_requests": d.supplement_requests,
        "supplement_flagged": d.supplement_flagged,
        "reschedules": d.reschedules,
        "delivery": d.delivery,
        "delivery_address": d.delivery_address,
        "owner": d.owner.username if d.owner_id else None,
        "allowed_actions": [t.action for t in actions.allowed_actions(user, d)] if user is not None else [],
        "printed_forms": _printed_forms(d, user),
        # The arrival and, when later, the effective receipt the deadline counts from (dossiers.moments).
        "moments": moments_json(d, _t),
        "events": [
            {"seq": e.seq, "at": _t(e.at), "action": e.action, "actor": e.actor_name, "actor_role": e.actor_role,
             "from_status": e.from_status or None, "to_status": e.to_status, "unit": e.unit.code if e.unit_id else None,
             "note": e.note, "changes": e.changes,
             **({"counts_from": _t(d.received_at)} if e.action in INTAKE_ACTIONS else {})}
            for e in events
        ],
    }


# ------------------------------------------------------------------ response bodies
# What the functions above return, declared for the OpenAPI document (tests/api check that
# every key they write is declared, and schemathesis that every answer matches).

def _one_of(choices) -> str:
    return ", ".join(f"`{value}`" for value in choices.values)


TIME = "ISO 8601 with the offset of Vietnam (+07:00)"
TIME_OR_NULL = TIME + "; null when it has not happened"


class TimelinessFields(Schema):
    timeliness: str | None = PydField(..., description=f"CONTRACT §2: {_one_of(Timeliness)}; null: not received")
    timeliness_label: str | None = PydField(..., description="The class in words (Vietnamese)")
    overdue: bool = PydField(..., description="Past the due time (late or overdue); kept for older clients")


class DossierSummaryOut(TimelinessFields):
    code: str
    status: str = PydField(..., description=_one_of(Status))
    status_label: str
    procedure: str = PydField(..., description="The procedure's code")
    procedure_name: str
    unit: str = PydField(..., description="The receiving unit's code")
    current_unit: str = PydField(..., description="The code of the unit handling it now")
    channel: str = PydField(..., description=_one_of(Channel))
    source: str = PydField(..., description=_one_of(Source))
    applicant_name: str
    received_at: str = PydField(..., description="Effective receipt, the deadline counts from it; " + TIME)
    due_at: str = PydField(..., description=TIME)
    resolved_at: str | None = PydField(..., description=TIME_OR_NULL)
    returned_at: str | None = PydField(..., description=TIME_OR_NULL)
    withdrawn_at: str | None = PydField(..., description=TIME_OR_NULL)
    assignee: str | None = PydField(..., description="Username of the assigned officer")
    tracking_url: str = PydField(..., description="The public tracking page")


class DossierListOut(Schema):
    count: int = PydField(..., description="Dossiers matching; a floor when `count_capped`")
    page: int
    pages: int
    page_size: int
    count_capped: bool
    items: list[DossierSummaryOut]


class ApplicantOut(Schema):
    full_name: str
    id_number: str
    phone: str
    email: str
    address: str


class PrintedFormOut(Schema):
    key: str = PydField(..., description="receipt, control_sheet, supplement_request, refusal, apology")
    number: str = PydField(..., description="The form's number (Mẫu 01 …) in the form set of its receipt day")
    title: str
    url: str = PydField(..., description="The PDF's absolute address")
    for_applicant: bool


class MomentOut(Schema):
    key: str = PydField(..., description="submitted, refused, resolved, returned, withdrawn")
    label: str
    at: str = PydField(..., description=TIME)
    counts_from: str | None = PydField(..., description="On the arrival: the later effective receipt the deadline "
                                                       "counts from; else null")
    note: str


class EventOut(Schema):
    seq: int
    at: str = PydField(..., description=TIME)
    action: str
    actor: str
    actor_role: str
    from_status: str | None
    to_status: str
    unit: str | None
    note: str
    changes: dict
    counts_from: str | None = PydField(None, description="Only on the intake event: the effective receipt")


class DossierOut(DossierSummaryOut):
    applicant: ApplicantOut
    data: dict = PydField(..., description="The answers to the procedure's online form")
    submitted_at: str = PydField(..., description="The arrival; " + TIME)
    original_due_at: str = PydField(..., description=TIME)
    refused_at: str | None = PydField(..., description=TIME_OR_NULL)
    paused_at: str | None = PydField(..., description=TIME_OR_NULL)
    supplement_requests: int
    supplement_flagged: bool
    reschedules: int
    delivery: str = PydField(..., description=_one_of(Delivery))
    delivery_address: str
    owner: str | None = PydField(..., description="Username of the citizen account that owns it")
    allowed_actions: list[str] = PydField(..., description="What the caller may do now")
    printed_forms: list[PrintedFormOut] = PydField(..., description="The printed forms the dossier has")
    moments: list[MomentOut] = PydField(..., description="The arrival (with its effective receipt), then what "
                                                         "followed, oldest first")
    events: list[EventOut]


class PublicStatusOut(TimelinessFields):
    code: str
    status: str = PydField(..., description=_one_of(Status))
    status_label: str
    procedure: str
    procedure_name: str
    unit: str
    unit_name: str
    current_unit_name: str
    channel: str = PydField(..., description=_one_of(Channel))
    submitted_at: str = PydField(..., description=TIME)
    received_at: str = PydField(..., description=TIME)
    due_at: str = PydField(..., description=TIME)
    resolved_at: str | None = PydField(..., description=TIME_OR_NULL)
    returned_at: str | None = PydField(..., description=TIME_OR_NULL)
    moments: list[MomentOut]


# ------------------------------------------------------------------ intake

class ApplicantIn(Schema):
    full_name: str = PydField(..., max_length=200)
    id_number: str = PydField(..., max_length=20)
    phone: str = PydField(..., max_length=20)
    email: str | None = PydField(None, max_length=254)
    address: str | None = PydField(None, max_length=300)


class DossierIn(Schema):
    procedure: str = PydField(..., max_length=60)
    unit: str = PydField(..., max_length=40)
    channel: Literal["online", "direct", "postal"]
    applicant: ApplicantIn
    data: dict | None = None
    source: Literal["portal", "national_portal", "vneid"] | None = None
    delivery: Literal["counter", "post", "electronic"] = "counter"
    delivery_address: str | None = PydField(None, max_length=300)
    owner: str | None = PydField(None, max_length=254, description="Hỗ trợ nộp trực tuyến: tài khoản công dân (tên đăng nhập, "
                                 "số điện thoại, thư điện tử hoặc số định danh)")


# exclude_unset: an event's ``counts_from`` is written only on the intake event.
@router.post("/dossiers", auth=token_or_session, response={201: DossierOut}, exclude_unset=True,
             summary="Nộp / tiếp nhận hồ sơ")
def create_dossier(request, payload: DossierIn):
    throttles.limit_intake(request)
    dossier = intake.receive_dossier(
        actor=request.auth, procedure_code=payload.procedure, unit_code=payload.unit, channel=payload.channel,
        applicant=payload.applicant.dict(), data=payload.data, source=payload.source, delivery=payload.delivery,
        delivery_address=payload.delivery_address or "", owner=payload.owner,
        require_answers=payload.channel == "online",
    )
    # The new dossier carries its procedure, units and owner already: no need to read it back.
    return 201, dossier_detail(dossier, request.auth, events=[dossier.intake_event])


class DossierFilters(Schema):
    status: str = PydField("", max_length=24)
    unit: str = PydField("", max_length=40)
    timeliness: str = PydField("", max_length=24, description="early, on_time, late, within_deadline or overdue")
    overdue: bool | None = PydField(None, description="true: the same as timeliness=overdue; false: every dossier but those")
    assignee: str = PydField("", max_length=150)
    q: str = PydField("", max_length=100)
    page: int = PydField(1, ge=1, le=1_000_000)
    page_size: int = PydField(20, ge=1, le=MAX_PAGE_SIZE)


@router.get("/dossiers", auth=token_or_session, response=DossierListOut, summary="Danh sách hồ sơ (trong phạm vi của người dùng)")
def list_dossiers(request, filters: Query[DossierFilters]):
    qs = scope.visible_dossiers(request.auth)
    if filters.status and filters.status not in Status.values:
        raise InvalidInput("Trạng thái không hợp lệ.", fields={"status": [f"Chọn một trong: {', '.join(Status.values)}."]})
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.unit:
        qs = qs.filter(Q(unit__code=filters.unit) | Q(current_unit__code=filters.unit))
    if filters.assignee:
        qs = qs.filter(assignee__username=filters.assignee)
    if filters.q:
        qs = qs.filter(search.search_q(filters.q))
    now = timezone.now()
    if filters.timeliness:
        qs = qs.filter(timeliness_q(parse_timeliness(filters.timeliness), now))
    if filters.overdue is not None:
        overdue = timeliness_q(Timeliness.OVERDUE, now)
        qs = qs.filter(overdue) if filters.overdue else qs.exclude(overdue)
    qs = qs.select_related("procedure", "unit", "current_unit", "assignee").order_by("due_at", "code")
    items, meta = paginate(qs, filters.page, filters.page_size, capped=True)
    return {**meta, "items": [dossier_summary(d, now) for d in items]}


@router.get("/dossiers/{code}", auth=token_or_session, response=DossierOut, exclude_unset=True, summary="Chi tiết hồ sơ và nhật ký xử lý")
def get_dossier(request, code: str):
    dossier = scope.get_visible(request.auth, code)
    prefetch_related_objects([dossier], Prefetch("events", queryset=DossierEvent.objects.select_related("unit")))
    return dossier_detail(dossier, request.auth)


class ActionIn(Schema):
    action: str = PydField(..., max_length=40)
    note: str | None = PydField(None, max_length=2000)
    assignee: str | None = PydField(None, max_length=150)
    to_unit: str | None = PydField(None, max_length=40)
    due_at: Moment | None = None
    delivery: Literal["counter", "post", "electronic"] | None = None
    papers: list[str] | None = PydField(None, max_length=50, description="request_supplement: the procedure's papers asked for (their names)")


@router.post("/dossiers/{code}/actions", auth=token_or_session, response=DossierOut, exclude_unset=True, summary="Thực hiện thao tác xử lý hồ sơ")
def act(request, code: str, payload: ActionIn):
    dossier = actions.apply_action(request.auth, code, payload.action, payload.dict(exclude_none=True))
    dossier = Dossier.objects.select_related("procedure", "unit", "current_unit", "assignee", "owner").get(pk=dossier.pk)
    return dossier_detail(dossier, request.auth)


# ------------------------------------------------------------------ public

@public_router.get("/public/track/{code}", response=PublicStatusOut, summary="Tra cứu tình trạng hồ sơ (không có thông tin cá nhân)")
def track(request, code: str):
    throttles.limit_tracking(request)
    d = public_row(code.strip())
    if d is None:
        raise NotFound(f"Không tìm thấy hồ sơ “{code}”.", code="dossier_not_found")
    return public_status(d)


# What public_status reads, and nothing else: the procedure's text and form, the applicant's
# details and the form answers are neither shown nor loaded.
PUBLIC_FIELDS = ("code", "status", "channel", "submitted_at", "received_at", "due_at", "resolved_at", "returned_at",
                 "withdrawn_at", "refused_at", "paused_at")
_PUBLIC_SQL = None


def public_row(code: str) -> Dossier | None:
    """The dossier of ``code`` (unique: one indexed row) with what :func:`public_status` reads:
    one fixed statement, written once. Building it through the ORM (``select_related`` of three
    tables) cost more than the query and the answer together (docs/performance.md); the row is
    made into unsaved model objects holding only those columns."""
    global _PUBLIC_SQL
    if _PUBLIC_SQL is None:
        cols = ", ".join(f"d.{Dossier._meta.get_field(f).column}" for f in PUBLIC_FIELDS)
        _PUBLIC_SQL = (
            f"SELECT {cols}, p.code, p.name, u.code, u.name, cu.name FROM {Dossier._meta.db_table} d "
            f"JOIN {Procedure._meta.db_table} p ON p.id = d.procedure_id JOIN {Unit._meta.db_table} u ON u.id = d.unit_id "
            f"JOIN {Unit._meta.db_table} cu ON cu.id = d.current_unit_id WHERE d.code = %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(_PUBLIC_SQL, [code])
        row = cursor.fetchone()
    if row is None:
        return None
    values = dict(zip(PUBLIC_FIELDS, row))
    for name, value in values.items():  # SQLite gives naive UTC times; PostgreSQL aware ones
        if isinstance(value, dt.datetime) and timezone.is_naive(value):
            values[name] = timezone.make_aware(value, connection.timezone)
    p_code, p_name, u_code, u_name, cu_name = row[len(PUBLIC_FIELDS):]
    return Dossier(**values, procedure=Procedure(code=p_code, name=p_name), unit=Unit(code=u_code, name=u_name),
                   current_unit=Unit(name=cu_name))


def public_status(d: Dossier) -> dict:
    return {
        "code": d.code,
        "status": d.status,
        "status_label": d.get_status_display(),
        "procedure": d.procedure.code,
        "procedure_name": d.procedure.name,
        "unit": d.unit.code,
        "unit_name": d.unit.name,
        "current_unit_name": d.current_unit.name,
        "channel": d.channel,
        "submitted_at": _t(d.submitted_at),
        "received_at": _t(d.received_at),
        "due_at": _t(d.due_at),
        "resolved_at": _t(d.resolved_at),
        "returned_at": _t(d.returned_at),
        "moments": moments_json(d, _t),
        **_timeliness(d),
    }
