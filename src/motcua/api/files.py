"""Dossier documents, fee payments and satisfaction ratings (CONTRACT §2).

Uploads are guarded before Django parses the body: a request whose ``Content-Length``
is already over the limit gets 413 at once, and while the multipart body is parsed a
file handler stops reading a file that grows past ``settings.UPLOAD_MAX_BYTES``. Django's
own body limits (``DATA_UPLOAD_MAX_MEMORY_SIZE``, field and file counts) and a broken
multipart body become CONTRACT error bodies (413 / 400), never Django's HTML 400 page.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import UnreadablePostError
from ninja import Router, Schema
from pydantic import Field as PydField

from motcua.api.auth import TokenOrSession, token_or_session
from motcua.documents import services as documents
from motcua.documents.models import DossierFile
from motcua.errors import DomainError, InvalidInput
from motcua.feedback import services as feedback
from motcua.payments import services as payments
from motcua.worktime.calendar import VN_TZ

router = Router(tags=["documents, payments, ratings"])

# Room for the multipart boundaries, headers and the small ``kind`` field.
MULTIPART_SLACK = 64 * 1024


# ---------------------------------------------------------------- upload guards

class UploadLimitHandler(FileUploadHandler):
    """Stops reading a file part once it exceeds the limit; the view then answers 413."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.motcua_upload_too_large = True
            raise SkipFile  # Django closes (and deletes) the partial file and skips the rest
        return raw_data

    def file_complete(self, file_size):
        return None


def guard_upload(request) -> None:
    """Refuse an over-long body at once; limit each file part while it is parsed."""
    limit = documents.upload_limit()
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit + MULTIPART_SLACK:
        raise documents.too_large(limit)
    if not getattr(request, "motcua_upload_guarded", False) and not hasattr(request, "_files"):
        request.upload_handlers.insert(0, UploadLimitHandler(request, limit))
        request.motcua_upload_guarded = True


def body_errors_as_contract(call):
    """Run ``call()``; Django's body-parsing errors become DomainErrors (413 or 400)."""
    try:
        return call()
    except RequestDataTooBig:
        raise DomainError("Nội dung gửi lên quá lớn.", code="too_large", status=413) from None
    except (TooManyFieldsSent, TooManyFilesSent):
        raise DomainError("Gửi quá nhiều trường hoặc tệp trong một yêu cầu.", code="bad_request", status=400) from None
    except (MultiPartParserError, UnreadablePostError):
        raise DomainError("Nội dung multipart/form-data không hợp lệ.", code="bad_multipart", status=400) from None


class UploadAuth(TokenOrSession):
    """Token or session, with the upload guard first (the session's CSRF check parses the body)."""

    def __call__(self, request):
        guard_upload(request)
        return body_errors_as_contract(lambda: super(UploadAuth, self).__call__(request))


upload_auth = UploadAuth()

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "PDF, JPEG hoặc PNG"},
                        "kind": {"type": "string", "description": "Tên thành phần hồ sơ, hoặc “result” (kết quả)"},
                    },
                }
            }
        },
    }
}


def _t(value):
    return value.astimezone(VN_TZ).isoformat() if value else None


def file_body(record: DossierFile) -> dict:
    return {
        "id": record.pk,
        "name": record.name,
        "sha256": record.sha256,
        "size": record.size,
        "content_type": record.content_type,
        "kind": record.kind,
        "is_result": record.is_result,
        "reused": record.reused,
        "uploaded_at": _t(record.uploaded_at),
        "uploaded_by": record.uploaded_by.username if record.uploaded_by_id else None,
    }


# ---------------------------------------------------------------- documents

@router.post("/dossiers/{code}/documents", auth=upload_auth, response={201: dict}, openapi_extra=UPLOAD_BODY,
             summary="Tải giấy tờ lên hồ sơ (PDF, JPEG, PNG)")
