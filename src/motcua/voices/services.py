"""Questions and feedback: the one home of their rules (issue 20 §1).

- **Asking** (:func:`ask`): anyone, about a procedure, with a name and a phone or an e-mail to
  be answered at (no account needed); :func:`send_feedback`: a signed-in citizen about one of
  their own dossiers. Text: not empty, at most :data:`TEXT_MAX` characters, kept as typed and
  always shown as text (templates escape it, nothing turns a link into a link).
- **Routing** (:func:`route`): to the unit named (it must perform the procedure's level), else
  the first unit, highest level first, that performs it; feedback to the unit handling the
  dossier now. The deadline is ``settings.ANSWER_DAYS_QUESTION`` / ``ANSWER_DAYS_FEEDBACK``
  working days on that unit's calendar (``dossiers.deadlines.compute_deadline``: the dossiers'
  own arithmetic).
- **Answering** (:func:`answer`): a specialist of the unit drafts (state ``drafted``), a leader
  approves — editing the text if needed — (state ``answered``), and the asker is told on the
  notifications outbox (e-mail, SMS). ``publish``: the question and its answer appear on the
  procedure's page with personal data masked (:func:`mask`); a leader may :func:`set_hidden`.
- **Answered** (:data:`answered`): sent in the transaction of a leader's approval, with the
  item; who needs to know listens (the national outbox queues the answered question for the
  national portal when it is connected). Voices knows nothing of who listens.
- **Abuse**: throttles per address and account (``operations.throttles.limit_asking``), any
  officer of the unit may :func:`mark_spam`.
Who may see an item: the officers of its unit (``dossiers.scope.handling_unit_ids``), the
superuser; everyone else gets 404.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.dispatch import Signal
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.catalog.models import Level, Procedure, Unit
from motcua.catalog.text import fold, tokens
from motcua.dossiers.deadlines import compute_deadline
from motcua.dossiers.models import Dossier
from motcua.dossiers.scope import handling_unit_ids, visible_dossiers
from motcua.identifiers import canonical_phone
from motcua.errors import Conflict, Forbidden, InvalidInput, NotFound
from motcua.logging_config import EMAIL, ID_NUMBER, LABELLED_ID, PHONE
from motcua.voices.models import Kind, Question, Source, State

TEXT_MIN = 10
TEXT_MAX = 2000
ANSWER_MAX = 5000
NAME_MAX = 200
LEVEL_ORDER = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
MASK = "[đã ẩn]"

#: A question or feedback was answered (a leader approved the answer): ``send(Question, item=…)``,
#: inside the approval's transaction — a listener's writes commit or roll back with it.
answered = Signal()


# ------------------------------------------------------------------ checks

def clean_text(text, field: str = "question", *, maximum: int = TEXT_MAX, minimum: int = TEXT_MIN) -> str:
    text = (text if isinstance(text, str) else "").strip()
    if not text:
        raise InvalidInput("Vui lòng nhập nội dung.", code="empty_text", fields={field: ["Vui lòng nhập nội dung."]})
    if len(text) < minimum:
        raise InvalidInput(f"Nội dung quá ngắn: ít nhất {minimum} ký tự.", code="text_too_short",
                           fields={field: [f"Nội dung quá ngắn: ít nhất {minimum} ký tự."]})
    if len(text) > maximum:
        raise InvalidInput(f"Nội dung quá dài: tối đa {maximum} ký tự.", code="text_too_long",
                           fields={field: [f"Nội dung quá dài: tối đa {maximum} ký tự (đang có {len(text)})."]})
    return text


def clean_contact(contact, *, answered_elsewhere: bool = False) -> dict[str, str]:
    """The asker's name and a phone or e-mail to send the answer to. ``answered_elsewhere``: the
    answer goes back through the system the question came from (the national portal), so neither
    is required, and one that is not valid is left out rather than refused."""
    if not isinstance(contact, dict):
        contact = {}
    errors: dict[str, list[str]] = {}
    name = (contact.get("name") or "").strip() if isinstance(contact.get("name"), str) else ""
    if not name:
        errors["contact.name"] = ["Vui lòng cho biết họ tên."]
    elif len(name) > NAME_MAX:
        errors["contact.name"] = [f"Tối đa {NAME_MAX} ký tự."]
    raw_phone = contact.get("phone") if isinstance(contact.get("phone"), str) else ""
    raw_email = contact.get("email") if isinstance(contact.get("email"), str) else ""
    phone = canonical_phone(raw_phone.strip()) if raw_phone.strip() else ""
    email = raw_email.strip()
    if raw_phone.strip() and not phone and not answered_elsewhere:
        errors["contact.phone"] = ["Số điện thoại không hợp lệ (ví dụ 0912345678)."]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            if answered_elsewhere:
                email = ""
            else:
                errors["contact.email"] = ["Địa chỉ thư điện tử không hợp lệ."]
    if not raw_phone.strip() and not email and not answered_elsewhere:
        errors["contact.phone"] = ["Cần số điện thoại hoặc thư điện tử để nhận câu trả lời."]
    if errors:
        raise InvalidInput("Thông tin liên hệ chưa hợp lệ.", code="invalid_contact", fields=errors)
    return {"name": name, "phone": phone, "email": email[:254]}


# ------------------------------------------------------------------ routing and deadline

def performing_units(procedure: Procedure) -> QuerySet[Unit]:
    levels = list(procedure.levels.values_list("level", flat=True))
    return Unit.objects.valid_on(timezone.localdate()).filter(level__in=levels)


def route(procedure: Procedure, unit_code: str | None = None) -> Unit:
    """The unit that answers a question about ``procedure``."""
    units = performing_units(procedure)
    if unit_code:
        unit = units.filter(code=str(unit_code)[:40]).first()
        if unit is None:
            raise InvalidInput("Đơn vị này không thực hiện thủ tục đã chọn.", code="unknown_unit",
                               fields={"unit": ["Chọn một đơn vị thực hiện thủ tục."]})
        return unit
    for level in LEVEL_ORDER:
        unit = units.filter(level=level).order_by("path").first()
        if unit is not None:
            return unit
    unit = Unit.objects.valid_on(timezone.localdate()).order_by("path").first()
    if unit is None:
        raise InvalidInput("Chưa có đơn vị nào tiếp nhận câu hỏi.", code="no_unit")
    return unit


def answer_days(kind: str) -> int:
    return settings.ANSWER_DAYS_FEEDBACK if kind == Kind.FEEDBACK else settings.ANSWER_DAYS_QUESTION


def due_for(kind: str, unit: Unit, at) -> "timezone.datetime":
    return compute_deadline(None, unit, at, working_days=answer_days(kind)).due_at


# ------------------------------------------------------------------ asking

def _procedure(code) -> Procedure:
    procedure = Procedure.objects.filter(code=str(code or "")[:40]).first() if code else None
    if procedure is None:
        raise InvalidInput("Không tìm thấy thủ tục đã chọn.", code="unknown_procedure",
                           fields={"procedure": ["Chọn một thủ tục trong danh mục."]})
    return procedure


def ask(procedure_code, text, contact, *, unit_code: str | None = None, user: User | None = None,
        source: str = Source.PORTAL, national_id: str = "") -> Question:
    """A question about a procedure, from anyone (docs/api.md ``POST /questions``)."""
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for name, check in (("question", lambda: clean_text(text)), ("contact", lambda: clean_contact(contact, answered_elsewhere=source == Source.NATIONAL_PORTAL)),
                        ("procedure", lambda: _procedure(procedure_code))):
        try:
            cleaned[name] = check()
        except InvalidInput as exc:
            errors.update(exc.fields)
    if errors:
        raise InvalidInput("Câu hỏi chưa gửi được: xin xem lại các ô được đánh dấu.", code="invalid_question", fields=errors)
    procedure = cleaned["procedure"]
    unit = route(procedure, unit_code)
    now = timezone.now()
    c = cleaned["contact"]
    asker = user if user is not None and user.is_authenticated and user.role == Role.CITIZEN else None
    return Question.objects.create(
        kind=Kind.QUESTION, source=source, procedure=procedure, unit=unit, text=cleaned["question"],
        contact_name=c["name"], contact_phone=c["phone"], contact_email=c["email"], asker=asker,
        asked_at=now, due_at=due_for(Kind.QUESTION, unit, now), national_id=national_id[:60])


def send_feedback(user: User, code: str, text) -> Question:
    """Feedback or a complaint about one of ``user``'s own dossiers, to the unit handling it."""
    dossier = visible_dossiers(user).filter(code=str(code)[:80], owner_id=user.pk).select_related("procedure").first()
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ “{str(code)[:80]}”.", code="dossier_not_found")
    text = clean_text(text, "text")
    now = timezone.now()
    unit = dossier.current_unit
    return Question.objects.create(
        kind=Kind.FEEDBACK, procedure=dossier.procedure, dossier=dossier, unit=unit, text=text,
        contact_name=dossier.applicant_name or user.display_name(), contact_phone=dossier.applicant_phone,
        contact_email=dossier.applicant_email or user.email, asker=user, asked_at=now,
        due_at=due_for(Kind.FEEDBACK, unit, now))


