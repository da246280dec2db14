"""Public pages: the procedure catalog, QR codes, dossier tracking and the error pages.

Views stay thin: they read the query string, call a catalog or dossier service, and
render. Everything here is readable without JavaScript; htmx only makes the list live.
"""

from __future__ import annotations

import sys

import segno
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control

from motcua.catalog import blankforms
from motcua.catalog import services as catalog
from motcua.catalog.text import fold
from motcua.catalog.models import (
    Field,
    FeeLine,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureCommitment,
    RequiredDocument,
    Unit,
)
from motcua.dossiers.models import Delivery, Dossier, Status
from motcua.errors import NotFound
from motcua.links import procedure_url
from motcua.operations.throttles import database_trouble_response, limit_tracking, rate_limited

PAGE_SIZE = 20


# ------------------------------------------------------------------ helpers

def fields_in_reading_order() -> list[Field]:
    """Fields sorted as a Vietnamese reader expects ("Đất đai" with the D's, not after Z)."""
    return sorted(Field.objects.all(), key=lambda f: (fold(f.name), f.name))


def _procedure_or_404(code: str) -> Procedure:
    procedure = (
        Procedure.objects.select_related("field", "replaced_by")
        .prefetch_related(
            "levels",
            Prefetch("documents", queryset=RequiredDocument.objects.order_by("order", "id")),
            Prefetch("fee_lines", queryset=FeeLine.objects.order_by("order", "id")),
            Prefetch(
                "commitments",
                queryset=ProcedureCommitment.objects.valid_on().select_related("unit").order_by("unit__path"),
                to_attr="current_commitments",
            ),
        )
        .filter(code=code)
        .first()
    )
    if procedure is None:
        raise Http404(code)
    return procedure


def _unit_or_404(code: str) -> Unit:
    try:
        return catalog.get_unit(code)
    except NotFound:
        raise Http404(code)


def _choice(value: str, allowed) -> str:
    """``value`` when it is one of ``allowed``, else ``""`` (an unknown filter is ignored)."""
    return value if value in allowed else ""


def _procedure_facts(procedure: Procedure) -> dict:
    """What the procedure and print pages both show, prepared once."""
    level_labels = dict(Level.choices)
    deliveries = [Delivery.COUNTER.label]
    if procedure.result_by_post:
        deliveries.append(Delivery.POST.label)
    if procedure.result_electronic:
        deliveries.append(Delivery.ELECTRONIC.label)
    return {
        "p": procedure,
        "page_url": procedure_url(procedure.code),
        "levels": [level_labels[lv] for lv in procedure.level_list],
        "interlinked_levels": [level_labels.get(lv, lv) for lv in procedure.interlinked_levels or []],
        "deliveries": deliveries,
        "commitments": procedure.current_commitments,
        "in_force": Procedure.objects.valid_on().filter(pk=procedure.pk).exists(),
        "fee_total": fee_total(procedure),
        "papers": [(d, blankforms.offered(d)) for d in procedure.documents.all()],
    }


def fee_total(procedure: Procedure) -> int:
    """What one dossier of ``procedure`` asks to pay by default (``payments.fees``, the one home)."""
    from motcua.payments.fees import fee_for

    return fee_for(procedure).total


# ------------------------------------------------------------------ catalog

def home(request):
    """The front page: one big search box, then browse by field, level and unit."""
    current = catalog.current_procedures()
    field_counts = dict(current.values_list("field").annotate(n=Count("id")).values_list("field", "n"))
    fields = [(f, field_counts.get(f.pk, 0)) for f in fields_in_reading_order()]
    level_counts = dict(
        current.values_list("levels__level").annotate(n=Count("id")).values_list("levels__level", "n")
    )
    units = [(u, u.path.count("/") - 2) for u in Unit.objects.valid_on().order_by("path")]
    return render(request, "portal/home.html", {
        "fields": [(f, n) for f, n in fields if n],
        "levels": [(value, label, level_counts.get(value, 0)) for value, label in Level.choices],
        "units": units,
        "total": current.count(),
    })


