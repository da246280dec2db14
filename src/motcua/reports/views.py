"""Report pages for leaders, inspectors and administrators (docs/pages.md):
``/can-bo/bao-cao/`` (Biểu 06 with every figure linked to its dossiers),
``/can-bo/bao-cao/ho-so/`` (those dossiers) and ``/can-bo/bang-dieu-khien/`` (the dashboard).

Thin adapters over :mod:`motcua.reports.services` (the report and who may read it),
:mod:`~motcua.reports.drilldown`, :mod:`~motcua.reports.indicators` and
:mod:`~motcua.reports.scorecard`: every figure on these pages is the API's figure.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua import spreadsheets
from motcua.paging import paginate
from motcua.conf import TRUE_WORDS
from motcua.errors import DomainError, InvalidInput
from motcua.reports import charts, drilldown, export, indicators, periods, scorecard, services

DRILLDOWN_PAGE_SIZE = 50
OVERDUE_SHOWN = 5  # the dashboard lists the most overdue; the rest are one link away
COLUMNS = (  # Biểu 06 columns 3–13 as figure names
    "received", "online", "direct_postal", "carried_over", "resolved", "early", "on_time", "late",
    "in_progress", "within_deadline", "overdue",
)


def report_reader_required(view):
    """Leaders, inspectors and administrators; others get the 403 page, anonymous users the
    login. A bad query (a unit out of scope, a malformed date, an unknown figure…) is shown
    as its Vietnamese message with its 4xx status, never a crash."""

    @wraps(view)
    @login_required(login_url="office:login")  # staff keep their own login page
    def wrapper(request, *args, **kwargs):
        if not services.reportable_units(request.user):
            raise PermissionDenied(_("Chỉ lãnh đạo, thanh tra và quản trị được xem báo cáo thống kê."))
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            details = [m for msgs in error.fields.values() for m in msgs]
            return render(request, "error.html", {
                "status": error.status, "title": _("Không xem được báo cáo"),
                "message": " ".join([error.message, *details]),
                "back": reverse("reports:report"),
            }, status=error.status)

    return wrapper


def _selection(request, default_kind: str = periods.MONTH) -> dict:
    """The unit, children flag and period the page's query string asks for, with the errors to show."""
    units = services.reportable_units(request.user)
    params = request.GET
    errors: list[str] = []
    today = timezone.localdate()
    try:
        period = periods.choose(params, today, default_kind)
    except DomainError as exc:
        errors.append(" ".join([exc.message, *(m for msgs in exc.fields.values() for m in msgs)]))
        period = periods.choose({}, today, default_kind)
    codes = {u.code: u for u in units}
    unit = codes.get(params.get("unit", "")) or units[0]
    if "unit" in params and params.get("unit") not in codes:
        errors.append(_("Bạn không có quyền xem báo cáo của đơn vị đã chọn; đang hiển thị %(unit)s.") % {"unit": unit.name})
    children = params.get("children", "1") in TRUE_WORDS
    predecessors = params.get("predecessors", "") in TRUE_WORDS
    query = services.report_query(request.user, unit.code, period.first, period.last, "1" if children else "",
                                  "1" if predecessors else "")
    return {"units": units, "unit": unit, "children": children, "predecessors": predecessors,
            "has_predecessors": unit.predecessors.exists(), "period": period, "query": query, "errors": errors,
            "period_options": periods.options(period.year), "period_value": periods.choice_value(period),
            "years": sorted({*range(today.year, today.year - 6, -1), period.year}, reverse=True), "today": today,
            "period_open": query.judged_at > timezone.now(),
            "overdue_url": reverse("reports:overdue_now") + "?" + urlencode(_unit_params(query))}


def _unit_params(q) -> dict:
    """The unit of a report query, without its period (the lists judged now)."""
    return {"unit": q.unit.code, "children": "1" if q.children else "0", **({"predecessors": "1"} if q.predecessors else {})}


def _base_params(sel: dict) -> dict:
    q = sel["query"]
    return {"unit": q.unit.code, "from": q.date_from.isoformat(), "to": q.date_to.isoformat(),
            "children": "1" if q.children else "0", **({"predecessors": "1"} if q.predecessors else {})}


