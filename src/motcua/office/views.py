"""Staff workbench pages (counter officers, specialists, leaders).

Thin adapters: each view reads the request, calls one dossier or catalog service, and
renders its answer. Scoping is ``visible_dossiers``/``get_visible``; the rules of the
workflow live in ``motcua.dossiers.workflow`` and ``apply_action``. A
:class:`~motcua.errors.DomainError` becomes a Vietnamese message on the page (with the
error's HTTP status), never a crash.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts.decorators import staff_required
from motcua.accounts.models import Role
from motcua.catalog import services as catalog
from motcua.catalog.models import Procedure, Unit
from motcua.documents import papers as paper_rules
from motcua.dossiers import actions, scope, search
from motcua.dossiers.intake import receive_dossier
from motcua.dossiers.moments import dossier_moments
from motcua.dossiers.deadlines import compute_deadline
from motcua.dossiers.models import Channel, Delivery, Status
from motcua.dossiers.timeliness import timeliness_of
from motcua.errors import DomainError, NotFound
from motcua.links import tracking_url
from motcua.national.contrib.population import services as population
from motcua.office import presenters, queues
from motcua.office.forms import ActionForm, IntakeForm
from motcua import paging
from motcua.printing.dossier_forms import render_intake_guidance
from motcua.paging import CappedPaginator

PAGE_SIZE = 20
PROCEDURE_CHOICES_SHOWN = 8


def _partial(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


# ------------------------------------------------------------------ home: the queues

@staff_required
@require_GET
def home(request):
    """The user's queues with counts; one queue listed with filters, in the queue's order."""
    user = request.user
    units = queues.user_units(user)
    available = queues.queues_for(user)
    slugs = [q.slug for q in available]
    current = request.GET.get("hang", "")
    if current not in slugs:
        # A search with no queue named (a link, the address bar) looks through every dossier
        # the user may see; otherwise the role's first queue.
        current = "tat-ca" if request.GET.get("q", "").strip() and "tat-ca" in slugs else slugs[0]

    conditions = queues.queue_conditions(user, units)
    counts = queues.queue_counts(user, units, conditions, slugs)
    dossier_list = queues.queue_dossiers(user, conditions[current], current)

    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    q = request.GET.get("q", "").strip()[:search.MAX_LENGTH]
    unit_code = request.GET.get("unit", "")
    unit = next((u for u in units if u.code == unit_code), None) if len(units) > 1 else None
    if status:
        dossier_list = dossier_list.filter(status=status)
    if q:
        dossier_list = dossier_list.filter(search.search_q(q))
    if unit:
        dossier_list = dossier_list.filter(current_unit=unit)

    filtered = bool(status or q or unit)
    # The whole archive is paged without counting it; every other list counts (up to a cap).
    paginator = (paging.OpenEndedPaginator if current == "tat-ca" and not filtered else CappedPaginator)(
        dossier_list, PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("page")
    now = timezone.now()
    rows = [(d, timeliness_of(d, now)) for d in page.object_list]

    context = {
        "queues": [(queue, counts[queue.slug]) for queue in available],
        "current": queues.QUEUES[current],
        "page": page, "rows": rows,
        "status": status, "q": q, "unit": unit, "units": units,
        "statuses": Status.choices,
        "filtered": filtered,
        "can_intake": user.role == Role.COUNTER and bool(units),
        "registers": [(u, presenters.register_link(u, timezone.localdate())) for u in units]
        if user.role in (Role.COUNTER, Role.LEADER) else [],
    }
    template = "office/_queue_results.html" if _partial(request) else "office/home.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ------------------------------------------------------------------ intake

def _counter_units(request) -> list[Unit]:
    if request.user.role != Role.COUNTER:
        raise PermissionDenied(_("Chỉ cán bộ Bộ phận Một cửa tiếp nhận hồ sơ."))
    units = [u for u in queues.user_units(request.user) if Unit.objects.valid_on().filter(pk=u.pk).exists()]
    if not units:
        raise PermissionDenied(_("Bạn chưa thuộc đơn vị tiếp nhận nào."))
    return units


def _chosen_unit(units: list[Unit], code: str) -> Unit:
    return next((u for u in units if u.code == code), units[0])


def _unit_procedure(unit: Unit, code: str) -> Procedure | None:
    if not code:
        return None
    return catalog.procedures_of_unit(unit).filter(code=code).select_related("field").first()


def _procedure_choices(unit: Unit, q: str, selected: Procedure | None) -> tuple[list[Procedure], int]:
    """The first matches of ``q`` among the unit's procedures, the selected one always shown."""
    found = catalog.search_procedures(q, unit=unit)
    total = found.count()
    shown = list(found[:PROCEDURE_CHOICES_SHOWN])
    if selected is not None and all(p.pk != selected.pk for p in shown):
        shown.insert(0, selected)
    return shown, total


