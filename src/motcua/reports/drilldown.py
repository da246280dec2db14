"""The dossiers behind one figure of the TTHC report (docs/api.md ``/reports/tthc/dossiers``).

Why the list's count always equals the figure: both come from the same place. The list is
the report's own dossiers T (:func:`services.period_dossiers`) filtered by the figure's own
condition (:func:`services.figure_conditions`), and the count is that figure as the report
computes it (:func:`services.report_groups`: the per-day counters, which ``reports.daily``
proves equal to those conditions over the same dossiers and ``report verify`` checks), so the
two cannot disagree; the list itself is never counted, so paging through millions of dossiers
reads only the page it shows.
"""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.catalog.models import Field, Procedure
from motcua.dossiers.models import Dossier
from motcua.errors import InvalidInput
from motcua.reports import services
from motcua.reports.services import FIGURES, ReportQuery

FIGURE_LABELS = {
    "received": "Tổng số hồ sơ nhận giải quyết",
    "carried_over": "Từ kỳ trước",
    "new": "Mới tiếp nhận trong kỳ",
    "online": "Trực tuyến",
    "direct": "Trực tiếp",
    "postal": "Qua bưu chính công ích",
    "resolved": "Đã giải quyết",
    "early": "Giải quyết trước hạn",
    "on_time": "Giải quyết đúng hạn",
    "late": "Giải quyết quá hạn",
    "in_progress": "Đang giải quyết",
    "within_deadline": "Đang giải quyết, trong hạn",
    "overdue": "Đang giải quyết, quá hạn",
    "withdrawn": "Đã rút",
}


def check_figure(figure: str) -> str:
    figure = str(figure or "").strip()
    if figure not in FIGURES:
        raise InvalidInput(
            "Chỉ tiêu không hợp lệ.", code="invalid_figure",
            fields={"figure": [f"Chọn một trong: {', '.join(FIGURES)}."]},
        )
    return figure


def narrowing(field_code: str = "", procedure_code: str = "") -> tuple[Field | None, Procedure | None]:
    """The optional field and procedure a drill-down narrows to; unknown codes are invalid input."""
    problems: dict[str, list[str]] = {}
    field = procedure = None
    if field_code:
        field = Field.objects.filter(code=field_code).first()
        if field is None:
            problems["field"] = ["Không có lĩnh vực này."]
    if procedure_code:
        procedure = Procedure.objects.filter(code=procedure_code).first()
        if procedure is None:
            problems["procedure"] = ["Không có thủ tục này."]
    if problems:
        raise InvalidInput("Không tìm thấy lĩnh vực hoặc thủ tục đã chọn.", code="invalid_report_query", fields=problems)
    return field, procedure


def _narrowed(query: ReportQuery, field: Field | None, procedure: Procedure | None) -> QuerySet[Dossier]:
    qs = query.period_dossiers()
    if field is not None:
        qs = qs.filter(procedure__field=field)
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    return qs


def figure_count(query: ReportQuery, figure: str, field: Field | None = None, procedure: Procedure | None = None) -> int:
    """The figure as the report computes it, for the same dossiers."""
    groups = services.report_groups(query.unit_ids(), query.date_from, query.date_to, field=field, procedure=procedure)
    return sum(int(g[figure] or 0) for g in groups)


def figure_dossiers(query: ReportQuery, figure: str, field: Field | None = None,
                    procedure: Procedure | None = None) -> QuerySet[Dossier]:
    """The dossiers counted in ``figure``, oldest receipt first."""
    start, end = query.bounds
    condition = services.figure_conditions(start, end)[figure]
    return (
        _narrowed(query, field, procedure).filter(condition)
        .select_related("procedure", "unit")
        .order_by("received_at", "code")
    )


def drilldown_item(d: Dossier) -> dict:
    from motcua.worktime.calendar import VN_TZ

    def t(value):
        return value.astimezone(VN_TZ).isoformat() if value else None

    return {
        "code": d.code, "procedure": d.procedure.code, "procedure_name": d.procedure.name, "unit": d.unit.code,
        "channel": d.channel, "status": d.status, "received_at": t(d.received_at), "due_at": t(d.due_at),
        "resolved_at": t(d.resolved_at), "withdrawn_at": t(d.withdrawn_at),
    }