def my_feedback(user: User, dossier: Dossier) -> QuerySet[Question]:
    return Question.objects.filter(dossier=dossier, asker=user, kind=Kind.FEEDBACK).order_by("-asked_at")


# ------------------------------------------------------------------ the unit's side

def staff_items(user: User) -> QuerySet[Question]:
    """The items of the units ``user`` works at (the superuser: all)."""
    qs = Question.objects.select_related("procedure", "unit", "assignee", "dossier")
    if user.is_authenticated and user.is_superuser:
        return qs
    return qs.filter(unit_id__in=handling_unit_ids(user))


def queue(user: User, state: str | None = None) -> QuerySet[Question]:
    qs = staff_items(user)
    if state in State.values:
        return qs.filter(state=state)
    return qs.filter(state__in=(State.OPEN, State.DRAFTED))


def get_for_staff(user: User, item_id) -> Question:
    try:
        pk = int(item_id)
    except (TypeError, ValueError):
        pk = 0
    item = staff_items(user).filter(pk=pk).first() if 0 < pk < 2**62 else None
    if item is None:
        raise NotFound("Không tìm thấy câu hỏi hoặc phản ánh này.", code="question_not_found")
    return item


def _locked(user: User, item_id) -> Question:
    item = get_for_staff(user, item_id)
    return Question.objects.select_for_update().get(pk=item.pk)