def _cells(figures: dict, params: dict) -> list[dict]:
    """One row's columns 3–13, each with the address of its dossiers."""
    values = export.columns_3_to_13(figures)
    cells = []
    for name, value in zip(COLUMNS, values):
        figure = "new" if name == "direct_postal" else name
        extra = {"kenh": "direct_postal"} if name == "direct_postal" else {}
        url = reverse("reports:dossiers") + "?" + urlencode({**params, "figure": figure, **extra})
        cells.append({"value": value, "url": url if name != "direct_postal" else "", "figure": name})
    return cells


@report_reader_required
@require_GET
def report_page(request):
    sel = _selection(request)
    query = sel["query"]
    report = query.report()
    params = _base_params(sel)
    levels: list[dict] = []
    for row in report["rows"]:
        if not levels or levels[-1]["level"] != row["level"]:
            levels.append({"level": row["level"], "name": row["level_name"], "rows": []})
        levels[-1]["rows"].append({"label": row["field_name"], "cells": _cells(row, {**params, "field": row["field"]})})
    procedures = [{"label": row["procedure_name"], "code": row["procedure"], "level_name": row["level_name"],
                   "cells": _cells(row, {**params, "procedure": row["procedure"]})} for row in report["procedures"]]
    api = "?" + urlencode(params)
    context = {
        **sel, "report": report, "levels": levels, "procedures": procedures,
        "total_cells": _cells(report, params),
        "withdrawn_url": reverse("reports:dossiers") + "?" + urlencode({**params, "figure": "withdrawn"}),
        "indicators": indicators.indicators(query, report),
        **satisfaction_context(query),
        "downloads": [
            ("Excel (.xlsx)", reverse("api:tthc_xlsx") + api),
            ("PDF", reverse("api:tthc_pdf") + api),
            ("CSV", reverse("reports:csv") + api),
            ("JSON", reverse("api:tthc") + api),
        ],
    }
    return render(request, "reports/report.html", context)


