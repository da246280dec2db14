"""Public pages: the procedure catalog, QR codes, and dossier tracking."""

from __future__ import annotations

import segno
from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control

from motcua.catalog import services as catalog
from motcua.catalog.models import Field, Level, OnlineLevel, Unit
from motcua.dossiers.models import Dossier
from motcua.errors import NotFound


def home(request):
    provinces = Unit.objects.valid_on().filter(parent__isnull=True)
    return render(request, "portal/home.html", {
        "fields": Field.objects.order_by("name"),
        "units": Unit.objects.valid_on().select_related("parent"),
        "provinces": provinces,
    })


def procedure_list(request):
    q = request.GET.get("q", "")[:200]
    unit_code = request.GET.get("unit", "")
    field = request.GET.get("field", "")
    level = request.GET.get("level", "")
    unit = Unit.objects.filter(code=unit_code).first() if unit_code else None
    if level not in Level.values:
        level = ""
    qs = catalog.search_procedures(q, unit=unit, field=field, level=level)
    paginator = Paginator(qs, 20)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, ValueError, TypeError):
        raise Http404("page")
    template = "portal/_procedure_results.html" if request.htmx else "portal/procedures.html"
    return render(request, template, {
        "page": page, "q": q, "unit": unit, "field": field, "level": level,
        "fields": Field.objects.order_by("name"), "levels": Level.choices, "units": Unit.objects.valid_on(),
        "online_levels": dict(OnlineLevel.choices),
    })


def _procedure_or_404(code: str):
    try:
        return catalog.get_procedure(code)
    except NotFound:
        raise Http404(code)


def procedure_detail(request, code: str):
    procedure = _procedure_or_404(code)
    return render(request, "portal/procedure.html", {"p": procedure, "page_url": settings.PUBLIC_BASE_URL + request.path})


def procedure_print(request, code: str):
    procedure = _procedure_or_404(code)
    page_url = settings.PUBLIC_BASE_URL + reverse("portal:procedure", args=[procedure.code])
    return render(request, "portal/procedure_print.html", {"p": procedure, "page_url": page_url})


@cache_control(max_age=86400, public=True)
def procedure_qr(request, code: str):
    procedure = _procedure_or_404(code)
    url = settings.PUBLIC_BASE_URL + reverse("portal:procedure", args=[procedure.code])
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2)
    return HttpResponse(svg, content_type="image/svg+xml")


def unit_catalog(request, code: str):
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise Http404(code)
    children = request.GET.get("children") == "1"
    stats = catalog.procedure_stats(unit, children=children)
    return render(request, "portal/unit.html", {
        "unit": unit, "stats": stats, "children": children,
        "procedures": catalog.procedures_of_unit(unit).select_related("field").order_by("field__name", "name"),
        "levels": dict(Level.choices), "online_levels": dict(OnlineLevel.choices),
    })


def unit_poster(request, code: str):
    from motcua.documents.poster import render_unit_poster

    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise Http404(code)
    pdf = render_unit_poster(unit)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bang-qr-{unit.code}.pdf"'
    return response


def track(request, code: str = ""):
    code = (code or request.GET.get("code", "")).strip()[:80]
    dossier = None
    if code:
        dossier = Dossier.objects.select_related("procedure", "unit", "current_unit").filter(code=code).first()
    return render(request, "portal/track.html", {"code": code, "dossier": dossier}, status=404 if code and not dossier else 200)


def _error(request, template_status: int, title: str, message: str):
    return render(request, "error.html", {"title": title, "message": message, "status": template_status}, status=template_status)


def bad_request(request, exception=None):
    return _error(request, 400, "Yêu cầu không hợp lệ", "Địa chỉ hoặc dữ liệu gửi lên không đúng. Vui lòng kiểm tra lại.")


def permission_denied(request, exception=None):
    return _error(request, 403, "Không có quyền truy cập", "Bạn không có quyền xem trang này.")


def page_not_found(request, exception=None):
    return _error(request, 404, "Không tìm thấy trang", "Trang hoặc hồ sơ bạn tìm không tồn tại. Vui lòng kiểm tra lại địa chỉ hoặc mã.")


def server_error(request):
    return _error(request, 500, "Hệ thống đang gặp sự cố", "Xin lỗi, đã có lỗi xảy ra. Vui lòng thử lại sau ít phút.")