def assign(user: User, item_id, assignee: str) -> Question:
    if user.role not in (Role.LEADER, Role.COUNTER) and not user.is_superuser:
        raise Forbidden("Chỉ lãnh đạo hoặc cán bộ một cửa giao việc trả lời.", code="not_allowed")
    with transaction.atomic():
        item = _locked(user, item_id)
        if item.state not in (State.OPEN, State.DRAFTED):
            raise Conflict("Câu hỏi này đã được xử lý xong.", code="already_answered")
        officer = User.objects.filter(username=str(assignee)[:150], role__in=(Role.SPECIALIST, Role.LEADER)).first()
        if officer is None or item.unit_id not in handling_unit_ids(officer):
            raise InvalidInput("Cán bộ được giao phải là chuyên viên hoặc lãnh đạo của đơn vị.", code="invalid_assignee",
                               fields={"assignee": ["Chọn cán bộ của đơn vị."]})
        item.assignee = officer
        item.save(update_fields=["assignee"])
    return item


def answer(user: User, item_id, text, publish: bool = False) -> Question:
    """A specialist drafts; a leader approves (and the asker is told). docs/api.md
    ``POST /questions/{id}/answer``."""
    if user.role not in (Role.SPECIALIST, Role.LEADER) and not user.is_superuser:
        raise Forbidden("Chỉ chuyên viên soạn và lãnh đạo duyệt câu trả lời.", code="not_allowed")
    text = clean_text(text, "answer", maximum=ANSWER_MAX, minimum=2)
    publish = bool(publish) and not isinstance(publish, str)
    with transaction.atomic():
        item = _locked(user, item_id)
        if item.state == State.ANSWERED:
            raise Conflict("Câu hỏi này đã được trả lời.", code="already_answered")
        if item.state == State.SPAM:
            raise Conflict("Câu hỏi này đã bị đánh dấu là rác.", code="marked_spam")
        now = timezone.now()
        approving = user.role == Role.LEADER or user.is_superuser
        if not approving and item.assignee_id and item.assignee_id != user.pk:
            raise Forbidden("Câu hỏi này đã được giao cho cán bộ khác.", code="not_assignee")
        item.answer = text
        item.publish = publish and item.kind == Kind.QUESTION
        if approving:
            item.state, item.answered_by, item.answered_at = State.ANSWERED, user, now
            item.public_question = mask(item.text, item)
            item.search_text = fold(f"{item.public_question} {mask(text, item)}")
            if not item.drafted_by_id:
                item.drafted_by, item.drafted_at = user, now
        else:
            item.state, item.drafted_by, item.drafted_at = State.DRAFTED, user, now
        item.save()
        if approving:
            _tell_asker(item)
            answered.send(sender=Question, item=item)
    return item