def _preview(unit: Unit, procedure: Procedure | None) -> dict:
    """The checklist of papers and the due date a dossier received now would get."""
    if procedure is None:
        return {"procedure": None}
    try:
        deadline = compute_deadline(procedure, unit, timezone.now())
    except DomainError as error:
        return {"procedure": procedure, "preview_error": error.message}
    return {
        "procedure": procedure,
        "documents": paper_rules.procedure_papers(procedure),
        "deadline": deadline,
    }


@staff_required
def intake(request):
    """Take in a dossier at the counter or from the post, then go to its page."""
    units = _counter_units(request)
    source = request.POST if request.method == "POST" else request.GET
    unit = _chosen_unit(units, source.get("unit", ""))
    procedure = _unit_procedure(unit, source.get("procedure", ""))
    papers = paper_rules.ticked(procedure, source.getlist("papers")) if procedure else []
    missing = paper_rules.missing_mandatory(procedure, papers) if procedure else []
    bound = request.method == "POST" or bool(request.GET)
    form = IntakeForm(source if bound else None, units=units, initial={"unit": unit.code})
    status = 200
    incomplete = False

    searching = request.method == "POST" and "_search" in request.POST  # the search button without JavaScript
    found = None
    if request.method == "POST" and "_population" in request.POST:
        # The population database looked up by the ID number typed: the form comes back filled
        # (or with a message to type the data by hand); nothing is taken in yet.
        searching = True
        found = population.lookup(request.user, request.POST.get("id_number", ""), unit=unit,
                                  purpose=_population_purpose(unit, procedure),
                                  service_code=(procedure.national_code if procedure else ""))
        data = request.POST.copy()
        for name, value in found.fields.items():
            data[name] = value
        data["population_lookup"] = str(found.lookup_id) if found.ok else ""
        form = IntakeForm(data, units=units, initial={"unit": unit.code})
        source = data
    if request.method == "POST" and not searching and form.is_valid():
        if procedure is None:
            form.add_error("procedure", _("Vui lòng chọn một thủ tục trong danh sách."))
        if procedure is not None and missing and "_guidance" in request.POST:
            # Mẫu 02 instead of a receipt: nothing is taken in (TT 01/2018 Art. 15).
            return _intake_guidance(request, unit, procedure, form.applicant(), missing)
        # Warn before taking in a dossier that lacks a mandatory paper: the officer prints the
        # guidance (Mẫu 02) instead, or confirms the papers are there another way.
        incomplete = procedure is not None and bool(missing) and "_accept_incomplete" not in request.POST
        if not incomplete:
            try:
                dossier = receive_dossier(
                    actor=request.user,
                    procedure_code=procedure.code if procedure else "",
                    unit_code=unit.code,
                    delivery=form.cleaned_data["delivery"] or Delivery.COUNTER,
                    applicant=form.applicant(),
                    data={paper_rules.RECEIVED_KEY: papers} if papers else None,
                    **{"channel": form.cleaned_data["channel"] or Channel.DIRECT, **_assisted(form)},
                )
            except DomainError as error:
                form.attach(error, skip=("procedure",) if procedure is None else ())
                status = error.status
            else:
                if source.get("population_lookup"):
                    population.attach(source.get("population_lookup"), request.user, dossier)
                receipt = reverse("printing:receipt", args=[dossier.code])
                text = _("Đã tiếp nhận hồ sơ %(code)s, hẹn trả kết quả %(due)s.") % {
                    "code": dossier.code, "due": presenters.local_text(dossier.due_at)}
                messages.success(request, format_html('{} <a href="{}">{}</a>', text, receipt,
                                                      _("In giấy tiếp nhận và hẹn trả kết quả")))
                return redirect("office:dossier", code=dossier.code)
    elif request.method == "POST" and not searching:
        status = 422

    choices, total = _procedure_choices(unit, source.get("q", "").strip()[:200], procedure)
    context = {"form": form, "units": units, "unit": unit, "choices": choices, "total": total,
               "q": source.get("q", ""), "selected": procedure.code if procedure else "",
               "checked": set(papers), "incomplete": incomplete, "missing": missing,
               "population": found, "population_connected": population.connected(),
               "population_lookup": source.get("population_lookup", ""), **_preview(unit, procedure)}
    return render(request, "office/intake.html", context, status=status)


