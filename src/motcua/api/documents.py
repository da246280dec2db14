"""A dossier's papers: upload, list, download (docs/api.md).

Body limits are enforced before any view runs (``motcua.badinput``): a file over
``settings.UPLOAD_MAX_BYTES`` is 413 ``file_too_large`` (a body already declared longer
is refused unread), Django's own limits and a broken multipart body are 413 / 400.
"""

from __future__ import annotations

import json

from django.http import FileResponse
from ninja import Router, Schema

from motcua.api.auth import token_or_session
from motcua.api.timefmt import local_iso
from motcua.conf import TRUE_WORDS
from motcua.documents import digitisation, store
from motcua import uploads
from motcua.documents import services as documents
from motcua.documents.components import component_state
from motcua.documents.models import DossierFile
from motcua.errors import InvalidInput

router = Router(tags=["documents"])

METADATA_HELP = {
    "paper_code": "Số, ký hiệu giấy tờ",
    "owner_id_number": "Số định danh của chủ giấy tờ",
    "issuer": "Cơ quan ban hành",
    "issued_on": "Ngày ban hành (YYYY-MM-DD)",
    "valid_until": "Có hiệu lực đến (YYYY-MM-DD)",
    "valid_forever": "Có hiệu lực vĩnh viễn (true/false)",
}

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["reuse"],
                    "properties": {
                        "reuse": {"type": "integer", "description": "id của một giấy tờ trong GET /me/documents"},
                        "kind": {"type": "string", "description": "Tên thành phần hồ sơ"},
                    },
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "PDF, JPEG hoặc PNG"},
                        "kind": {"type": "string", "description": "Tên thành phần hồ sơ, hoặc “result” (kết quả)"},
                        "digitise": {"type": "boolean", "description": "Cán bộ: số hóa bản quét (OCR, PDF/A) ở nền"},
                        **{name: {"type": "string", "description": text} for name, text in METADATA_HELP.items()},
                    },
                }
            }
        },
    }
}


class DigitisationProgressOut(Schema):
    pages: int
    pages_done: int
    progress: int
    recognised: bool
    step: str
    error: str
    digitised_at: str | None
    digitised_by: str | None


class PaperFactsOut(Schema):
    code: str
    owner_id_number: str
    issuer: str
    issued_on: str | None
    valid_until: str | None
    valid_forever: bool


class FileOut(Schema):
    id: int
    name: str
    sha256: str
    size: int
    content_type: str
    kind: str
    is_result: bool
    uploaded_at: str | None
    uploaded_by: str | None
    digitised: str | None
    digitisation: DigitisationProgressOut | None
    component_state: int
    from_store: bool
    paper: PaperFactsOut


class FileListOut(Schema):
    count: int
    items: list[FileOut]


def digitisation_body(record: DossierFile) -> dict | None:
    found = digitisation.digitisation_of(record)
    if found is None:
        return None
    return {"pages": found.pages, "pages_done": found.pages_done, "progress": found.progress,
            "recognised": found.recognised, "step": found.step, "error": found.error,
            "digitised_at": local_iso(found.finished_at) if found.status == "done" else None,
            "digitised_by": found.requested_by.username if found.requested_by_id else None}


def paper_body(record: DossierFile) -> dict:
    facts = store.paper_facts(record)
    return {"code": facts.paper_code, "owner_id_number": facts.owner_id_number, "issuer": facts.issuer,
            "issued_on": facts.issued_on.isoformat() if facts.issued_on else None,
            "valid_until": facts.valid_until.isoformat() if facts.valid_until else None,
            "valid_forever": facts.valid_forever}


def file_body(record: DossierFile) -> dict:
    return {
        "id": record.pk,
        "name": record.name,
        "sha256": record.sha256,
        "size": record.size,
        "content_type": record.content_type,
        "kind": record.kind,
        "is_result": record.is_result,
        "uploaded_at": local_iso(record.uploaded_at),
        "uploaded_by": record.uploaded_by.username if record.uploaded_by_id else None,
        "digitised": digitisation.status_of(record),
        "digitisation": digitisation_body(record),
        "component_state": int(component_state(record)),
        "from_store": record.from_store,
        "paper": paper_body(record),
    }