def mark_spam(user: User, item_id) -> Question:
    with transaction.atomic():
        item = _locked(user, item_id)
        if item.state == State.ANSWERED:
            raise Conflict("Câu hỏi đã trả lời; lãnh đạo có thể ẩn nó.", code="already_answered")
        item.state, item.marked_by = State.SPAM, user
        item.save(update_fields=["state", "marked_by"])
    return item


def set_hidden(user: User, item_id, hidden: bool) -> Question:
    if user.role != Role.LEADER and not user.is_superuser:
        raise Forbidden("Chỉ lãnh đạo ẩn hoặc hiện câu hỏi.", code="not_allowed")
    with transaction.atomic():
        item = _locked(user, item_id)
        item.hidden, item.marked_by = bool(hidden), user
        item.save(update_fields=["hidden", "marked_by"])
    return item


def _tell_asker(item: Question) -> None:
    from motcua.links import public_url
    from motcua.notifications.services import notify_contact

    what = "câu hỏi" if item.kind == Kind.QUESTION else "phản ánh, kiến nghị"
    where = public_url(f"/thu-tuc/{item.procedure.code}/hoi-dap/") if item.is_public else ""
    body = (f"Kính gửi {item.contact_name},\n\n{item.unit.name} trả lời {what} của bạn về thủ tục "
            f"“{item.procedure.name}”:\n\n{item.answer}\n" + (f"\nXem trên Cổng: {where}\n" if where else ""))
    notify_contact("question_answered", email=item.contact_email, phone=item.contact_phone,
                   subject=f"Trả lời {what} về thủ tục {item.procedure.name}"[:300], body=body,
                   sms_body=f"{item.unit.name} da tra loi {fold(what)} cua ban ve thu tuc {item.procedure.code}."
                            + (f" Xem: {where}" if where else " Vui long xem thu dien tu hoac lien he don vi."))


# ------------------------------------------------------------------ public

def mask(text: str, item: Question | None = None) -> str:
    """``text`` without personal data: the asker's own name, phone and e-mail wherever they
    appear, and any unmistakable e-mail, phone or ID number (the log filter's shapes)."""
    if not text:
        return ""
    if item is not None:
        for value in (item.contact_name, item.contact_email, item.contact_phone):
            if value and len(value) >= 3:
                text = re.sub(re.escape(value), MASK, text, flags=re.IGNORECASE)
    text = EMAIL.sub(MASK, text)
    text = LABELLED_ID.sub(lambda m: m.group("label") + MASK, text)
    text = ID_NUMBER.sub(MASK, text)
    return PHONE.sub(MASK, text)


def published(*, procedure: str | None = None, q: str | None = None) -> QuerySet[Question]:
    """The answered questions the public sees, newest first; ``q`` ignores case and diacritics."""
    qs = (Question.objects.filter(kind=Kind.QUESTION, state=State.ANSWERED, publish=True, hidden=False)
          .select_related("procedure", "unit").order_by("-answered_at", "-id"))
    if procedure:
        qs = qs.filter(procedure__code=str(procedure)[:40])
    for word in tokens(q)[:10]:
        qs = qs.filter(search_text__contains=word)
    return qs


def public_item(item: Question) -> dict:
    return {"id": item.pk, "procedure": item.procedure.code, "procedure_name": item.procedure.name,
            "question": item.public_question, "answer": mask(item.answer, item), "answered_at": item.answered_at,
            "unit": item.unit.code, "unit_name": item.unit.name}


def open_count(user: User) -> int:
    return queue(user).count()


def overdue(qs: QuerySet[Question], now=None) -> QuerySet[Question]:
    now = now or timezone.now()
    return qs.filter(Q(state__in=(State.OPEN, State.DRAFTED), due_at__lt=now))
