"""Dossier documents: upload (checked by content), list, open (the printed forms: ``motcua.printing``).

Rules:
- Who uploads: the dossier's owner (while the dossier is open) and the counter officers,
  specialists and leaders of a unit that took part in it. Only officers upload a result.
- What: PDF, JPEG or PNG, recognised by the file's first bytes, never by its name.
- How big: at most ``settings.UPLOAD_MAX_BYTES`` (413 beyond).
- Nothing is written when a check fails; a file stored before a failing database write
  is removed again, so no orphan is left on disk.
- The same bytes of the same citizen are stored once: a later upload links the earlier
  copy (``reused_from``), which is what Decision 766 indicator 4.3 counts.
"""

from __future__ import annotations

import hashlib
import posixpath
import unicodedata
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import RequiredDocument
from motcua.documents.models import RESULT_KIND, DossierFile
from motcua.dossiers.audit import record_event
from motcua.dossiers.models import OPEN_STATUSES, Dossier
from motcua.dossiers.scope import get_visible, handles
from motcua.dossiers.workflow import Action
from motcua.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound



@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    magic: bytes


# The only accepted types, recognised by their signature (magic bytes).
FILE_TYPES = (
    FileType("application/pdf", ".pdf", b"%PDF-"),
    FileType("image/jpeg", ".jpg", b"\xff\xd8\xff"),
    FileType("image/png", ".png", b"\x89PNG\r\n\x1a\n"),
)
HEAD_BYTES = max(len(t.magic) for t in FILE_TYPES)


class FileTooLarge(DomainError):
    status = 413
    code = "file_too_large"


class UnsupportedFileType(DomainError):
    status = 415
    code = "unsupported_media_type"


def upload_limit() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def too_large(limit: int | None = None) -> FileTooLarge:
    limit = upload_limit() if limit is None else limit
    return FileTooLarge(
        f"Tệp quá lớn: tối đa {limit / (1024 * 1024):.1f} MB ({limit} byte).".replace(".0 MB", " MB"),
        fields={"file": [f"Tối đa {limit} byte."]},
    )


def detect_type(head: bytes) -> FileType | None:
    """The accepted type whose signature starts ``head``, or None."""
    for file_type in FILE_TYPES:
        if head.startswith(file_type.magic):
            return file_type
    return None


def clean_filename(name: str) -> str:
    """The base name the user gave, without folders or control characters (max 255)."""
    base = posixpath.basename(str(name or "").replace("\\", "/"))
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C").strip()
    return base[-255:] or "tep"


# ---------------------------------------------------------------- access

def _check_upload_allowed(user: User, dossier: Dossier, is_result: bool) -> None:
    is_owner = dossier.owner_id is not None and dossier.owner_id == user.pk
    if handles(user, dossier):
        return
    if is_owner and is_result:
        raise Forbidden("Chỉ cán bộ xử lý được tải lên kết quả giải quyết.", code="result_by_officer_only")
    if is_owner:
        if dossier.status not in OPEN_STATUSES:
            raise Conflict(
                f"Hồ sơ đang ở trạng thái “{dossier.get_status_display()}”: không thể nộp thêm giấy tờ.",
                code="dossier_closed", fields={"status": [dossier.status]},
            )
        return
    raise Forbidden("Bạn không có quyền tải giấy tờ lên hồ sơ này.", code="upload_not_allowed")


def _clean_kind(dossier: Dossier, kind: str) -> str:
    kind = " ".join(str(kind or "").split())
    if not kind or kind == RESULT_KIND:
        return kind
    names = list(RequiredDocument.objects.filter(procedure_id=dossier.procedure_id).values_list("name", flat=True))
    for name in names:
        if " ".join(name.split()).casefold() == kind.casefold():
            return name
    raise InvalidInput(
        "Loại giấy tờ không thuộc thành phần hồ sơ của thủ tục.", code="unknown_document_kind",
        fields={"kind": [f"Chọn một trong: {'; '.join(names + [RESULT_KIND])}."]},
    )


# ---------------------------------------------------------------- upload

def _digest(uploaded) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        sha.update(chunk)
        size += len(chunk)
    uploaded.seek(0)
    return sha.hexdigest(), size


def _earlier_copy(dossier: Dossier, sha256: str, size: int) -> DossierFile | None:
    """A file with the same bytes already digitised for the same citizen, if any."""
    same_person = Q(dossier__applicant_id_number=dossier.applicant_id_number)
    if dossier.owner_id:
        same_person |= Q(dossier__owner_id=dossier.owner_id)
    return (DossierFile.objects.filter(same_person, sha256=sha256, size=size, reused_from__isnull=True)
            .order_by("id").first())


def upload_document(user: User, code: str, uploaded, kind: str = "") -> DossierFile:
    """Attach ``uploaded`` (a Django ``UploadedFile``) to dossier ``code`` as ``user``."""
    dossier = get_visible(user, code)
    is_result = " ".join(str(kind or "").split()) == RESULT_KIND
    _check_upload_allowed(user, dossier, is_result)
    kind = _clean_kind(dossier, kind)

    limit = upload_limit()
    if uploaded.size is not None and uploaded.size > limit:
        raise too_large(limit)
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    file_type = detect_type(head)
    if file_type is None:
        raise UnsupportedFileType(
            "Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên tệp).",
            fields={"file": ["Tệp không phải PDF, JPEG hoặc PNG."]},
        )
    sha256, size = _digest(uploaded)
    if size > limit:
        raise too_large(limit)

    stored_name = None
    try:
        with transaction.atomic():
            earlier = _earlier_copy(dossier, sha256, size)
            if earlier is not None:
                storage_name = earlier.file.name
            else:
                now = timezone.now()
                target = f"documents/{now:%Y/%m}/{uuid.uuid4().hex}{file_type.extension}"
                stored_name = storage_name = default_storage.save(target, uploaded)
            record = DossierFile.objects.create(
                dossier=dossier, kind=kind, name=clean_filename(getattr(uploaded, "name", "")), file=storage_name,
                sha256=sha256, size=size, content_type=file_type.content_type, is_result=is_result,
                reused_from=earlier, uploaded_by=user,
            )
            record_event(
                dossier.pk, action=Action.UPLOAD_DOCUMENT, actor=user,
                changes={"document": {"id": record.pk, "name": record.name, "kind": kind, "sha256": sha256,
                                      "size": size, "reused": earlier is not None}},
            )
    except BaseException:
        if stored_name is not None:
            default_storage.delete(stored_name)
        raise
    return record


# ---------------------------------------------------------------- read

def list_documents(user: User, code: str) -> list[DossierFile]:
    dossier = get_visible(user, code)
    return list(DossierFile.objects.filter(dossier=dossier).order_by("uploaded_at", "id"))


def get_document(user: User, code: str, file_id: int) -> DossierFile:
    dossier = get_visible(user, code)
    record = DossierFile.objects.filter(dossier=dossier, pk=file_id).first()
    if record is None:
        raise NotFound("Không tìm thấy tệp này trong hồ sơ.", code="document_not_found")
    return record


def open_document(record: DossierFile):
    """The stored bytes as an open binary file; NotFound when the storage lost them."""
    try:
        return default_storage.open(record.file.name, "rb")
    except (FileNotFoundError, OSError):
        raise NotFound("Tệp không còn trong kho lưu trữ.", code="document_missing") from None
