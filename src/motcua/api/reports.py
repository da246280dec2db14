"""Statistics report endpoints (docs/reports.md): JSON, and Biểu 06 as .xlsx and .pdf."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from motcua.api.auth import token_or_session
from motcua.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate
from motcua.reports import drilldown, export, indicators, scorecard
from motcua.reports.services import report_for_user, report_query

router = Router(tags=["reports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportParams(Schema):
    """The unit and period every report endpoint takes (checked by ``reports.services.report_query``)."""

    unit: str = Field("", max_length=40, description="Mã đơn vị")
    date_from: str = Field("", alias="from", max_length=20, description="Từ ngày (YYYY-MM-DD)")
    date_to: str = Field("", alias="to", max_length=20, description="Đến ngày (YYYY-MM-DD)")
    children: str = Field("", max_length=5, description="1: cộng cả các đơn vị trực thuộc")
    predecessors: str = Field("", max_length=5, description="1: cộng cả các đơn vị đã sáp nhập vào đơn vị này")


class DrilldownParams(ReportParams):
    figure: str = Field("", max_length=20, description="Tên chỉ tiêu (CONTRACT §5): received, late, overdue…")
    field: str = Field("", max_length=40, description="Mã lĩnh vực")
    procedure: str = Field("", max_length=60, description="Mã thủ tục")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


# ------------------------------------------------------------------ response bodies (docs/reports.md)
Number = int | float  # as computed: counts stay integers, shares are floats


class ReceivedNewOut(Schema):
    total: int
    online: int
    direct: int
    postal: int


class ReceivedOut(Schema):
    total: int
    carried_over: int
    new: ReceivedNewOut


class ResolvedOut(Schema):
    total: int
    early: int
    on_time: int
    late: int


class InProgressOut(Schema):
    total: int
    within_deadline: int
    overdue: int


class RatesOut(Schema):
    online_pct: float
    resolved_on_time_pct: float


class FiguresOut(Schema):
    """docs/reports.md's figures (``reports.services.shape``)."""

    received: ReceivedOut
    resolved: ResolvedOut
    in_progress: InProgressOut
    withdrawn: int
    rates: RatesOut


class FieldRowOut(FiguresOut):
    level: str
    level_name: str
    field: str
    field_name: str


class ProcedureRowOut(FieldRowOut):
    procedure: str
    procedure_name: str


class UnitRowOut(FiguresOut):
    unit: str
    unit_name: str
    level: str


class InTimeOut(Schema):
    name: str
    in_time: int
    total: int
    more_than_one_supplement_request: int
    pct: float


class PeriodOut(Schema):
    unit: str
    date_from: str = Field(..., alias="from", description="YYYY-MM-DD")
    date_to: str = Field(..., alias="to", description="YYYY-MM-DD")
    children: bool


class ReportOut(FiguresOut, PeriodOut):
    unit_name: str
    predecessors: bool
    rows: list[FieldRowOut] = Field(..., description="Biểu 06: by level of the receiving unit, then field")
    procedures: list[ProcedureRowOut]
    units: list[UnitRowOut]
    scorecard: dict[str, InTimeOut] = Field(..., description="QĐ 766 indicator 2.1")


class RatioOut(Schema):
    key: str
    name: str
    numerator: int
    denominator: int
    pct: float


class ProcessingDaysOut(Schema):
    count: int
    average_days: float | None
    median_days: float | None


class IndicatorsOut(PeriodOut):
    ratios: list[RatioOut]
    processing_time: ProcessingDaysOut


class ScoreOut(Schema):
    key: str
    name: str
    numerator: Number
    denominator: Number
    ratio: float | None = Field(..., description="Percent; null without a denominator")
    threshold: Number
    points: Number
    max: Number
    source: str
    note: str
    entered_source: str | None = Field(None, description="Only on an entered value: where it comes from")


class ScoreGroupOut(Schema):
    key: str
    name: str
    max: Number
    points: Number
    indicators: list[ScoreOut]


