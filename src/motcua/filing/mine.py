"""My dossiers: ``/ho-so-cua-toi/`` and ``/ho-so-cua-toi/{code}/`` (docs/pages.md).

The citizen's own dossiers only (another person's code is 404). Every change goes through
the services that own it: ``dossiers.actions.apply_action`` (supplement, withdraw),
``documents.services`` (papers, results), ``payments.services.create_order`` (pay) and
``feedback.services.rate_dossier`` (rate) and ``answer_survey`` (the survey).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.catalog.formfields import answers_for_display
from motcua import uploads
from motcua.documents import services as documents
from motcua.dossiers import actions, moments, scope
from motcua.dossiers.models import SATISFACTION_SCALE, Delivery, Dossier, Rating, Status
from motcua.dossiers.workflow import Action
from motcua.formatting import file_size
from motcua.errors import Conflict, DomainError
from motcua.feedback.services import may_survey
from motcua.filing.models import Draft
from motcua.links import tracking_url
from motcua.printing.available import printable_forms

# The trail in a citizen's words (never an action's identifier).
CITIZEN_WORDS = {
    Action.SUBMIT: gettext_lazy("Hồ sơ đã được gửi trực tuyến"),
    Action.RECEIVE: gettext_lazy("Bộ phận Một cửa đã nhận hồ sơ"),
    Action.ACCEPT: gettext_lazy("Bộ phận Một cửa đã tiếp nhận hồ sơ"),
    Action.REFUSE: gettext_lazy("Hồ sơ không được tiếp nhận"),
    Action.REQUEST_SUPPLEMENT: gettext_lazy("Cơ quan đề nghị bạn bổ sung giấy tờ"),
    Action.SUPPLEMENT: gettext_lazy("Bạn đã bổ sung giấy tờ"),
    Action.ASSIGN: gettext_lazy("Hồ sơ được giao cho cán bộ giải quyết"),
    Action.TRANSFER: gettext_lazy("Hồ sơ được chuyển tới cơ quan khác để giải quyết"),
    Action.PROPOSE: gettext_lazy("Cán bộ đã xử lý xong, chờ lãnh đạo ký duyệt"),
    Action.APPROVE: gettext_lazy("Hồ sơ đã được giải quyết xong"),
    Action.REJECT: gettext_lazy("Hồ sơ không được giải quyết"),
    Action.RETURN_RESULT: gettext_lazy("Kết quả đã được trả cho bạn"),
    Action.WITHDRAW: gettext_lazy("Hồ sơ đã được rút"),
    Action.RESCHEDULE: gettext_lazy("Cơ quan xin lỗi và hẹn lại ngày trả kết quả"),
    Action.UPLOAD_DOCUMENT: gettext_lazy("Giấy tờ được tải lên"),
    Action.DIGITISE_DOCUMENT: gettext_lazy("Giấy tờ được số hóa"),
    Action.DESCRIBE_DOCUMENT: gettext_lazy("Thông tin giấy tờ được cập nhật"),
    Action.PAY_FEE: gettext_lazy("Đã nộp phí, lệ phí"),
    Action.PAYMENT: gettext_lazy("Yêu cầu thanh toán phí, lệ phí"),
    Action.RATE: gettext_lazy("Bạn đã đánh giá mức độ hài lòng"),
    Action.SURVEY: gettext_lazy("Bạn đã trả lời phiếu khảo sát mức độ hài lòng"),
    Action.IMPORT: gettext_lazy("Hồ sơ được chuyển từ hệ thống cũ"),
    Action.SIGN_RESULT: gettext_lazy("Kết quả điện tử đã được ký số"),
}
# Notes citizens see: the reasons addressed to them.
NOTE_SHOWN = {Action.REFUSE, Action.REQUEST_SUPPLEMENT, Action.REJECT, Action.RESCHEDULE, Action.WITHDRAW,
              Action.PAYMENT}  # payment: created, replaced, expired, failed (no personal data)


def own_dossier(user, code: str) -> Dossier:
    """The dossier ``code`` of ``user``; anyone else's, or none, is 404."""
    dossier = (scope.visible_dossiers(user).select_related("procedure", "unit", "current_unit")
               .filter(code=str(code)[:80], owner_id=user.pk).first())
    if dossier is None:
        raise Http404(code)
    return dossier


