"""Online filing pages: ``/thu-tuc/{code}/nop-ho-so/`` and its steps (docs/pages.md).

Plain forms, POST-redirect-GET, no JavaScript needed. Each view reads the draft, calls
one function of ``filing.services`` and renders or redirects.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from motcua import badinput
from motcua.accounts.models import Role
from motcua.accounts.profile import applicant_initial
from motcua.catalog import blankforms
from motcua.catalog.formfields import answers_for_display
from motcua import uploads
from motcua.documents import services as documents
from motcua.dossiers.models import Delivery
from motcua.errors import DomainError, NotFound
from motcua.formatting import file_size
from motcua.links import public_reverse
from motcua.notifications.services import choose_channels
from motcua.operations.throttles import limit_intake, rate_limited
from motcua.portal.views import fee_total
from motcua.filing import services as filing
from motcua.filing.services import STEPS, DraftExpired

STEP_TITLES = {
    "nguoi-nop": gettext_lazy("Người nộp hồ sơ"),
    "to-khai": gettext_lazy("Tờ khai"),
    "giay-to": gettext_lazy("Giấy tờ"),
    "nhan-ket-qua": gettext_lazy("Cách nhận kết quả"),
    "xem-lai": gettext_lazy("Xem lại và nộp"),
}
APPLICANT_LABELS = {
    "full_name": gettext_lazy("Họ và tên"), "id_number": gettext_lazy("Số định danh cá nhân (12 số trên thẻ căn cước)"),
    "phone": gettext_lazy("Số điện thoại"), "email": gettext_lazy("Thư điện tử (không bắt buộc)"),
    "address": gettext_lazy("Địa chỉ"),
}


def _procedure(code: str):
    try:
        return filing.filing_procedure(code)
    except (NotFound, filing.NotOffered):
        raise Http404(code)


def _citizen_only(request):
    if request.user.role != Role.CITIZEN:
        raise Http404("citizens only")


def _expired(request, procedure):
    return render(request, "filing/expired.html", {"p": procedure}, status=410)


def _steps_nav(current: str, problems: dict | None = None) -> list[dict]:
    return [{"slug": s, "title": STEP_TITLES[s], "n": i + 1, "current": s == current,
             "bad": bool(problems and s in problems)} for i, s in enumerate(STEPS)]


@login_required
def start(request, code: str):
    """The intro: what is asked, then "Bắt đầu" (or "Tiếp tục" a draft)."""
    procedure = _procedure(code)
    _citizen_only(request)
    try:
        draft = filing.find_draft(request.user, procedure)
    except DraftExpired:
        return _expired(request, procedure)
    if request.method == "POST":
        draft = filing.start(request.user, procedure, applicant_initial(request.user))
        return redirect("filing:step", code=procedure.code, step=draft.step or STEPS[0])
    return render(request, "filing/start.html", {
        "p": procedure, "draft": draft, "slots": filing.slots(procedure), "steps": _steps_nav(""),
    })


@badinput.answers_oversize_upload
@login_required
def step(request, code: str, step: str):
    procedure = _procedure(code)
    _citizen_only(request)
    if step not in STEPS:
        raise Http404(step)
    try:
        draft = filing.find_draft(request.user, procedure)
    except DraftExpired:
        return _expired(request, procedure)
    if draft is None:
        return redirect("filing:start", code=procedure.code)

    problems: dict = {}
    if request.method == "POST":
        with transaction.atomic():
            problems = _save(request, draft, step)
        if not problems:
            following = request.POST.get("next")
            if following == "stay" or (step == "giay-to" and request.POST.get("upload")):
                messages.success(request, _("Đã lưu."))
                return redirect("filing:step", code=procedure.code, step=step)
            nxt = STEPS[min(STEPS.index(step) + 1, len(STEPS) - 1)]
            return redirect("filing:step", code=procedure.code, step=nxt)
    context = {
        "p": procedure, "draft": draft, "step": step, "title": STEP_TITLES[step], "problems": problems,
        "steps": _steps_nav(step), "back": STEPS[STEPS.index(step) - 1] if STEPS.index(step) else None,
    }
    if step == "nguoi-nop":
        values = draft.applicant if not problems else {k: request.POST.get(k, "") for k in APPLICANT_LABELS}
        context["applicant_fields"] = [
            {"name": k, "label": label, "value": values.get(k, ""), "errors": problems.get(f"applicant.{k}", []),
             "type": {"email": "email", "phone": "tel"}.get(k, "text"), "required": k not in ("email", "address")}
            for k, label in APPLICANT_LABELS.items()
        ]
        context["units"] = filing.units_for(procedure)
    elif step == "to-khai":
        values = draft.data if not problems else request.POST
        context["fields"] = [{**f, "value": values.get(f["name"], ""), "errors": problems.get(f"data.{f['name']}", [])}
                             for f in procedure.form or []]
    elif step == "giay-to":
        context.update(_papers_context(request, draft, problems))
    elif step == "nhan-ket-qua":
        context["deliveries"] = [(d, Delivery(d).label) for d in filing.deliveries(procedure)]
        context["chosen"] = draft.delivery or Delivery.COUNTER
    elif step == "xem-lai":
        missing = filing.problems_by_step(draft)
        context.update({
            "missing": missing, "steps": _steps_nav(step, missing),
            "applicant_rows": [(APPLICANT_LABELS[k], draft.applicant.get(k, "")) for k in APPLICANT_LABELS if draft.applicant.get(k)],
            "answers": answers_for_display(procedure.form, draft.data),
            "papers": list(draft.papers.order_by("id")),
            "delivery_label": Delivery(draft.delivery).label if draft.delivery in Delivery.values else "",
            "originals": [s for s in filing.slots(procedure) if s.bring_original],
            "fee_total": fee_total(procedure),
        })
    status = 413 if badinput.oversize_files(request) else 422 if problems else 200
    return render(request, "filing/step.html", context, status=status)


def _papers_context(request, draft, problems) -> dict:
    given = {p.kind: p for p in draft.papers.select_related("reuse")}
    store = {}
    for f in documents.my_documents(request.user):
        store.setdefault(f.sha256, f)  # one line per distinct paper
    return {
        "slots": [{"slot": s, "paper": given.get(s.kind), "index": i, "errors": problems.get(f"paper.{i}", []),
                   "eid": f"e-paper-{i}", "blank": blankforms.offered(s.doc)}
                  for i, s in enumerate(filing.slots(draft.procedure))],
        "store": list(store.values()),
        "any_required": any(s.required for s in filing.slots(draft.procedure)),
        "limit_mb": uploads.upload_limit() // (1024 * 1024),
        "limit": uploads.upload_limit(), "limit_text": file_size(uploads.upload_limit()),
    }


def oversize_message(file_name: str) -> str:
    return _("Tệp “%(name)s” lớn hơn giới hạn %(limit)s nên chưa được gửi: chọn tệp nhỏ hơn "
             "(ví dụ chụp lại hoặc quét với độ phân giải thấp hơn).") % {
        "name": file_name, "limit": file_size(uploads.upload_limit())}


def _save(request, draft, step: str) -> dict:
    if step == "nguoi-nop":
        return filing.save_applicant(draft, request.POST, request.POST.get("unit", ""))
    if step == "to-khai":
        return filing.save_answers(draft, request.POST)
    if step == "giay-to":
        problems: dict = {}
        oversize = badinput.oversize_files(request)  # left out by the upload limit: said on this step
        for i, slot in enumerate(filing.slots(draft.procedure)):
            if slot.by_form:
                continue
            if f"file_{i}" in oversize:
                problems[f"paper.{i}"] = [oversize_message(oversize[f"file_{i}"])]
                continue
            try:
                if request.POST.get(f"remove_{i}"):
                    paper = draft.papers.filter(kind=slot.kind).first()
                    if paper is not None:
                        filing.discard_paper(paper)
                uploaded = request.FILES.get(f"file_{i}")
                if uploaded is not None:
                    filing.add_paper(draft, slot.kind, uploaded)
                elif request.POST.get(f"reuse_{i}"):
                    filing.reuse_paper(draft, slot.kind, request.POST.get(f"reuse_{i}"))
            except DomainError as exc:
                problems[f"paper.{i}"] = [exc.message]
        return problems
    if step == "nhan-ket-qua":
        if request.POST.get("channels_offered"):
            choose_channels(request.user, request.POST.getlist("channel"))
        return filing.save_delivery(draft, request.POST.get("delivery", ""), request.POST.get("delivery_address", ""))
    return {}


@login_required
@require_POST
def discard(request, code: str):
    """Start over: the draft (expired or not) and its files are removed."""
    procedure = _procedure(code)
    _citizen_only(request)
    draft = filing.Draft.objects.filter(user=request.user, procedure=procedure).first()
    if draft is not None:
        with transaction.atomic():
            filing.discard(draft)
    messages.info(request, _("Đã xóa bản nháp."))
    return redirect("filing:start", code=procedure.code)


@login_required
@require_POST
@rate_limited(limit_intake)
def submit(request, code: str):
    procedure = _procedure(code)
    _citizen_only(request)
    try:
        draft = filing.find_draft(request.user, procedure)
    except DraftExpired:
        return _expired(request, procedure)
    if draft is None:
        return redirect("filing:start", code=procedure.code)
    missing = filing.problems_by_step(draft)
    if missing:
        messages.error(request, _("Hồ sơ còn thiếu thông tin: vui lòng xem các mục đánh dấu."))
        return redirect("filing:step", code=procedure.code, step="xem-lai")
    try:
        dossier = filing.submit(draft)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("filing:step", code=procedure.code, step="xem-lai")
    return redirect(reverse("mydossiers:receipt", args=[dossier.code]))


@cache_control(max_age=86400, public=True)
def form_qr(request, code: str):
    """The QR code of the procedure's online form (printed on its one-page guide)."""
    procedure = _procedure(code)
    from motcua.portal.views import qr_svg_response

    return qr_svg_response(public_reverse("filing:start", procedure.code, request=request), procedure.name)