def _population_purpose(unit: Unit, procedure: Procedure | None) -> str:
    """What a lookup at the counter is for, as the audit table keeps it."""
    what = f"{procedure.code} {procedure.name}" if procedure else _("chưa chọn thủ tục")
    return _("Tiếp nhận hồ sơ tại %(unit)s: %(what)s") % {"unit": unit.name, "what": what}


def _intake_guidance(request, unit: Unit, procedure: Procedure, applicant: dict, missing) -> HttpResponse:
    """The guidance to complete the dossier (Mẫu 02), as a PDF to print and hand over."""
    content = render_intake_guidance(unit=unit, procedure=procedure, applicant=applicant, missing=missing,
                                     officer=request.user, at=timezone.now())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="huong-dan-bo-sung-{procedure.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_GET
def intake_procedures(request):
    """htmx: the unit's procedures matching what the officer types (no diacritics needed)."""
    units = _counter_units(request)
    unit = _chosen_unit(units, request.GET.get("unit", ""))
    selected = _unit_procedure(unit, request.GET.get("procedure", ""))
    q = request.GET.get("q", "").strip()[:200]
    choices, total = _procedure_choices(unit, q, selected)
    return render(request, "office/_procedure_choices.html", {
        "choices": choices, "total": total, "q": q, "selected": selected.code if selected else ""})


@staff_required
@require_GET
def intake_preview(request):
    """htmx: the chosen procedure's papers and the due date, before saving."""
    units = _counter_units(request)
    unit = _chosen_unit(units, request.GET.get("unit", ""))
    procedure = _unit_procedure(unit, request.GET.get("procedure", ""))
    return render(request, "office/_intake_preview.html", {
        "unit": unit, "checked": set(request.GET.getlist("papers")), **_preview(unit, procedure)})


# ------------------------------------------------------------------ one dossier

def _visible_or_404(request, code: str):
    try:
        return scope.get_visible(request.user, code)
    except NotFound:
        raise Http404(code)


def _assisted(form) -> dict:
    """Assisted online filing: with a citizen's account named, the dossier is filed online
    for them (docs/api.md ``owner``); intake decides who may."""
    owner = (form.cleaned_data.get("owner") or "").strip()
    return {"channel": Channel.ONLINE, "owner": owner} if owner else {}