def _metadata_from_form(post) -> dict:
    return {name: post.get(name) for name in METADATA_HELP if name in post}


def _yes(value) -> bool:
    return str(value or "").strip().lower() in TRUE_WORDS


@router.post("/dossiers/{code}/documents", auth=token_or_session, response={201: FileOut}, openapi_extra=UPLOAD_BODY,
             summary="Tải giấy tờ lên hồ sơ (PDF, JPEG, PNG)")
def upload_document(request, code: str):
    """Multipart ``file`` (+ ``kind``), or JSON ``{"reuse": id, "kind": K}``: one of the
    owner's papers in ``GET /me/documents`` attached again without uploading it."""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            raise InvalidInput("Nội dung JSON không hợp lệ.", code="invalid_json") from None
        if not isinstance(body, dict) or isinstance(body.get("reuse"), bool) or not isinstance(body.get("reuse"), int):
            raise InvalidInput("Cần “reuse”: id của giấy tờ trong kho của bạn.", fields={"reuse": ["Phải là số nguyên."]})
        kind = body.get("kind") or ""
        if not isinstance(kind, str) or len(kind) > 400:
            raise InvalidInput("Loại giấy tờ không hợp lệ.", fields={"kind": ["Chuỗi tối đa 400 ký tự."]})
        return 201, file_body(documents.reuse_document(request.auth, code, body["reuse"], kind))
    uploaded = request.FILES.get("file")
    if uploaded is None:
        raise InvalidInput("Chưa chọn tệp để tải lên.", code="missing_file", fields={"file": ["Bắt buộc."]})
    kind = request.POST.get("kind", "")
    if len(kind) > 400:
        raise InvalidInput("Loại giấy tờ quá dài.", fields={"kind": ["Tối đa 400 ký tự."]})
    record = documents.upload_document(request.auth, code, uploaded, kind, digitise=_yes(request.POST.get("digitise")),
                                       metadata=_metadata_from_form(request.POST))
    return 201, file_body(record)


@router.get("/dossiers/{code}/documents", auth=token_or_session, response={200: FileListOut}, summary="Danh sách giấy tờ của hồ sơ")
def list_documents(request, code: str):
    items = documents.list_documents(request.auth, code)
    return {"count": len(items), "items": [file_body(f) for f in items]}


_FILE = {"schema": {"type": "string", "format": "binary"}}


@router.get("/dossiers/{code}/documents/{file_id}", auth=token_or_session, summary="Tải xuống một giấy tờ",
            openapi_extra={"responses": {200: {"description": "The file as uploaded", "content": {
                t.content_type: _FILE for t in uploads.FILE_TYPES}}}})
def download_document(request, code: str, file_id: int):
    record = documents.get_document(request.auth, code, file_id)
    handle = documents.open_document(record)
    return FileResponse(handle, as_attachment=True, filename=record.name, content_type=record.content_type)


class MyDocumentOut(Schema):
    id: int
    name: str
    kind: str
    sha256: str
    size: int
    content_type: str
    dossier: str
    is_result: bool
    uploaded_at: str | None
    digitised: str | None
    validity: str
    paper: PaperFactsOut


@router.get("/me/documents", auth=token_or_session, response={200: list[MyDocumentOut]},
            summary="Kho giấy tờ của tôi: giấy tờ và kết quả của các hồ sơ của tôi")
def my_documents(request):
    on = store.today()
    return [
        {"id": f.pk, "name": f.name, "kind": f.kind, "sha256": f.sha256, "size": f.size,
         "content_type": f.content_type, "dossier": f.dossier.code, "is_result": f.is_result,
         "uploaded_at": local_iso(f.uploaded_at), "digitised": digitisation.status_of(f),
         "validity": str(store.validity(f, on)), "paper": paper_body(f)}
        for f in documents.my_documents(request.auth)
    ]