def timeline(dossier: Dossier) -> list[dict]:
    rows = []
    counts_from = moments.effective_receipt(dossier)  # the arrival and the receipt it counts from
    for event in dossier.events.select_related("actor").order_by("seq"):
        label = CITIZEN_WORDS.get(event.action, gettext_lazy("Hồ sơ được cập nhật"))
        document = (event.changes or {}).get("document") or {}
        if event.action == Action.UPLOAD_DOCUMENT and document.get("kind") == "result":
            label = gettext_lazy("Kết quả giải quyết đã có bản điện tử")
        rows.append({"at": event.at, "label": label,
                     "note": event.note if event.action in NOTE_SHOWN else "",
                     "assisted": event.actor.display_name() if (event.changes or {}).get("assisted_by") and event.actor else "",
                     "counts_from": counts_from if event.action in moments.INTAKE_ACTIONS else None})
    return rows


def last_supplement_request(dossier: Dossier) -> tuple[str, list[str]]:
    """The officer's last supplement request: its note and the papers it names."""
    event = dossier.events.filter(action=Action.REQUEST_SUPPLEMENT).order_by("-seq").first()
    if event is None:
        return "", []
    papers = (event.changes or {}).get("requested_papers")
    return event.note, list(papers[1]) if isinstance(papers, list) and len(papers) == 2 and papers[1] else []


def _supplement_request(dossier: Dossier) -> dict:
    note, papers = last_supplement_request(dossier) if dossier.status == Status.AWAITING_SUPPLEMENT else ("", [])
    return {"supplement_note": note, "supplement_papers": papers}


def next_step(dossier: Dossier, has_result: bool, rated: bool) -> str:
    """What the citizen must do now, in one sentence."""
    status = dossier.status
    if status == Status.AWAITING_SUPPLEMENT:
        return _("Bổ sung giấy tờ theo yêu cầu của cơ quan (xem bên dưới).")
    if status == Status.SUBMITTED:
        return _("Chờ Bộ phận Một cửa kiểm tra và tiếp nhận hồ sơ.")
    if status == Status.APPROVED:
        if dossier.delivery == Delivery.ELECTRONIC and has_result:
            return _("Tải kết quả bản điện tử về (bên dưới).")
        if dossier.delivery == Delivery.POST:
            return _("Chờ nhận kết quả qua bưu chính.")
        return _("Đến Bộ phận Một cửa nhận kết quả, mang theo giấy tờ tùy thân.")
    if status == Status.RESULT_RETURNED and not rated:
        return _("Đánh giá mức độ hài lòng của bạn (bên dưới).")
    if status in (Status.RECEIVED, Status.PROCESSING, Status.AWAITING_APPROVAL):
        return _("Không cần làm gì thêm: cơ quan đang giải quyết hồ sơ.")
    return _("Không cần làm gì thêm.")


@login_required
def my_list(request):
    dossiers = list(Dossier.objects.filter(owner=request.user).select_related("procedure", "unit")
                    .order_by("-received_at")[:200])
    rated = set(Rating.objects.filter(dossier__in=dossiers).values_list("dossier_id", flat=True))
    with_result = set(documents.DossierFile.objects.filter(dossier__in=dossiers, is_result=True)
                      .values_list("dossier_id", flat=True))
    rows = [{"d": d, "next": next_step(d, d.pk in with_result, d.pk in rated)} for d in dossiers]
    now = timezone.now()
    drafts = [{"draft": dr, "expired": dr.expires_at <= now}
              for dr in Draft.objects.filter(user=request.user).select_related("procedure").order_by("-updated_at")]
    return render(request, "filing/my_list.html", {"rows": rows, "drafts": drafts})