def _dossier_page(request, dossier, *, failed: str = "", error: DomainError | None = None,
                  values: dict | None = None, status: int = 200, confirm: presenters.Confirmation | None = None):
    action_views = presenters.action_views(dossier, actions.allowed_actions(request.user, dossier))
    for view in action_views:
        if view.action == failed and error is not None:
            view.message = error.message
            view.errors = error.fields
            view.values = values or {}
    context = {
        "d": dossier,
        "timeliness": timeliness_of(dossier),
        "events": presenters.describe_events(dossier),
        "actions": action_views,
        "error": error,
        "confirm": confirm,
        "failed_label": presenters.action_label(failed) if failed else "",
        "print_links": presenters.print_links(dossier),
        "moments": dossier_moments(dossier),
        "received_papers": paper_rules.received_papers(dossier),
        "tracking_url": tracking_url(dossier.code, request),
        **payment_context(request.user, dossier),
        **_papers_payments_rating(request, dossier),
        **postal_context(request.user, dossier),
    }
    return render(request, "office/dossier.html", context, status=status)


def postal_context(user, dossier) -> dict:
    """VNPost's orders for the dossier and the counter's actions on them."""
    from motcua.national.contrib.vnpost.panel import postal_context as context

    return context(user, dossier)


def payment_context(user, dossier) -> dict:
    """The dossier's fee orders, receipts, and the cash form for a counter officer."""
    from motcua.payments import fees, receipts
    from motcua.payments import services as payments

    orders = payments.list_orders(user, dossier.code)
    rows = fees.fee_rows(dossier.procedure)
    may_cash = payments.check(user, dossier, cash=True, paid=any(o.is_paid for o in orders)).allowed
    return {
        "orders": [(o, receipts.receipt_path(o) if o.is_paid else "") for o in orders],
        "to_reconcile": [o for o in orders if o.needs_reconciliation],
        "may_reconcile": user.role == Role.COUNTER and scope.handles(user, dossier),
        "fee_rows": list(zip(range(len(rows)), rows, fees.default_quantities(rows))) if may_cash else [],
        "may_record_cash": may_cash,
    }


def _papers_payments_rating(request, dossier) -> dict:
    """The online side of a dossier on its office page: the answers of its form, its
    papers and results, its fee orders and the applicant's rating (each from its owner)."""
    from motcua.catalog.formfields import answers_for_display
    from motcua.dossiers.models import Rating

    from motcua.office.papers import papers_context

    return {
        "answers": answers_for_display(dossier.procedure.form, dossier.data),
        "rating": Rating.objects.filter(dossier=dossier).first(),
        **papers_context(request, dossier),
    }


@staff_required
@require_POST
def dossier_cash(request, code: str):
    """A counter officer records the fee paid in cash at the counter."""
    from motcua.payments import fees
    from motcua.payments import services as payments

    dossier = _visible_or_404(request, code)
    rows = fees.fee_rows(dossier.procedure)
    try:
        quantities = [int(request.POST.get(f"q{i}", "0") or 0) for i in range(len(rows))]
    except ValueError:
        messages.error(request, _("Số lượng phải là số nguyên."))
        return redirect("office:dossier", code=code)
    try:
        payments.record_cash(request.user, code, quantities=quantities, exempt=request.POST.get("exempt") == "1",
                             reference=request.POST.get("reference", "")[:200])
    except NotFound:
        raise Http404(code)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("office:dossier", code=code)
    messages.success(request, _("Đã ghi nhận nộp tiền mặt."))
    return redirect(reverse("office:dossier", args=[code]) + "#payments")


@staff_required
@require_POST
def dossier_reconcile(request, code: str, order_id: str):
    """A counter officer records that money marked for refund or reconciliation was handled."""
    from motcua.payments import services as payments

    _visible_or_404(request, code)
    try:
        payments.reconcile(request.user, code, order_id, request.POST.get("note", "")[:400])
    except NotFound:
        raise Http404(code)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(reverse("office:dossier", args=[code]) + "#payments")
    messages.success(request, _("Đã ghi nhận hoàn trả / đối soát."))
    return redirect(reverse("office:dossier", args=[code]) + "#payments")