class ScorecardOut(PeriodOut):
    unit_name: str
    points: Number
    max: Number
    groups: list[ScoreGroupOut]


class DrilldownItemOut(Schema):
    code: str
    procedure: str
    procedure_name: str
    unit: str
    channel: str
    status: str
    received_at: str | None
    due_at: str | None
    resolved_at: str | None
    withdrawn_at: str | None


class DrilldownOut(Schema):
    count: int = Field(..., description="Always the figure of the same report")
    page: int
    pages: int
    page_size: int
    figure: str
    items: list[DrilldownItemOut]


def _binary(content_type: str, what: str) -> dict:
    """``openapi_extra`` of a download: its 200 is a file, not JSON."""
    schema = {"type": "string", "format": "binary"}
    return {"responses": {200: {"description": what, "content": {content_type: {"schema": schema}}}}}


def _query(request, p: ReportParams):
    return report_query(request.auth, p.unit, p.date_from, p.date_to, p.children, p.predecessors)


def _report(request, p: ReportParams) -> dict:
    return report_for_user(request.auth, p.unit, p.date_from, p.date_to, p.children, p.predecessors)


def _file_name(report: dict, extension: str) -> str:
    return f"bieu06-{report['unit']}-{report['from']}-{report['to']}.{extension}"


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/reports/tthc", auth=token_or_session, response=ReportOut, by_alias=True, summary="Báo cáo tình hình giải quyết TTHC (JSON)")
def tthc(request, params: Query[ReportParams]):
    """CONTRACT §5. Leaders and inspectors: their units and the units below them; admins: all."""
    return _report(request, params)


@router.get("/reports/tthc.xlsx", auth=token_or_session, openapi_extra=_binary(XLSX, "Excel"), summary="Biểu số 06/VPCP/KSTT (Excel)")
def tthc_xlsx(request, params: Query[ReportParams]):
    report = _report(request, params)
    return _attachment(export.to_xlsx(report), XLSX, _file_name(report, "xlsx"))


@router.get("/reports/tthc.pdf", auth=token_or_session, openapi_extra=_binary("application/pdf", "PDF"), summary="Biểu số 06/VPCP/KSTT (PDF)")
def tthc_pdf(request, params: Query[ReportParams]):
    report = _report(request, params)
    return _attachment(export.to_pdf(report), "application/pdf", _file_name(report, "pdf"))


@router.get("/reports/tthc/dossiers", auth=token_or_session, response=DrilldownOut, summary="Danh sách hồ sơ của một chỉ tiêu báo cáo")
def tthc_dossiers(request, params: Query[DrilldownParams]):
    """The dossiers behind one figure; ``count`` always equals that figure of the same report."""
    query = _query(request, params)
    name = drilldown.check_figure(params.figure)
    field, procedure = drilldown.narrowing(params.field, params.procedure)
    count = drilldown.figure_count(query, name, field, procedure)
    items, meta = paginate(drilldown.figure_dossiers(query, name, field, procedure), params.page, params.page_size, count=count)
    return {**meta, "figure": name, "items": [drilldown.drilldown_item(d) for d in items]}


@router.get("/reports/indicators", auth=token_or_session, response=IndicatorsOut, by_alias=True, summary="Các chỉ số: tỷ lệ trực tuyến, đúng hạn, thanh toán…")
def tthc_indicators(request, params: Query[ReportParams]):
    """Each indicator with its numerator and denominator (the figures the articles quote)."""
    return indicators.indicators(_query(request, params))


@router.get("/reports/scorecard", auth=token_or_session, response=ScorecardOut, by_alias=True,
            exclude_unset=True, summary="Bộ chỉ số 766 (QĐ 766/QĐ-TTg)")
def tthc_scorecard(request, params: Query[ReportParams]):
    """The QĐ 766 scorecard: six groups, each indicator with its inputs, points and source."""
    return scorecard.scorecard(_query(request, params))


# ------------------------------------------------------------------ the officers' report (kiểm tra công vụ)