def _detail_context(request, dossier: Dossier) -> dict:
    files = documents.list_documents(request.user, dossier.code)
    results = [f for f in files if f.is_result]
    rating = Rating.objects.filter(dossier=dossier).first()
    from motcua.payments import services as payments

    orders = payments.list_orders(request.user, dossier.code)
    payment = payments.check(request.user, dossier, paid=any(o.is_paid for o in orders))
    return {
        "d": dossier,
        "timeline": timeline(dossier),
        "answers": answers_for_display(dossier.procedure.form, dossier.data),
        "papers": [f for f in files if not f.is_result],
        "results": results,
        "orders": orders,
        "may_pay": payment.allowed,
        "payment": payment,
        "rating": rating,
        "scale": SATISFACTION_SCALE,
        "may_rate": dossier.status == Status.RESULT_RETURNED and rating is None,
        "may_survey": may_survey(dossier),
        "may_supplement": actions.check(request.user, dossier, Action.SUPPLEMENT).allowed,
        "may_withdraw": actions.check(request.user, dossier, Action.WITHDRAW).allowed,
        **_supplement_request(dossier),
        "kinds": list(dossier.procedure.documents.order_by("order", "id").values_list("name", flat=True)),
        "upload_limit": uploads.upload_limit(), "upload_limit_text": file_size(uploads.upload_limit()),
        "next": next_step(dossier, bool(results), rating is not None),
        "tracking_url": tracking_url(dossier.code),
        "printed_forms": printable_forms(dossier, applicant=True),
    }


@login_required
def detail(request, code: str):
    dossier = own_dossier(request.user, code)
    return render(request, "filing/my_detail.html", _detail_context(request, dossier))


@login_required
def receipt(request, code: str):
    """After submitting: the code, the due date, what happens next, the QR code."""
    dossier = own_dossier(request.user, code)
    from motcua.filing.services import slots
    from motcua.portal.views import fee_total

    return render(request, "filing/receipt.html", {
        "d": dossier, "tracking_url": tracking_url(dossier.code),
        "originals": [s for s in slots(dossier.procedure) if s.bring_original],
        "fee_total": fee_total(dossier.procedure),
    })


@login_required
def receipt_qr(request, code: str):
    dossier = own_dossier(request.user, code)
    from motcua.portal.views import qr_svg_response

    return qr_svg_response(tracking_url(dossier.code, request), dossier.code)


def _back(code: str) -> HttpResponseRedirect:
    return redirect("mydossiers:detail", code=code)


@login_required
@require_POST
def supplement(request, code: str):
    """Upload what was asked for, then the ``supplement`` action (the clock resumes)."""
    dossier = own_dossier(request.user, code)
    uploads = [f for f in request.FILES.getlist("file") if f]
    kind = request.POST.get("kind", "")[:400]
    try:
        with transaction.atomic():
            for uploaded in uploads:
                documents.upload_document(request.user, dossier.code, uploaded, kind)
            actions.apply_action(request.user, dossier.code, Action.SUPPLEMENT,
                                 {"note": request.POST.get("note", "")[:2000]})
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(dossier.code)
    messages.success(request, _("Đã gửi giấy tờ bổ sung. Cơ quan tiếp tục giải quyết hồ sơ của bạn."))
    return _back(dossier.code)


@login_required
@require_POST
def withdraw(request, code: str):
    dossier = own_dossier(request.user, code)
    reason = " ".join(request.POST.get("note", "").split())[:2000]
    if not reason:
        messages.error(request, _("Vui lòng ghi lý do rút hồ sơ."))
        return _back(dossier.code)
    try:
        actions.apply_action(request.user, dossier.code, Action.WITHDRAW, {"note": reason})
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(dossier.code)
    messages.success(request, _("Hồ sơ đã được rút."))
    return _back(dossier.code)


@login_required
@require_POST
def pay(request, code: str):
    dossier = own_dossier(request.user, code)
    from motcua.payments.services import create_order

    try:
        _order, pay_url = create_order(request.user, dossier.code)
    except Conflict as exc:
        if exc.code == "no_gateway":
            messages.info(request, _("Hệ thống chưa hỗ trợ thanh toán trực tuyến. Bạn nộp phí tại Bộ phận Một cửa."))
        else:
            messages.error(request, exc.message)
        return _back(dossier.code)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(dossier.code)
    return HttpResponseRedirect(pay_url)


