"""Questions (hỏi đáp) and feedback (phản ánh, kiến nghị): docs/api.md ``GET/POST /questions``,
``POST /questions/{id}/answer``; and a citizen's feedback on their own dossier
(``POST /dossiers/{code}/feedback``). The rules live in ``voices.services``."""

from __future__ import annotations

from ninja import Query, Router, Schema
from pydantic import Field as PydField

from motcua.api.auth import optional_user, token_or_session
from motcua.paging import MAX_PAGE_SIZE, paginate
from motcua.api.timefmt import local_iso
from motcua.operations import throttles
from motcua.voices import services as voices

router = Router(tags=["questions"])


class QuestionFilters(Schema):
    procedure: str | None = PydField(None, max_length=40)
    q: str | None = PydField(None, max_length=200)
    page: int = PydField(1, ge=1, le=10_000)
    page_size: int = PydField(20, ge=1, le=MAX_PAGE_SIZE)


class PublicQuestionOut(Schema):
    id: int
    procedure: str
    procedure_name: str
    question: str
    answer: str
    answered_at: str | None
    unit: str
    unit_name: str


class QuestionListOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[PublicQuestionOut]


class ContactIn(Schema):
    name: str = PydField(..., max_length=voices.NAME_MAX)
    phone: str | None = PydField(None, max_length=30)
    email: str | None = PydField(None, max_length=254)


class AskIn(Schema):
    procedure: str = PydField(..., max_length=40)
    question: str = PydField(..., description=f"Tối đa {voices.TEXT_MAX} ký tự")
    contact: ContactIn
    unit: str | None = PydField(None, max_length=40, description="Đơn vị được hỏi (không bắt buộc)")


class AskedOut(Schema):
    id: int
    status: str
    due_at: str | None


class AnswerIn(Schema):
    answer: str
    publish: bool = False


class StaffQuestionOut(Schema):
    id: int
    kind: str
    status: str
    procedure: str
    unit: str
    dossier: str | None
    question: str
    answer: str
    publish: bool
    hidden: bool
    asked_at: str | None
    due_at: str | None
    answered_at: str | None
    assignee: str | None


def staff_body(item) -> dict:
    return {"id": item.pk, "kind": item.kind, "status": item.state, "procedure": item.procedure.code,
            "unit": item.unit.code, "dossier": item.dossier.code if item.dossier_id else None, "question": item.text,
            "answer": item.answer, "publish": item.publish, "hidden": item.hidden, "asked_at": local_iso(item.asked_at),
            "due_at": local_iso(item.due_at), "answered_at": local_iso(item.answered_at),
            "assignee": item.assignee.username if item.assignee_id else None}


@router.get("/questions", response=QuestionListOut, summary="Hỏi đáp đã trả lời (tìm không dấu; không có thông tin cá nhân)")
def list_questions(request, filters: Query[QuestionFilters]):
    items, meta = paginate(voices.published(procedure=filters.procedure, q=filters.q), filters.page, filters.page_size)
    return {**meta, "items": [{**voices.public_item(i), "answered_at": local_iso(i.answered_at)} for i in items]}


@router.post("/questions", response={201: AskedOut}, summary="Gửi câu hỏi về một thủ tục (không cần tài khoản)")
def ask(request, payload: AskIn):
    user = optional_user(request)
    throttles.limit_asking(request, user)
    item = voices.ask(payload.procedure, payload.question, payload.contact.dict(), unit_code=payload.unit, user=user)
    return 201, {"id": item.pk, "status": item.state, "due_at": local_iso(item.due_at)}


@router.post("/questions/{item_id}/answer", auth=token_or_session, response={200: StaffQuestionOut},
             summary="Chuyên viên soạn, lãnh đạo duyệt câu trả lời (người hỏi được báo)")
def answer(request, item_id: int, payload: AnswerIn):
    return staff_body(voices.answer(request.auth, item_id, payload.answer, payload.publish))


@router.get("/questions/{item_id}", auth=token_or_session, response={200: StaffQuestionOut},
            summary="Một câu hỏi hoặc phản ánh (cán bộ của đơn vị xử lý)")
def get_question(request, item_id: int):
    return staff_body(voices.get_for_staff(request.auth, item_id))


class FeedbackIn(Schema):
    text: str


@router.post("/dossiers/{code}/feedback", auth=token_or_session, response={201: AskedOut},
             summary="Phản ánh, kiến nghị về hồ sơ của mình")
def send_feedback(request, code: str, payload: FeedbackIn):
    throttles.limit_asking(request, request.auth)
    item = voices.send_feedback(request.auth, code, payload.text)
    return 201, {"id": item.pk, "status": item.state, "due_at": local_iso(item.due_at)}