class OfficerStepOut(Schema):
    step: str = Field(..., description="intake, assignment, processing, approval, return")
    name: str
    handled: int
    on_time: int
    late: int = Field(..., description="Dossiers in which the officer held this step past its share of the legal time")
    median_hours: float | None


class OfficerRatingsOut(Schema):
    count: int
    average: float | None
    by_score: dict[str, int] = Field(..., description="Dossiers rated 3, 2, 1")


class OfficerCriterionOut(Schema):
    key: str = Field(..., description="access, procedure, officers, result, feedback")
    label: str
    numerator: int = Field(..., description="Surveys answering 2 (hài lòng) or 3 (rất hài lòng); drill-down figure satisfied_<key>")
    denominator: int = Field(..., description="Surveys answered (= surveyed)")
    pct: float | None


class OfficerSurveysOut(Schema):
    answered: int
    criteria: list[OfficerCriterionOut]


class OfficerFlagsOut(Schema):
    multiple_supplements: int = Field(..., description="Dossiers the officer asked to supplement that were asked more than once")
    step_late: int
    untouched: int = Field(..., description="Judged now: open dossiers assigned to the officer without an event for MOTCUA_INSPECTION_IDLE_DAYS working days")
    unexplained_refusal: int


class OfficerRowOut(Schema):
    officer: str = Field(..., description="Username")
    officer_name: str
    unit: str
    unit_name: str
    handled: int = Field(..., description="Dossiers in which the officer finished a step in the period")
    on_time: int
    late: int
    supplement_requests: int
    apologies: int
    refusals: int
    median_hours: float | None = Field(..., description="Median working time of the officer's steps, hours")
    rated: int
    ratings: OfficerRatingsOut
    surveyed: int = Field(..., description="Handled dossiers whose owner answered the satisfaction survey")
    surveys: OfficerSurveysOut
    steps: list[OfficerStepOut]
    flags: OfficerFlagsOut


class OfficersOut(PeriodOut):
    unit_name: str
    idle_days: int
    items: list[OfficerRowOut]


class OfficerDrilldownParams(ReportParams):
    officer: str = Field("", max_length=150, description="Username of the officer (empty: every officer, for a flag)")
    officer_unit: str = Field("", max_length=40, description="The unit of the officer's row")
    figure: str = Field("", max_length=30, description="handled, on_time, late, supplement_requests, apologies, refusals, rated, "
                                                      "surveyed, satisfied_access, satisfied_procedure, satisfied_officers, "
                                                      "satisfied_result, satisfied_feedback, multiple_supplements, step_late, untouched, unexplained_refusal")
    step: str = Field("", max_length=12, description="With handled, on_time, late: one step kind")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


@router.get("/reports/officers", auth=token_or_session, response=OfficersOut, by_alias=True,
            summary="Kiểm tra công vụ: công việc của từng cán bộ")
def officers_report(request, params: Query[ReportParams]):
    """Per officer and unit: dossiers handled per step, on time and late at each step, median
    handling time, supplement requests, apologies, refusals, ratings, survey scores, flags. Every number's
    dossiers: ``GET /reports/officers/dossiers``."""
    from motcua.inspection import officers

    return officers.officers_report(_query(request, params))


@router.get("/reports/officers/dossiers", auth=token_or_session, response=DrilldownOut,
            summary="Danh sách hồ sơ của một số liệu trong báo cáo cán bộ")
def officers_dossiers(request, params: Query[OfficerDrilldownParams]):
    """The dossiers behind one number of an officer's row (or, without ``officer``, of a flag)."""
    from motcua.inspection import officers

    query = _query(request, params)
    figure, step = officers.check_figure(params.figure, params.step)
    user, unit = (officers.officer_and_unit(query, params.officer, params.officer_unit) if params.officer
                  else (None, officers.unit_in_query(query, params.officer_unit)))
    items, meta = paginate(officers.figure_dossiers(query, user, unit, figure, step), params.page, params.page_size)
    return {**meta, "figure": figure, "items": [drilldown.drilldown_item(d) for d in items]}
