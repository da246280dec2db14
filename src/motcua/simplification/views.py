"""``/can-bo/don-gian-hoa/``: the register of simplification proposals (issue 20 §4): list with
savings from real volumes, a new proposal, a leader's review, the export for the yearly review."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import spreadsheets
from motcua.errors import DomainError
from motcua.simplification import services
from motcua.simplification.models import Cut, State

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _problems(error) -> list[str]:
    return [error.message, *(m for msgs in error.fields.values() for m in msgs)]


def _staff(user) -> bool:
    return user.is_authenticated and (services.may_propose(user) or services.may_review(user) or user.role == "inspector")


def _selected(request):
    """The register as filtered by state (``tinh-trang``) and year (``nam``, the yearly review's
    list); a bad year is a Vietnamese message and no year filter."""
    qs = services.visible(request.user).order_by("-proposed_at", "-pk")
    state = request.GET.get("tinh-trang", "")
    if state in State.values:
        qs = qs.filter(state=state)
    year, errors = request.GET.get("nam", "").strip(), []
    if year:
        try:
            qs = services.proposed_in(qs, year)
        except DomainError as error:
            errors, year = _problems(error), ""
    return qs, state, year, errors


def _query_string(state: str, year: str) -> str:
    from urllib.parse import urlencode

    params = {k: v for k, v in (("tinh-trang", state), ("nam", year)) if v}
    return "?" + urlencode(params) if params else ""


@login_required(login_url="office:login")
def register_page(request):
    if not _staff(request.user):
        raise PermissionDenied(_("Chỉ cán bộ được xem sổ đề xuất đơn giản hóa."))
    errors: list[str] = []
    status = 200
    form = {k: request.POST.get(k, "") for k in ("unit", "procedure", "cut", "document", "step_text", "days", "fee_amount", "reason")}
    if request.method == "POST":
        try:
            proposal = services.propose(request.user, unit_code=form["unit"], procedure_code=form["procedure"], cut=form["cut"],
                                        reason=form["reason"], document=form["document"], step_text=form["step_text"],
                                        days=form["days"], fee_amount=form["fee_amount"])
        except DomainError as error:
            errors, status = _problems(error), error.status
        else:
            return redirect("simplification:proposal", proposal.pk)
    qs, state, year, filter_errors = _selected(request)
    cache: dict = {}
    today = timezone.localdate()
    rows = [{"p": p, "what": services.what_text(p), "savings": services.savings(p, today, cache)} for p in qs[:200]]
    procedure = services.Procedure.objects.filter(code=form["procedure"]).first() if form["procedure"] else None
    return render(request, "simplification/register.html", {
        "rows": rows, "state": state, "states": State.choices, "cuts": Cut.choices, "form": form, "errors": errors,
        "year": year, "years": services.years(services.visible(request.user)), "filter_errors": filter_errors,
        "export_query": _query_string(state, year),
        "units": services.proposing_units(request.user), "procedures": services.procedure_choices(),
        "documents": procedure.documents.order_by("order") if procedure else [],
        "may_propose": services.may_propose(request.user),
    }, status=status)


@login_required(login_url="office:login")
def proposal_page(request, pk: int):
    if not _staff(request.user):
        raise PermissionDenied(_("Chỉ cán bộ được xem sổ đề xuất đơn giản hóa."))
    try:
        proposal = services.get_visible(request.user, pk)
    except DomainError as error:
        return render(request, "error.html", {"status": error.status, "title": _("Không tìm thấy đề xuất"),
                                              "message": error.message}, status=error.status)
    errors: list[str] = []
    status = 200
    note = request.POST.get("note", "")
    if request.method == "POST":
        try:
            services.review(request.user, pk, approve=request.POST.get("do") == "approve", note=note)
        except DomainError as error:
            errors, status = _problems(error), error.status
        else:
            return redirect("simplification:proposal", pk)
    proposal.refresh_from_db()
    return render(request, "simplification/proposal.html", {
        "p": proposal, "what": services.what_text(proposal), "savings": services.savings(proposal),
        "errors": errors, "note": note,
        "may_review": services.may_review(request.user) and proposal.proposer_id != request.user.pk
        and proposal.state == State.PROPOSED,
    }, status=status)


@login_required(login_url="office:login")
def export(request, fmt: str):
    if not _staff(request.user):
        raise PermissionDenied(_("Chỉ cán bộ được xem sổ đề xuất đơn giản hóa."))
    qs, _state, year, errors = _selected(request)
    if errors:
        return render(request, "error.html", {"status": 400, "title": _("Năm không hợp lệ"), "message": " ".join(errors)},
                      status=400)
    name = f"de-xuat-don-gian-hoa-{year}" if year else f"de-xuat-don-gian-hoa-{timezone.localdate():%Y-%m-%d}"
    if fmt == "xlsx":
        response = HttpResponse(services.export_xlsx(qs), content_type=XLSX)
    else:
        response = HttpResponse(spreadsheets.csv_text(services.export_rows(qs)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