@login_required
@require_POST
def rate(request, code: str):
    dossier = own_dossier(request.user, code)
    from motcua.feedback.services import rate_dossier

    try:
        score = int(request.POST.get("score", ""))
    except ValueError:
        score = 0
    try:
        rate_dossier(request.user, dossier.code, score, request.POST.get("comment", "")[:2000])
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(dossier.code)
    messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return _back(dossier.code)


@login_required
def survey(request, code: str):
    """``/ho-so-cua-toi/{code}/khao-sat/``: the five-criteria survey, once, after the result."""
    from motcua.feedback import services as feedback
    from motcua.feedback.models import CRITERIA, Survey

    dossier = own_dossier(request.user, code)
    answers: dict[str, str] = {}
    errors: dict = {}
    comment = ""
    if request.method == "POST":
        criteria = {}
        for key, _label in CRITERIA:
            raw = request.POST.get(key, "")
            answers[key] = raw
            if raw in ("1", "2", "3"):
                criteria[key] = int(raw)
        comment = request.POST.get("comment", "")
        try:
            feedback.answer_survey(request.user, dossier.code, criteria, comment)
        except Conflict as exc:
            messages.error(request, exc.message)
            return _back(dossier.code)
        except DomainError as exc:
            errors = exc.fields or {}
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Cảm ơn bạn đã trả lời phiếu khảo sát."))
            return _back(dossier.code)
    done = Survey.objects.filter(dossier=dossier).first()
    rows = [{"key": key, "label": label, "value": answers.get(key, ""),
             "error": (errors.get(f"criteria.{key}") or [""])[0]} for key, label in CRITERIA]
    return render(request, "filing/survey.html", {
        "d": dossier, "rows": rows, "comment": comment, "done": done, "comment_max": feedback.COMMENT_MAX,
        "open": dossier.status == Status.RESULT_RETURNED and done is None,
        "scale": SATISFACTION_SCALE,
    }, status=422 if errors else 200)


@login_required
def feedback(request, code: str):
    """``/ho-so-cua-toi/{code}/phan-anh/``: feedback or a complaint about this dossier, to the unit
    handling it (``voices.services.send_feedback``), and the answers already given."""
    from ninja.errors import Throttled

    from motcua.operations.throttles import limit_asking, throttled_page
    from motcua.voices import services as voices

    dossier = own_dossier(request.user, code)
    text, error = "", ""
    if request.method == "POST":
        text = request.POST.get("text", "")[:voices.TEXT_MAX + 100]
        try:
            limit_asking(request)
        except Throttled as exc:
            return throttled_page(int(exc.wait or 1))
        try:
            item = voices.send_feedback(request.user, dossier.code, text)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Phản ánh đã được gửi tới %(unit)s, hạn trả lời %(due)s.") % {
                "unit": item.unit.name, "due": timezone.localtime(item.due_at).strftime("%H:%M %d/%m/%Y")})
            return redirect("mydossiers:feedback", code=dossier.code)
    return render(request, "filing/feedback.html", {
        "d": dossier, "text": text, "error": error, "items": voices.my_feedback(request.user, dossier),
        "text_max": voices.TEXT_MAX}, status=422 if error else 200)


@login_required
def download(request, code: str, file_id: int):
    dossier = own_dossier(request.user, code)
    try:
        record = documents.get_document(request.user, dossier.code, file_id)
        handle = documents.open_document(record)
    except DomainError:
        raise Http404(file_id) from None
    return FileResponse(handle, as_attachment=request.GET.get("xem") != "1", filename=record.name,
                        content_type=record.content_type)


@login_required
def document_store(request):
    """``/ho-so-cua-toi/kho-giay-to/``: the citizen's store — the papers and results of their
    own dossiers, each with its validity and whether it was digitised (``documents.store``)."""
    from motcua.documents import store

    return render(request, "filing/my_store.html", {"entries": store.entries(request.user)})


@login_required
def fee_receipt(request, code: str, order_id: str):
    """The fee receipt PDF of a paid order of the citizen's own dossier (``payments.receipts``)."""
    dossier = own_dossier(request.user, code)
    from motcua.payments import receipts
    from motcua.payments.services import get_order

    try:
        return receipts.receipt_response(get_order(request.user, dossier.code, order_id), attachment=True)
    except DomainError:
        raise Http404(order_id) from None
