"""``/can-bo/kiem-tra/`` (docs/pages.md): the officers' work, its flags, inspection records.

Thin adapters over :mod:`motcua.inspection.officers` (the report and its drill-down, the same
as ``GET /api/v1/reports/officers``) and :mod:`motcua.inspection.records`; who may read is the
report's rule (``reports.services.report_query``: leaders, inspectors, admins, in their scope).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.paging import paginate
from motcua.inspection import officers
from motcua.reports import periods, services
from motcua.reports.views import DRILLDOWN_PAGE_SIZE, _base_params, _selection, report_reader_required

NUMBERS = ("handled", "on_time", "late", "supplement_requests", "apologies", "refusals", "rated", "surveyed")


def _link(params: dict, **extra) -> str:
    return reverse("inspection:dossiers") + "?" + urlencode({**params, **extra})


@report_reader_required
@require_GET
def officers_page(request):
    sel = _selection(request)
    query = sel["query"]
    report = officers.officers_report(query)
    params = _base_params(sel)
    rows = []
    for item in report["items"]:
        mine = {**params, "officer": item["officer"], "officer_unit": item["unit"]}
        survey_cells = [{**c, "numerator_url": _link(mine, figure=f"satisfied_{c['key']}"),
                         "denominator_url": _link(mine, figure="surveyed")} for c in item["surveys"]["criteria"]]
        rows.append({
            **item,
            "cells": [{"figure": f, "label": officers.FIGURE_LABELS[f], "value": item[f], "url": _link(mine, figure=f)}
                      for f in NUMBERS],
            "flag_cells": [{"figure": f, "label": officers.FIGURE_LABELS[f], "value": item["flags"][f],
                            "url": _link(mine, figure=f)} for f in officers.FLAGS],
            "step_cells": [{**s, "handled_url": _link(mine, figure="handled", step=s["step"]),
                            "late_url": _link(mine, figure="late", step=s["step"])} for s in item["steps"]],
            "survey_cells": survey_cells,
            "survey_officers": next(c for c in survey_cells if c["key"] == "officers"),
        })
    flags = officers.flag_counts(query)
    from motcua.inspection import records

    return render(request, "inspection/officers.html", {
        **sel, "report": report, "rows": rows,
        "flags": [{"figure": f, "label": officers.FIGURE_LABELS[f], "value": flags[f], "url": _link(params, figure=f)}
                  for f in officers.FLAGS],
        "labels": officers.FIGURE_LABELS,
        "api_url": reverse("api:officers_report") + "?" + urlencode(params),
        "inspections": records.visible(request.user)[:20],
        "may_inspect": records.may_inspect(request.user),
    })


@report_reader_required
@require_GET
def dossiers_page(request):
    """The dossiers behind one number of an officer's row, or behind a flag."""
    g = request.GET
    query = services.report_query(request.user, g.get("unit", ""), g.get("from"), g.get("to"), g.get("children", ""),
                                  g.get("predecessors", ""))
    figure, step = officers.check_figure(g.get("figure", ""), g.get("step", ""))
    if g.get("officer"):
        user, unit = officers.officer_and_unit(query, g.get("officer"), g.get("officer_unit", ""))
    else:
        user, unit = None, officers.unit_in_query(query, g.get("officer_unit", ""))
    try:
        page = max(int(g.get("page", "1")), 1)
    except ValueError:
        page = 1
    items, meta = paginate(officers.figure_dossiers(query, user, unit, figure, step), page, DRILLDOWN_PAGE_SIZE)
    label = officers.FIGURE_LABELS[figure]
    if step:
        from motcua.catalog.models import StepKind

        label = f"{label} · {StepKind(step).label}"
    if user is not None:
        label = f"{user.display_name()} · {label}"
    params = {k: v for k, v in g.items() if k != "page"}
    back = reverse("inspection:officers") + "?" + urlencode({
        "unit": query.unit.code, "ky": periods.CUSTOM, "from": query.date_from.isoformat(),
        "to": query.date_to.isoformat(), "children": "1" if query.children else "0"})
    return render(request, "reports/dossiers.html", {
        "query": query, "figure": figure, "figure_label": label, "items": items, "meta": meta, "back": back,
        "prev_url": "?" + urlencode({**params, "page": page - 1}) if page > 1 else "",
        "next_url": "?" + urlencode({**params, "page": page + 1}) if page < meta["pages"] else "",
    })


# ------------------------------------------------------------------ inspection records

def _problems(error) -> list[str]:
    return [error.message, *(m for msgs in error.fields.values() for m in msgs)]


@report_reader_required
def open_page(request):
    """Open an inspection of a unit for a period (inspectors, administrators)."""
    from motcua.errors import DomainError
    from motcua.inspection import records

    if not records.may_inspect(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Chỉ thanh tra và quản trị được lập, ghi và kết thúc đợt kiểm tra."))
    source = request.POST if request.method == "POST" else request.GET
    form = {k: source.get(k, "") for k in ("unit", "from", "to", "subject", "unannounced")}
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            inspection = records.open_inspection(request.user, unit_code=form["unit"], date_from=form["from"],
                                                 date_to=form["to"], subject=form["subject"],
                                                 unannounced=bool(form["unannounced"]))
        except DomainError as error:
            errors, status = _problems(error), error.status
        else:
            from django.shortcuts import redirect

            return redirect("inspection:record", inspection.pk)
    return render(request, "inspection/open.html", {"form": form, "errors": errors,
                                                    "units": services.reportable_units(request.user)}, status=status)


@report_reader_required
def record_page(request, pk: int):
    """One inspection: its trail, a finding to note, the close; POST ``do`` = ``note`` or ``close``."""
    from django.shortcuts import redirect

    from motcua.errors import DomainError
    from motcua.inspection import records

    inspection = records.get_visible(request.user, pk)
    errors: list[str] = []
    status = 200
    form = {k: request.POST.get(k, "") for k in ("text", "dossier", "flag", "conclusion")}
    if request.method == "POST":
        try:
            if request.POST.get("do") == "close":
                records.close_inspection(request.user, pk, conclusion=form["conclusion"])
            else:
                records.note_finding(request.user, pk, text=form["text"], dossier_code=form["dossier"], flag=form["flag"])
        except DomainError as error:
            errors, status = _problems(error), error.status
        else:
            return redirect("inspection:record", pk)
    else:
        form["dossier"] = request.GET.get("dossier", "")
        form["flag"] = request.GET.get("flag", "")
    inspection.refresh_from_db()
    review = reverse("inspection:officers") + "?" + urlencode({
        "unit": inspection.unit.code, "ky": periods.CUSTOM, "from": inspection.date_from.isoformat(),
        "to": inspection.date_to.isoformat(), "children": "1"})
    return render(request, "inspection/record.html", {
        "inspection": inspection, "entries": inspection.entries.select_related("dossier").order_by("seq"),
        "errors": errors, "form": form, "may_inspect": records.may_inspect(request.user),
        "flags": [(f, officers.FIGURE_LABELS[f]) for f in officers.FLAGS], "review_url": review,
    }, status=status)


@report_reader_required
@require_GET
def record_pdf(request, pk: int):
    from django.http import HttpResponse

    from motcua.inspection import records

    inspection = records.get_visible(request.user, pk)
    response = HttpResponse(records.record_pdf(inspection), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-ban-kiem-tra-{inspection.pk:05d}.pdf"'
    return response
