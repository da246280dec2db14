"""A dossier's papers: upload, list, download (CONTRACT §2).

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
from motcua.documents import services as documents
from motcua.documents.models import DossierFile
from motcua.errors import InvalidInput

router = Router(tags=["documents"])

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
                    },
                }
            }
        },
    }
}


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


class FileListOut(Schema):
    count: int
    items: list[FileOut]


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
    }


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
    record = documents.upload_document(request.auth, code, uploaded, kind)
    return 201, file_body(record)


@router.get("/dossiers/{code}/documents", auth=token_or_session, response={200: FileListOut}, summary="Danh sách giấy tờ của hồ sơ")
def list_documents(request, code: str):
    items = documents.list_documents(request.auth, code)
    return {"count": len(items), "items": [file_body(f) for f in items]}


_FILE = {"schema": {"type": "string", "format": "binary"}}


@router.get("/dossiers/{code}/documents/{file_id}", auth=token_or_session, summary="Tải xuống một giấy tờ",
            openapi_extra={"responses": {200: {"description": "The file as uploaded", "content": {
                t.content_type: _FILE for t in documents.FILE_TYPES}}}})
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


@router.get("/me/documents", auth=token_or_session, response={200: list[MyDocumentOut]},
            summary="Kho giấy tờ của tôi: giấy tờ và kết quả của các hồ sơ của tôi")
def my_documents(request):
    return [
        {"id": f.pk, "name": f.name, "kind": f.kind, "sha256": f.sha256, "size": f.size,
         "content_type": f.content_type, "dossier": f.dossier.code, "is_result": f.is_result,
         "uploaded_at": local_iso(f.uploaded_at)}
        for f in documents.my_documents(request.auth)
    ]