@staff_required
@require_POST
def dossier_upload(request, code: str):
    """A scanned paper (kind = a required paper) or the result file (kind = ``result``),
    through the one upload of ``documents.services``."""
    from motcua.documents import services as documents

    _visible_or_404(request, code)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("Chưa chọn tệp để tải lên."))
        return redirect("office:dossier", code=code)
    from motcua.documents.digitisation import METADATA_FIELDS

    digitise = request.POST.get("digitise") == "1"
    metadata = {name: request.POST.get(name, "") for name in METADATA_FIELDS if request.POST.get(name)}
    try:
        record = documents.upload_document(request.user, code, uploaded, request.POST.get("kind", "")[:400],
                                           digitise=digitise, metadata=metadata)
    except DomainError as error:
        details = "; ".join(m for found in error.fields.values() for m in found)
        messages.error(request, f"{error.message} {details}".strip())
        return redirect(reverse("office:dossier", args=[code]) + "#papers")
    if digitise:
        messages.success(request, _("Đã tải lên “%(name)s”; đang số hóa ở nền, trang này cho biết tiến độ.")
                         % {"name": record.name})
    else:
        messages.success(request, (_("Đã tải lên kết quả “%(name)s”.") if record.is_result
                                    else _("Đã tải lên “%(name)s”.")) % {"name": record.name})
    return redirect(reverse("office:dossier", args=[code]) + "#papers")


@staff_required
@require_GET
def dossier_file(request, code: str, file_id: int):
    from django.http import FileResponse

    from motcua.documents import services as documents

    try:
        record = documents.get_document(request.user, code, file_id)
        handle = documents.open_document(record)
    except NotFound:
        raise Http404(code) from None
    return FileResponse(handle, as_attachment=request.GET.get("xem") != "1", filename=record.name,
                        content_type=record.content_type)


@staff_required
@require_GET
def dossier_detail(request, code: str):
    """Facts, the audit trail, and the forms of the actions the user may take now."""
    return _dossier_page(request, _visible_or_404(request, code))


@staff_required
@require_POST
def dossier_action(request, code: str):
    """Apply one workflow action; on success back to the page (POST → redirect → GET)."""
    _visible_or_404(request, code)
    form = ActionForm(request.POST)
    action = request.POST.get("action", "")[:30]
    if not form.is_valid():
        fields = {name: [str(m) for m in errs] for name, errs in form.errors.items()}
        error = DomainError(_("Thông tin gửi lên chưa hợp lệ."), code="invalid_input", fields=fields, status=422)
        return _dossier_page(request, _visible_or_404(request, code), failed=action, error=error,
                             values=request.POST.dict(), status=422)
    if action in presenters.CONFIRM_ACTIONS and request.POST.get("confirmed") != "1":
        # A decision is asked once more before it is applied; what would fail anyway fails now.
        dossier = _visible_or_404(request, code)
        try:
            actions.check_payload(action, form.payload())
            verdict = actions.check(request.user, dossier, action)
            if not verdict:
                raise verdict.error
        except DomainError as error:
            return _dossier_page(request, dossier, failed=action, error=error, values=request.POST.dict(), status=error.status)
        return _dossier_page(request, dossier, confirm=presenters.confirmation(action, form.cleaned_data))
    try:
        dossier = actions.apply_action(request.user, code, form.cleaned_data["action"], form.payload())
    except NotFound:
        raise Http404(code)
    except DomainError as error:
        return _dossier_page(request, _visible_or_404(request, code), failed=action, error=error,
                             values=request.POST.dict(), status=error.status)
    messages.success(request, _("Đã thực hiện “%(action)s”. Trạng thái hồ sơ: %(status)s.") % {
        "action": presenters.action_label(action), "status": dossier.get_status_display()})
    try:
        scope.get_visible(request.user, code)
    except NotFound:
        return redirect("office:home")
    return redirect("office:dossier", code=code)