def procedure_list(request):
    """The searchable list: ``q`` (no diacritics needed), field, level, online level, unit."""
    q = request.GET.get("q", "").strip()[:200]
    field = request.GET.get("field", "")[:40]
    level = _choice(request.GET.get("level", ""), Level.values)
    online = _choice(request.GET.get("online", ""), OnlineLevel.values)
    unit_code = request.GET.get("unit", "")[:40]
    unit = Unit.objects.filter(code=unit_code).first() if unit_code else None
    fields = fields_in_reading_order()
    if field and not any(f.code == field for f in fields):
        field = ""

    results = catalog.search_procedures(q, unit=unit, field=field, level=level, online_level=online)
    paginator = Paginator(results, PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("page")

    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "portal/_procedure_results.html" if partial else "portal/procedures.html"
    response = render(request, template, {
        "page": page, "q": q, "field": field, "level": level, "online": online, "unit": unit,
        "fields": fields, "levels": Level.choices, "online_levels": OnlineLevel.choices,
        "filtered": bool(q or field or level or online or unit),
    })
    patch_vary_headers(response, ["HX-Request"])
    return response


def procedure_detail(request, code: str):
    """Everything a citizen needs before going to the counter, with the page's QR code."""
    procedure = _procedure_or_404(code)
    from motcua.voices.services import published, public_item

    answered = published(procedure=procedure.code)
    questions = [public_item(q) for q in answered[:3]]
    return render(request, "portal/procedure.html", {**_procedure_facts(procedure), "questions": questions,
                                                     "more_questions": len(questions) == 3 and answered.count() > 3})


def procedure_print(request, code: str):
    """A one-page sheet to print and pin up: no navigation, QR code included."""
    procedure = _procedure_or_404(code)
    return render(request, "portal/procedure_print.html", _procedure_facts(procedure))


@cache_control(max_age=3600, public=True)
def blank_form(request, code: str, paper_id: int, name: str = ""):
    """A paper's blank form (mẫu đơn, tờ khai) as a download named in Vietnamese (``catalog.blankforms``).
    The address stays when the file is replaced; ``name`` is only for people."""
    try:
        handle, blank = blankforms.open_blank(code, paper_id)
    except NotFound:
        raise Http404(code)
    response = FileResponse(handle, content_type=blank.content_type)
    response["Content-Disposition"] = blankforms.content_disposition(blank.filename)
    if blank.size is not None:
        response["Content-Length"] = str(blank.size)
    return response


@cache_control(max_age=86400, public=True)
def procedure_qr(request, code: str):
    """An SVG QR code that opens the procedure's public page (``motcua.links.procedure_url``)."""
    procedure = _procedure_or_404(code)
    return qr_svg_response(procedure_url(procedure.code, request), procedure.name)


def qr_svg_response(url: str, title: str) -> HttpResponse:
    """An SVG QR code of ``url`` (the procedure page, the online form, a dossier's tracking page)."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=4, title=title)
    return HttpResponse('<?xml version="1.0" encoding="utf-8"?>\n' + svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1),
                        content_type="image/svg+xml; charset=utf-8")


def unit_catalog(request, code: str):
    """A unit's page: its catalog figures (level × online level) and its procedures."""
    unit = _unit_or_404(code)
    children = request.GET.get("children") == "1"
    stats = catalog.procedure_stats(unit, children=children)
    level_labels = dict(Level.choices)
    matrix = [
        (level_labels[lv], [row[ol] for ol in OnlineLevel.values], stats["by_level"][lv])
        for lv, row in stats["matrix"].items()
        if stats["by_level"][lv] or lv == unit.level
    ]
    return render(request, "portal/unit.html", {
        "unit": unit,
        "ancestors": unit.ancestors(),
        "subunits": unit.children.valid_on().order_by("name"),
        "stats": stats,
        "matrix": matrix,
        "totals": [stats["by_online_level"][ol] for ol in OnlineLevel.values],
        "children": children,
        "has_children": unit.children.exists(),
        "procedures": catalog.procedures_of_unit(unit).select_related("field").order_by("field__name", "name"),
        "online_levels": OnlineLevel.choices,
    })


def unit_poster(request, code: str):
    """The printable QR poster of a unit's procedures (PDF, built by ``printing.poster``)."""
    from motcua.printing.poster import render_unit_poster

    unit = _unit_or_404(code)
    pdf = render_unit_poster(unit)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bang-qr-{unit.code}.pdf"'
    return response


# ------------------------------------------------------------------ tracking

STATUS_HELP = {
    Status.SUBMITTED: gettext_lazy("Hồ sơ đã được gửi và đang chờ Bộ phận Một cửa kiểm tra, tiếp nhận."),
    Status.REFUSED: gettext_lazy("Hồ sơ không được tiếp nhận. Vui lòng xem thông báo đã gửi cho bạn hoặc liên hệ Bộ phận Một cửa."),
    Status.RECEIVED: gettext_lazy("Hồ sơ đã được tiếp nhận và sẽ được chuyển tới bộ phận giải quyết."),
    Status.PROCESSING: gettext_lazy("Hồ sơ đang được cán bộ chuyên môn giải quyết."),
    Status.AWAITING_SUPPLEMENT: gettext_lazy("Cơ quan cần bạn bổ sung giấy tờ. Vui lòng liên hệ Bộ phận Một cửa hoặc xem thông báo đã gửi cho bạn."),
    Status.AWAITING_APPROVAL: gettext_lazy("Hồ sơ đã xử lý xong và đang chờ lãnh đạo ký duyệt."),
    Status.APPROVED: gettext_lazy("Hồ sơ đã giải quyết xong. Bạn có thể đến nhận kết quả theo giấy hẹn."),
    Status.REJECTED: gettext_lazy("Hồ sơ không được giải quyết. Cơ quan sẽ trả lời bằng văn bản và nêu rõ lý do."),
    Status.RESULT_RETURNED: gettext_lazy("Kết quả đã được trả."),
    Status.WITHDRAWN: gettext_lazy("Hồ sơ đã được rút theo yêu cầu."),
}


@rate_limited(limit_tracking)
def track(request, code: str = ""):
    """Dossier status by its code. Shows no personal data (no name, ID number or phone)."""
    code = (code or request.GET.get("code", "")).strip()[:80]
    dossier = None
    if code:
        dossier = (
            Dossier.objects.select_related("procedure", "unit", "current_unit")
            .only(
                "code", "status", "channel", "submitted_at", "received_at", "due_at", "resolved_at", "returned_at",
                "withdrawn_at", "refused_at", "paused_at", "supplement_requests", "reschedules",
                "procedure__code", "procedure__name", "unit__code", "unit__name",
                "current_unit__code", "current_unit__name",
            )
            .filter(code__in={code, code.upper()})  # codes are upper case; stays on the unique index
            .first()
        )
    context = {"code": code, "dossier": dossier}
    if dossier is not None:
        from motcua.dossiers.moments import dossier_moments
        from motcua.dossiers.timeliness import timeliness_of
        from motcua.printing.available import printable_forms

        context["status_help"] = STATUS_HELP.get(dossier.status, "")
        context["timeliness"] = timeliness_of(dossier)
        context["moments"] = dossier_moments(dossier)
        # Named only: the papers themselves carry personal data and open for the owner and staff.
        context["printed_forms"] = printable_forms(dossier, applicant=True)
    return render(request, "portal/track.html", context, status=404 if code and dossier is None else 200)


# ------------------------------------------------------------------ errors

def _error(request, status: int, title: str, message: str):
    context = {"title": title, "message": message, "status": status}
    if request is None:
        return HttpResponse(render_to_string("error.html", context), status=status)
    return render(request, "error.html", context, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, _("Yêu cầu không hợp lệ"),
                  _("Địa chỉ hoặc thông tin gửi lên chưa đúng. Vui lòng kiểm tra lại rồi thử lại."))


def permission_denied(request, exception=None):
    return _error(request, 403, _("Bạn không có quyền xem trang này"),
                  _("Trang này chỉ dành cho người có thẩm quyền. Nếu bạn là cán bộ, vui lòng đăng nhập."))


def page_not_found(request, exception=None):
    return _error(request, 404, _("Không tìm thấy trang"),
                  _("Trang, thủ tục hoặc hồ sơ bạn tìm không có. Vui lòng kiểm tra lại địa chỉ hoặc mã, "
                    "hoặc tìm thủ tục từ trang chủ."))


def server_error(request):
    """Rendered without the request: nothing here may touch the database that just failed.
    A busy or unavailable database outside a view (a session read or saved by middleware) is
    a 503, not a 500."""
    trouble = database_trouble_response(request, sys.exc_info()[1])
    if trouble is not None:
        return trouble
    return _error(None, 500, _("Hệ thống đang gặp sự cố"),
                  _("Xin lỗi, đã có lỗi xảy ra. Vui lòng thử lại sau ít phút."))