@report_reader_required
@require_GET
def report_csv(request):
    """Biểu 06 as open data: one CSV line per level and field, and the total."""
    query = services.report_query(request.user, request.GET.get("unit", ""), request.GET.get("from"),
                                  request.GET.get("to"), request.GET.get("children", ""), request.GET.get("predecessors", ""))
    report = query.report()
    def flat(f):
        return [f["received"]["total"], f["received"]["carried_over"], f["received"]["new"]["total"],
                f["received"]["new"]["online"], f["received"]["new"]["direct"], f["received"]["new"]["postal"],
                f["resolved"]["total"], f["resolved"]["early"], f["resolved"]["on_time"], f["resolved"]["late"],
                f["in_progress"]["total"], f["in_progress"]["within_deadline"], f["in_progress"]["overdue"], f["withdrawn"]]
    rows = [["level", "field", "field_name", *services.FIGURES]]
    rows += [[row["level"], row["field"], row["field_name"], *flat(row)] for row in report["rows"]]
    rows.append(["", "", "Tổng cộng", *flat(report)])
    response = HttpResponse(spreadsheets.csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bieu06-{report["unit"]}-{report["from"]}-{report["to"]}.csv"'
    return response


@report_reader_required
@require_GET
def dossiers_page(request):
    """The dossiers behind one figure; their number is the figure's, said at the top."""
    g = request.GET
    query = services.report_query(request.user, g.get("unit", ""), g.get("from"), g.get("to"), g.get("children", ""),
                                  g.get("predecessors", ""))
    figure = drilldown.check_figure(g.get("figure", ""))
    field, procedure = drilldown.narrowing(g.get("field", ""), g.get("procedure", ""))
    count = drilldown.figure_count(query, figure, field, procedure)
    try:
        page = max(int(g.get("page", "1")), 1)
    except ValueError:
        page = 1
    items, meta = paginate(drilldown.figure_dossiers(query, figure, field, procedure), page, DRILLDOWN_PAGE_SIZE, count=count)
    params = {k: v for k, v in g.items() if k != "page"}
    back = reverse("reports:report") + "?" + urlencode({"unit": query.unit.code, "ky": periods.CUSTOM,
                                                        "from": query.date_from.isoformat(), "to": query.date_to.isoformat(),
                                                        "children": "1" if query.children else "0",
                                                        **({"predecessors": "1"} if query.predecessors else {})})
    return render(request, "reports/dossiers.html", {
        "query": query, "figure": figure, "figure_label": drilldown.FIGURE_LABELS[figure], "field": field,
        "procedure": procedure, "items": items, "meta": meta, "back": back,
        "prev_url": "?" + urlencode({**params, "page": page - 1}) if page > 1 else "",
        "next_url": "?" + urlencode({**params, "page": page + 1}) if page < meta["pages"] else "",
    })


@report_reader_required
@require_GET
def indicator_dossiers_page(request):
    """The dossiers behind a scorecard indicator's numerator or denominator (the digitisation
    group, QĐ 766 4.1–4.5): their number is the scorecard's, counted by the same conditions."""
    g = request.GET
    query = services.report_query(request.user, g.get("unit", ""), g.get("from"), g.get("to"), g.get("children", ""),
                                  g.get("predecessors", ""))
    key, part = g.get("indicator", ""), g.get("part", scorecard.NUMERATOR)
    if key not in scorecard.DRILLDOWN or part not in (scorecard.NUMERATOR, scorecard.DENOMINATOR):
        raise InvalidInput(_("Chỉ số không có danh sách hồ sơ."), code="invalid_indicator",
                           fields={"indicator": [_("Chọn một trong: %(keys)s.") % {"keys": ", ".join(scorecard.DRILLDOWN)}]})
    indicator = scorecard.INDICATORS[key]
    try:
        page = max(int(g.get("page", "1")), 1)
    except ValueError:
        page = 1
    dossiers = scorecard.indicator_dossiers(query, key, part).select_related("procedure", "unit").order_by("received_at", "code")
    items, meta = paginate(dossiers, page, DRILLDOWN_PAGE_SIZE)
    params = {k: v for k, v in g.items() if k != "page"}
    what = _("tử số") if part == scorecard.NUMERATOR else _("mẫu số")
    return render(request, "reports/dossiers.html", {
        "query": query, "items": items, "meta": meta, "indicator": indicator, "indicator_part": part,
        "figure_label": f"{indicator.key}. {indicator.name} ({what})",
        "back": reverse("reports:dashboard") + "?" + urlencode({**_unit_params(query), "ky": periods.CUSTOM,
                                                                "from": query.date_from.isoformat(),
                                                                "to": query.date_to.isoformat()}) + "#bo-chi-so-766",
        "prev_url": "?" + urlencode({**params, "page": page - 1}) if page > 1 else "",
        "next_url": "?" + urlencode({**params, "page": page + 1}) if page < meta["pages"] else "",
    })


def _scorecard_links(card: dict, query) -> None:
    """Each drill-down indicator's numerator and denominator with the address of their dossiers."""
    base = {"unit": query.unit.code, "from": query.date_from.isoformat(), "to": query.date_to.isoformat(),
            "children": "1" if query.children else "0", **({"predecessors": "1"} if query.predecessors else {})}
    for group in card["groups"]:
        for item in group["indicators"]:
            if item["key"] in scorecard.DRILLDOWN:
                url = reverse("reports:indicator_dossiers") + "?" + urlencode({**base, "indicator": item["key"]})
                item["numerator_url"] = url + "&part=" + scorecard.NUMERATOR
                item["denominator_url"] = url + "&part=" + scorecard.DENOMINATOR


@report_reader_required
@require_GET
def overdue_now_page(request):
    """The dossiers of the unit(s) overdue at this moment (the dashboard's "đang quá hạn"),
    judged now by the one timeliness rule, most overdue first."""
    sel = _selection(request)
    query = sel["query"]
    now = timezone.now()
    dossiers = query.overdue_now(now).select_related("procedure", "unit").order_by("due_at", "code")
    try:
        page = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page = 1
    items, meta = paginate(dossiers, page, DRILLDOWN_PAGE_SIZE)
    params = _unit_params(query)
    return render(request, "reports/dossiers.html", {
        "query": query, "items": items, "meta": meta, "now": now, "now_list": True,
        "figure_label": _("Đang quá hạn lúc %(moment)s") % {"moment": timezone.localtime(now).strftime("%H:%M %d/%m/%Y")},
        "back": reverse("reports:dashboard") + "?" + urlencode(params),
        "prev_url": "?" + urlencode({**params, "page": page - 1}) if page > 1 else "",
        "next_url": "?" + urlencode({**params, "page": page + 1}) if page < meta["pages"] else "",
    })


def satisfaction_context(query) -> dict:
    """The surveys' and ratings' figures per unit, procedure and officer, and the unhappy answers."""
    from motcua.feedback.models import CRITERIA
    from motcua.reports import satisfaction

    summary = satisfaction.summary(query)
    return {"satisfaction": summary, "criteria": CRITERIA, "satisfaction_tables": [
        (_("Theo đơn vị"), summary["units"]), (_("Theo thủ tục"), summary["procedures"]),
        (_("Theo cán bộ giải quyết"), summary["officers"])]}


@report_reader_required
@require_GET
def dashboard(request):
    sel = _selection(request, default_kind=periods.YEAR)
    query = sel["query"]
    report = query.report()
    last = min(query.date_to, sel["today"]) if query.date_from <= sel["today"] else query.date_to
    months = []
    for first, end in periods.months_between(query.date_from, last):
        r = services.tthc_report(query.unit, first, end, children=query.children, predecessors=query.predecessors)
        months.append({"label": f"{first.month:02d}/{first.year % 100:02d}", "online": r["received"]["new"]["online"],
                       "direct": r["received"]["new"]["direct"], "postal": r["received"]["new"]["postal"],
                       "new": r["received"]["new"]["total"], "online_pct": r["rates"]["online_pct"]})
    labels = [m["label"] for m in months]
    unit_rates = [{"name": u["unit_name"], "resolved": u["resolved"]["total"],
                   "in_time": u["resolved"]["early"] + u["resolved"]["on_time"],
                   "pct": u["rates"]["resolved_on_time_pct"] if u["resolved"]["total"] else None} for u in report["units"]]
    now = timezone.now()
    overdue_now = query.overdue_now(now)
    overdue = list(overdue_now.select_related("procedure", "current_unit").order_by("due_at", "code")[:OVERDUE_SHOWN])
    card = scorecard.scorecard(query)
    _scorecard_links(card, query)
    context = {
        **sel, "report": report, "months": months, "unit_rates": unit_rates, "overdue": overdue,
        "overdue_count": overdue_now.count() if len(overdue) == OVERDUE_SHOWN else len(overdue), "now": now,
        "indicators": indicators.indicators(query, report),
        "times": indicators.processing_time_by_procedure(query),
        "scorecard": card,
        **satisfaction_context(query),
        "channel_chart": charts.stacked_bars(labels, [(_("Trực tuyến"), [m["online"] for m in months]),
                                                      (_("Trực tiếp"), [m["direct"] for m in months]),
                                                      (_("Bưu chính"), [m["postal"] for m in months])],
                                             _("Hồ sơ tiếp nhận theo kênh, từng tháng")),
        "online_chart": charts.percent_bars([(m["label"], m["online_pct"] if m["new"] else None) for m in months],
                                            _("Tỷ lệ hồ sơ trực tuyến, từng tháng")),
        "unit_chart": charts.percent_bars([(u["name"], u["pct"]) for u in unit_rates],
                                          _("Tỷ lệ giải quyết trước hạn, đúng hạn theo đơn vị")),
        "scorecard_chart": charts.percent_bars([(g["name"], g["points"] * 100 / g["max"]) for g in card["groups"]],
                                               _("Điểm Bộ chỉ số 766 theo nhóm (phần trăm điểm tối đa)")),
    }
    return render(request, "reports/dashboard.html", context)
