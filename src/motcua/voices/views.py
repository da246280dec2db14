"""Pages of questions and feedback (docs/pages.md):

- ``/hoi-dap/`` and ``/thu-tuc/{code}/hoi-dap/`` (anyone): ask (name, phone or e-mail; no
  account), and the answered questions, searchable without diacritics, with no personal data;
- ``/can-bo/hoi-dap/`` (officers): the queue of their units, one item's page to assign, draft
  (specialist), approve (leader), mark spam, hide.
Every text is shown as text: autoescaped, never turned into a link. The rules are
``voices.services``'; these views only read the form and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from ninja.errors import Throttled

from motcua.accounts.models import Role, User
from motcua.catalog.models import Procedure
from motcua.dossiers.scope import handling_unit_ids
from motcua.errors import DomainError
from motcua.accounts.decorators import staff_required
from motcua.operations.throttles import limit_asking, throttled_page
from motcua.voices import services as voices
from motcua.voices.models import Kind, State

PAGE_SIZE = 20


# ------------------------------------------------------------------ public

def _ask_form(request, procedure: Procedure | None):
    """Read and send the ask form; return (errors, values, sent item or None)."""
    values = {k: request.POST.get(k, "")[:voices.TEXT_MAX + 100] for k in ("procedure", "unit", "question", "name", "phone", "email")}
    if procedure is not None:
        values["procedure"] = procedure.code
    try:
        limit_asking(request)
    except Throttled as exc:
        return None, values, throttled_page(int(exc.wait or 1))
    try:
        item = voices.ask(values["procedure"], values["question"],
                          {"name": values["name"], "phone": values["phone"], "email": values["email"]},
                          unit_code=values["unit"] or None, user=request.user)
    except DomainError as exc:
        fields = {key.removeprefix("contact."): value for key, value in exc.fields.items()}
        return {**fields, "form": [exc.message]}, values, None
    return {}, values, item


def questions_page(request, code: str | None = None):
    procedure = None
    if code is not None:
        procedure = Procedure.objects.filter(code=str(code)[:40]).first()
        if procedure is None:
            raise Http404(code)
    errors, values, sent = {}, {}, None
    status = 200
    if request.method == "POST":
        errors, values, sent = _ask_form(request, procedure)
        if errors is None:  # throttled
            return sent
        if sent is not None:
            messages.success(request, _("Câu hỏi đã được gửi tới %(unit)s. Hạn trả lời: %(due)s. Câu trả lời sẽ gửi tới "
                                        "số điện thoại hoặc thư điện tử bạn để lại.") % {
                "unit": sent.unit.name, "due": sent.due_at.astimezone(_vn()).strftime("%H:%M %d/%m/%Y")})
            return redirect(request.path)
        status = 422
    q = request.GET.get("q", "")[:200]
    page = Paginator(voices.published(procedure=procedure.code if procedure else None, q=q), PAGE_SIZE)
    try:
        current = page.page(int(request.GET.get("trang", "1") or 1))
    except Exception:
        current = page.page(1)
    units = list(voices.performing_units(procedure).order_by("path")) if procedure else []
    procedures = [] if procedure else list(Procedure.objects.order_by("name").values_list("code", "name")[:500])
    return render(request, "voices/questions.html", {
        "procedure": procedure, "page": current, "items": [voices.public_item(i) for i in current.object_list],
        "q": q, "errors": errors or {}, "values": values, "units": units, "procedures": procedures,
        "text_max": voices.TEXT_MAX,
    }, status=status)


def _vn():
    from motcua.worktime.calendar import VN_TZ

    return VN_TZ


# ------------------------------------------------------------------ the unit's side

@staff_required
def office_queue(request):
    state = request.GET.get("tinh-trang", "")
    qs = voices.queue(request.user, state or None)
    kind = request.GET.get("loai", "")
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 30).get_page(request.GET.get("trang"))
    return render(request, "voices/office_queue.html", {
        "page": page, "state": state, "kind": kind, "states": State.choices, "kinds": Kind.choices,
        "overdue": voices.overdue(voices.queue(request.user)).count(),
    })


def _officers_of(item) -> list[User]:
    return [u for u in User.objects.filter(role__in=(Role.SPECIALIST, Role.LEADER), is_active=True).order_by("username")
            if item.unit_id in handling_unit_ids(u)]


@staff_required
def office_item(request, item_id: int):
    try:
        item = voices.get_for_staff(request.user, item_id)
    except DomainError:
        raise Http404(item_id) from None
    user = request.user
    return render(request, "voices/office_item.html", {
        "item": item,
        "officers": _officers_of(item) if user.role in (Role.LEADER, Role.COUNTER) else [],
        "may_draft": user.role == Role.SPECIALIST and item.state in (State.OPEN, State.DRAFTED),
        "may_approve": user.role == Role.LEADER and item.state in (State.OPEN, State.DRAFTED),
        "may_spam": item.state in (State.OPEN, State.DRAFTED),
        "may_hide": user.role == Role.LEADER and item.state == State.ANSWERED and item.kind == Kind.QUESTION,
        "public_question": voices.mask(item.text, item),
        "answer_max": voices.ANSWER_MAX,
    })


@staff_required
@require_POST
def office_act(request, item_id: int):
    what = request.POST.get("thao-tac", "")
    try:
        if what == "assign":
            voices.assign(request.user, item_id, request.POST.get("assignee", ""))
            messages.success(request, _("Đã giao cán bộ trả lời."))
        elif what == "answer":
            item = voices.answer(request.user, item_id, request.POST.get("answer", ""), request.POST.get("publish") == "1")
            messages.success(request, _("Đã duyệt và gửi câu trả lời cho người hỏi.") if item.state == State.ANSWERED
                             else _("Đã lưu dự thảo, chờ lãnh đạo duyệt."))
        elif what == "spam":
            voices.mark_spam(request.user, item_id)
            messages.success(request, _("Đã đánh dấu là rác."))
        elif what in ("hide", "show"):
            voices.set_hidden(request.user, item_id, what == "hide")
            messages.success(request, _("Đã ẩn khỏi trang công khai.") if what == "hide" else _("Đã hiện lại trên trang công khai."))
        else:
            messages.error(request, _("Thao tác không hợp lệ."))
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(item_id) from None
        messages.error(request, exc.message)
    return redirect("voices_office:item", item_id=item_id)