def upload_document(request, code: str):
    files = body_errors_as_contract(lambda: request.FILES)
    form = body_errors_as_contract(lambda: request.POST)
    if getattr(request, "motcua_upload_too_large", False):
        raise documents.too_large()
    uploaded = files.get("file")
    if uploaded is None:
        raise InvalidInput("Chưa chọn tệp để tải lên.", code="missing_file", fields={"file": ["Bắt buộc."]})
    kind = form.get("kind", "")
    if len(kind) > 400:
        raise InvalidInput("Loại giấy tờ quá dài.", fields={"kind": ["Tối đa 400 ký tự."]})
    record = documents.upload_document(request.auth, code, uploaded, kind)
    return 201, file_body(record)


@router.get("/dossiers/{code}/documents", auth=token_or_session, summary="Danh sách giấy tờ của hồ sơ")
def list_documents(request, code: str):
    items = documents.list_documents(request.auth, code)
    return {"count": len(items), "items": [file_body(f) for f in items]}


@router.get("/dossiers/{code}/documents/{file_id}", auth=token_or_session, summary="Tải xuống một giấy tờ")
def download_document(request, code: str, file_id: int):
    record = documents.get_document(request.auth, code, file_id)
    handle = documents.open_document(record)
    return FileResponse(handle, as_attachment=True, filename=record.name, content_type=record.content_type)


# ---------------------------------------------------------------- payments

class PaymentIn(Schema):
    amount: int | None = PydField(
        None, ge=0, le=payments.MAX_AMOUNT, strict=True,
        description="Số tiền (đồng) do cán bộ Một cửa xác định cho phí tính theo trang, bản; mặc định: phí của thủ tục.",
    )
    gateway: str | None = PydField(None, max_length=40, description="Cổng thanh toán; mặc định: cổng đầu tiên được bật.")


def order_body(order, pay_url: str | None = None) -> dict:
    body = {
        "order_id": order.order_id,
        "amount": order.amount,
        "status": order.status,
        "gateway": order.gateway,
        "created_at": _t(order.created_at),
        "paid_at": _t(order.paid_at),
    }
    if pay_url is not None:
        body["pay_url"] = pay_url
    return body


@router.post("/dossiers/{code}/payments", auth=token_or_session, response={201: dict},
             summary="Tạo yêu cầu thanh toán phí, lệ phí trực tuyến",
             description="Người nộp hồ sơ hoặc cán bộ Một cửa của đơn vị. 409 `no_fee` khi thủ tục không thu phí; "
                         "409 `already_paid` khi hồ sơ đã thanh toán. Hỏi lại khi đang chờ thanh toán cùng số tiền: "
                         "trả lại giao dịch đó.")
def create_payment(request, code: str, payload: PaymentIn | None = None):
    payload = payload or PaymentIn()
    order, pay_url = payments.create_order(request.auth, code, amount=payload.amount, gateway=payload.gateway)
    return 201, order_body(order, pay_url)


@router.get("/dossiers/{code}/payments", auth=token_or_session, summary="Các giao dịch thanh toán của hồ sơ")
def list_payments(request, code: str):
    orders = payments.list_orders(request.auth, code)
    return {"count": len(orders), "paid": any(o.status == "paid" for o in orders), "items": [order_body(o) for o in orders]}


# ---------------------------------------------------------------- rating

class RatingIn(Schema):
    score: int = PydField(..., ge=1, le=3, strict=True, description="3 = rất hài lòng, 2 = hài lòng, 1 = không hài lòng")
    comment: str | None = PydField(None, max_length=feedback.COMMENT_MAX)


def rating_body(rating) -> dict:
    return {"score": rating.score, "label": feedback.SCORES[rating.score], "comment": rating.comment,
            "created_at": _t(rating.created_at)}


@router.post("/dossiers/{code}/rating", auth=token_or_session, response={201: dict},
             summary="Đánh giá mức độ hài lòng (một lần, sau khi nhận kết quả)")
def rate(request, code: str, payload: RatingIn):
    rating = feedback.rate_dossier(request.auth, code, payload.score, payload.comment or "")
    return 201, {"code": code, **rating_body(rating)}


@router.get("/dossiers/{code}/rating", auth=token_or_session, summary="Đánh giá của hồ sơ")
def get_rating(request, code: str):
    return {"code": code, **rating_body(feedback.get_rating(request.auth, code))}
