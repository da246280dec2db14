"""Public catalog endpoints: units, procedures, catalog figures, due-date calculator."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field as PydField

from motcua.paging import MAX_PAGE_SIZE, paginate
from motcua.api.schemas import Moment
from motcua.catalog import blankforms
from motcua.catalog import services as catalog
from motcua.catalog.models import Procedure, Unit
from motcua.dossiers.deadlines import compute_deadline
from motcua.errors import InvalidInput
from motcua.links import procedure_url, public_reverse, public_url
from motcua.worktime import calendar as wt

router = Router(tags=["catalog"])


class UnitOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None
    national_id: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@router.get("/units", response=list[UnitOut], summary="Cây đơn vị hành chính")
def list_units(request, include_inactive: bool = False):
    qs = Unit.objects.select_related("parent")
    if not include_inactive:
        qs = qs.valid_on()
    return [
        {"code": u.code, "name": u.name, "level": u.level, "parent": u.parent.code if u.parent_id else None,
         "national_id": u.national_id, "valid_from": u.valid_from, "valid_to": u.valid_to}
        for u in qs
    ]


class ProcessingTimeOut(Schema):
    value: int | float
    unit: str = PydField(..., description="working_days, days, hours, same_day …")
    label: str = PydField(..., description="The time as printed (Vietnamese), e.g. “03 Ngày làm việc”")
    note: str


class ProcedureSummaryOut(Schema):
    code: str
    national_code: str
    name: str
    field: str = PydField(..., description="The field's name")
    field_code: str
    level: str = PydField(..., description="The level asked for (or the procedure's lowest): province, district, commune")
    levels: list[str]
    online_level: str = PydField(..., description="none, partial, full")
    processing_time: ProcessingTimeOut
    fee: int = PydField(..., description="Đồng")
    fee_note: str
    url: str = PydField(..., description="The procedure's public page")


class ProcedureListOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[ProcedureSummaryOut]


class StatsOut(Schema):
    unit: str
    children: bool
    total: int
    by_online_level: dict[str, int]
    by_level: dict[str, int]
    matrix: dict[str, dict[str, int]] = PydField(..., description="level → online level → count")


class FeeOut(Schema):
    name: str
    amount: int
    per: str
    note: str


class BlankFormOut(Schema):
    url: str = PydField(..., description="absolute address of the blank form Motcua serves for this paper; it stays "
                                          "when the file is replaced")
    filename: str = PydField(..., description="the name the file is saved under (Vietnamese)")
    content_type: str = PydField(..., description="application/pdf, application/msword, DOCX or ODT")
    size: int | None = PydField(..., description="bytes; null for a blank Motcua has not drawn yet")
    generated: bool = PydField(..., description="a blank Motcua drew from the catalog, not the official file")


class PaperOut(Schema):
    name: str
    copy_type: str
    copy_type_label: str
    count: int
    mandatory: bool
    condition: str
    template_name: str
    template_url: str = PydField(..., description="the link to the form an administrator typed (may be empty)")
    template_file: BlankFormOut | None = PydField(
        None, description="the blank form Motcua itself keeps for this paper (uploaded or drawn), or null")


class CommitmentOut(Schema):
    unit: str
    processing_time: ProcessingTimeOut
    cutoff_time: str | None = PydField(..., description="HH:MM: the commitment's same-day cut-off (its own, or the procedure's it inherits)")
    decision: str


class ProcedureOut(ProcedureSummaryOut):
    description: str
    applicants: str
    cutoff_time: str | None = PydField(..., description="HH:MM: received later counts from the next working day")
    fees: list[FeeOut]
    documents: list[PaperOut]
    steps: list
    result: str
    legal_basis: list
    interlinked: bool
    interlinked_levels: list
    result_by_post: bool
    result_electronic: bool
    form: list = PydField(..., description="The online form's questions")
    valid_from: str | None = PydField(..., description="YYYY-MM-DD")
    valid_to: str | None = PydField(..., description="YYYY-MM-DD")
    replaced_by: str | None
    commitments: list[CommitmentOut]
    source: str
    qr_url: str
    page_url: str


class DueOut(Schema):
    received_at: str = PydField(..., description="The effective receipt; ISO 8601 with +07:00")
    due_at: str = PydField(..., description="ISO 8601 with +07:00")
    working_days: int | float
    unit: str
    procedure: str | None
    cutoff_time: str | None = PydField(..., description="HH:MM: the same-day cut-off applied (the unit's commitment's, else the procedure's)")


def _hhmm(value) -> str | None:
    return value.strftime("%H:%M") if value else None


def processing_time_out(value, unit: str, note: str = "") -> dict:
    number = float(value)
    return {"value": int(number) if number == int(number) else number, "unit": unit,
            "label": catalog.time_label(value, unit), "note": note}


def procedure_summary(p: Procedure, level: str = "") -> dict:
    levels = p.level_list
    return {
        "code": p.code,
        "national_code": p.national_code,
        "name": p.name,
        "field": p.field.name,
        "field_code": p.field.code,
        "level": level if level in levels else (levels[-1] if levels else ""),
        "levels": levels,
        "online_level": p.online_level,
        "processing_time": processing_time_out(p.processing_time_value, p.processing_time_unit, p.processing_time_note),
        "fee": p.fee_amount,
        "fee_note": p.fee_note,
        "url": procedure_url(p.code),
    }


class ProcedureFilters(Schema):
    q: str = PydField("", max_length=200, description="Từ khóa; không phân biệt hoa thường và dấu")
    unit: str = PydField("", max_length=40)
    field: str = PydField("", max_length=40)
    level: Literal["", "province", "district", "commune"] = ""
    online_level: Literal["", "none", "partial", "full"] = ""
    page: int = PydField(1, ge=1, le=100000)
    page_size: int = PydField(20, ge=1, le=MAX_PAGE_SIZE)


@router.get("/procedures", response=ProcedureListOut, summary="Tra cứu thủ tục hành chính")
def list_procedures(request, filters: Query[ProcedureFilters]):
    unit = catalog.get_unit(filters.unit) if filters.unit else None
    qs = catalog.search_procedures(filters.q, unit=unit, field=filters.field, level=filters.level,
                                   online_level=filters.online_level)
    items, meta = paginate(qs, filters.page, filters.page_size)
    level = filters.level or (unit.level if unit else "")
    return {**meta, "items": [procedure_summary(p, level) for p in items]}


class StatsFilters(Schema):
    unit: str = PydField(..., max_length=40)
    children: bool = False


@router.get("/procedures/stats", response=StatsOut, summary="Số liệu thủ tục theo cấp và mức độ trực tuyến")
def procedure_stats(request, filters: Query[StatsFilters]):
    return catalog.procedure_stats(catalog.get_unit(filters.unit), children=filters.children)


def _blank_out(blank: blankforms.Blank | None) -> dict | None:
    if blank is None:
        return None
    return {"url": public_url(blank.url), "filename": blank.filename, "content_type": blank.content_type,
            "size": blank.size, "generated": blank.generated}


def procedure_detail(p: Procedure) -> dict:
    url = procedure_url(p.code)
    return {
        **procedure_summary(p),
        "description": p.description,
        "applicants": p.applicants,
        "cutoff_time": p.cutoff_time.strftime("%H:%M") if p.cutoff_time else None,
        "fees": [{"name": f.name, "amount": f.amount, "per": f.per, "note": f.note} for f in p.fee_lines.all()],
        "documents": [
            {"name": d.name, "copy_type": d.copy_type, "copy_type_label": d.get_copy_type_display(), "count": d.count,
             "mandatory": d.mandatory, "condition": d.condition, "template_name": d.template_name,
             "template_url": d.template_url, "template_file": _blank_out(blankforms.offered(d))}
            for d in p.documents.all()
        ],
        "steps": p.steps,
        "result": p.result,
        "legal_basis": p.legal_basis,
        "interlinked": p.interlinked,
        "interlinked_levels": p.interlinked_levels,
        "result_by_post": p.result_by_post,
        "result_electronic": p.result_electronic,
        "form": p.form or [],
        "valid_from": p.valid_from.isoformat() if p.valid_from else None,
        "valid_to": p.valid_to.isoformat() if p.valid_to else None,
        "replaced_by": p.replaced_by.code if p.replaced_by_id else None,
        "commitments": [
            {"unit": c.unit.code, "processing_time": processing_time_out(c.time_value, c.time_unit),
             "cutoff_time": _hhmm(c.cutoff_time or p.cutoff_time), "decision": c.decision}
            for c in p.commitments.valid_on().select_related("unit")
        ],
        "source": p.source,
        "qr_url": public_reverse("portal:procedure_qr", p.code),
        "page_url": url,
    }


@router.get("/procedures/{code}", response=ProcedureOut, summary="Chi tiết thủ tục")
def get_procedure(request, code: str):
    p = catalog.get_procedure(code)
    return procedure_detail(p)


class DueQuery(Schema):
    start: Moment
    working_days: float = PydField(..., ge=0, le=3650)
    unit: str = PydField(..., max_length=40)
    procedure: str = PydField("", max_length=60)


@router.get("/calendar/due", tags=["calendar"], response=DueOut, summary="Tính ngày hẹn trả theo ngày làm việc")
def calendar_due(request, params: Query[DueQuery]):
    start, working_days = params.start, params.working_days
    u = catalog.get_unit(params.unit)
    p = catalog.get_procedure(params.procedure) if params.procedure else None
    if start.tzinfo is None:
        start = start.replace(tzinfo=wt.VN_TZ)
    try:
        deadline = compute_deadline(p, u, start, working_days=working_days)
    except wt.CalendarError as exc:
        raise InvalidInput(str(exc), fields={"start": [str(exc)]})
    return {
        "received_at": deadline.received_at.astimezone(wt.VN_TZ).isoformat(),
        "due_at": deadline.due_at.astimezone(wt.VN_TZ).isoformat(),
        "working_days": int(working_days) if working_days == int(working_days) else working_days,
        "unit": u.code,
        "procedure": p.code if p else None,
        "cutoff_time": _hhmm(deadline.cutoff),
    }
