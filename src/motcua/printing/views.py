"""PDF views of the dossier forms and the register. Thin: check access, build, send.

Staff print the forms of the dossiers they can see (``dossiers.scope.get_visible``);
the applicant who filed online prints the forms addressed to them (receipt, supplement
request, refusal, apology) but not the internal control sheet. Anyone else gets 404,
as if the dossier did not exist; anonymous visitors are sent to the login page. Those four
forms come signed by the agency where the unit turns it on (``dossier_forms.form_pdf``).
"""

from __future__ import annotations

import time

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.accounts.models import Role
from motcua.catalog.models import Unit
from motcua.printing import dossier_forms, register as register_form
from motcua.printing.editions import APPLICANT_FORMS, FORMS
from motcua.dossiers import scope
from motcua.dossiers.scope import get_visible
from motcua.errors import DomainError, NotFound


def _error(request, error: DomainError):
    titles = {404: "Không tìm thấy giấy tờ", 403: "Không có quyền truy cập"}
    details = " ".join(m for messages in error.fields.values() for m in messages)
    message = f"{error.message} {details}".strip()
    return render(
        request, "error.html",
        {"title": titles.get(error.status, "Yêu cầu không hợp lệ"), "message": message, "status": error.status},
        status=error.status,
    )


def _pdf(content: bytes, filename: str, started: float) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Render-Time-Ms"] = f"{(time.perf_counter() - started) * 1000:.1f}"
    return response


def _dossier_form(key: str):
    @login_required(login_url="office:login")  # printed at the counter: the staff login
    @require_GET
    def view(request, code: str):
        started = time.perf_counter()
        try:
            dossier = get_visible(request.user, code)
            if request.user.role == Role.CITIZEN and key not in APPLICANT_FORMS:
                raise NotFound(f"Không tìm thấy hồ sơ “{code}”.", code="dossier_not_found")
            content = dossier_forms.form_pdf(key, dossier)
        except DomainError as error:
            return _error(request, error)
        return _pdf(content, f"{key}-{dossier.code}.pdf", started)

    view.__name__ = f"{key}_pdf"
    view.__doc__ = f"{FORMS[key].title_2018} (PDF) of one dossier."
    return view


receipt = _dossier_form("receipt")
supplement_request = _dossier_form("supplement_request")
refusal = _dossier_form("refusal")
apology = _dossier_form("apology")
control_sheet = _dossier_form("control_sheet")


def can_print_register(user, unit: Unit) -> bool:
    """The unit is in the user's scope (``dossiers.scope``: admins anywhere, inspectors
    their subtree, officers their own units)."""
    return scope.may_see_unit(user, unit)


@login_required(login_url="office:login")
@require_GET
def register(request):
    """Sổ theo dõi hồ sơ of ``?unit=&from=YYYY-MM-DD&to=YYYY-MM-DD`` (A4 landscape)."""
    started = time.perf_counter()
    try:
        code = request.GET.get("unit", "")
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise NotFound(f"Không tìm thấy đơn vị có mã “{code}”.", code="unit_not_found")
        start, end = register_form.parse_period(request.GET.get("from", ""), request.GET.get("to", ""))
        if not can_print_register(request.user, unit):
            return _error(request, DomainError(
                f"Bạn không có quyền xem Sổ theo dõi hồ sơ của {unit.name}.", code="forbidden", status=403))
        content = register_form.render_register(unit, start, end)
    except DomainError as error:
        return _error(request, error)
    return _pdf(content, f"so-theo-doi-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}.pdf", started)
