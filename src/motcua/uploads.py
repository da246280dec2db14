"""The one check of an uploaded file's bytes (issue 22 §4: on the lowest floor, since the
dossiers' papers — documents/services.py —, the filing drafts and the catalog's blank forms all
use it): what it is by content, not by name (PDF, JPEG, PNG; a procedure's blank form also DOC,
DOCX, ODT: ``BLANK_FORM_TYPES``), and how big (``settings.UPLOAD_MAX_BYTES`` a file,
``settings.DOSSIER_UPLOAD_MAX_BYTES`` a dossier). Reads, writes nothing."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from motcua.errors import DomainError


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    magic: bytes
    label: str = ""
    #: A closer look when the signature is shared (a ZIP or an OLE2 file may be many things):
    #: ``confirm(file)`` → True when the whole file is of this type. Reads, never writes.
    confirm: Callable[[object], bool] | None = None


def _zip_names(uploaded) -> set[str]:
    """The member names of a ZIP file (its central directory only: nothing is unpacked)."""
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return set()
    finally:
        uploaded.seek(0)


def _is_docx(uploaded) -> bool:
    names = _zip_names(uploaded)
    return "[Content_Types].xml" in names and "word/document.xml" in names


ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _is_odt(uploaded) -> bool:
    """An OpenDocument text: its first member ``mimetype``, stored, says so (ODF 1.2 §3.3)."""
    uploaded.seek(0)
    head = uploaded.read(38 + len(ODT_MIMETYPE))
    uploaded.seek(0)
    return head[30:38] == b"mimetype" and head[38:] == ODT_MIMETYPE and "content.xml" in _zip_names(uploaded)


_WORD_STREAM = "WordDocument".encode("utf-16-le")


def _is_doc(uploaded) -> bool:
    """A Word 97–2003 document: an OLE2 compound file whose directory names a WordDocument stream."""
    uploaded.seek(0)
    tail = b""
    try:
        for chunk in uploaded.chunks():
            if _WORD_STREAM in tail + chunk:
                return True
            tail = chunk[-len(_WORD_STREAM):]
        return False
    finally:
        uploaded.seek(0)


PDF = FileType("application/pdf", ".pdf", b"%PDF-", "PDF")
# The only accepted types of a dossier's papers, recognised by their signature (magic bytes).
FILE_TYPES = (
    PDF,
    FileType("image/jpeg", ".jpg", b"\xff\xd8\xff", "JPEG"),
    FileType("image/png", ".png", b"\x89PNG\r\n\x1a\n", "PNG"),
)
# A procedure's blank form (mẫu đơn, tờ khai) that an administrator uploads for citizens to download.
BLANK_FORM_TYPES = (
    PDF,
    FileType("application/msword", ".doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "DOC", _is_doc),
    FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", b"PK\x03\x04",
             "DOCX", _is_docx),
    FileType("application/vnd.oasis.opendocument.text", ".odt", b"PK\x03\x04", "ODT", _is_odt),
)
HEAD_BYTES = max(len(t.magic) for t in FILE_TYPES + BLANK_FORM_TYPES)


def type_labels(types=FILE_TYPES) -> str:
    """"PDF, JPEG hoặc PNG": the accepted types as a sentence says them."""
    labels = [t.label for t in types]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} hoặc {labels[-1]}"


class FileTooLarge(DomainError):
    status = 413
    code = "file_too_large"


class UnsupportedFileType(DomainError):
    status = 415
    code = "unsupported_media_type"


def upload_limit() -> int:
    return settings.UPLOAD_MAX_BYTES


def too_large(limit: int | None = None) -> FileTooLarge:
    limit = upload_limit() if limit is None else limit
    return FileTooLarge(
        f"Tệp quá lớn: tối đa {limit / (1024 * 1024):.1f} MB ({limit} byte).".replace(".0 MB", " MB"),
        fields={"file": [f"Tối đa {limit} byte."]},
    )


def detect_type(head: bytes, types=FILE_TYPES, uploaded=None) -> FileType | None:
    """The accepted type (of ``types``) whose signature starts ``head`` — and, for a type with a
    closer look (``confirm``), whose content ``uploaded`` is —, or None."""
    for file_type in types:
        if head.startswith(file_type.magic):
            if file_type.confirm is None or (uploaded is not None and file_type.confirm(uploaded)):
                return file_type
    return None


def _digest(uploaded) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        sha.update(chunk)
        size += len(chunk)
    uploaded.seek(0)
    return sha.hexdigest(), size


@dataclass(frozen=True)
class Inspected:
    """What the checks learnt of an accepted upload."""

    file_type: FileType
    sha256: str
    size: int


def inspect_upload(uploaded, already: int = 0, *, types=FILE_TYPES) -> Inspected:
    """The one check of an uploaded file's bytes (the API, the filing page and its drafts; a
    procedure's blank form with ``types=BLANK_FORM_TYPES``): PDF, JPEG or PNG by content (415),
    at most ``settings.UPLOAD_MAX_BYTES`` (413 ``file_too_large``), and with the ``already`` bytes
    of the same dossier or draft at most ``settings.DOSSIER_UPLOAD_MAX_BYTES`` (413
    ``dossier_too_large``). Reads, writes nothing."""
    limit = upload_limit()
    if uploaded.size is not None and uploaded.size > limit:
        raise too_large(limit)
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    file_type = detect_type(head, types, uploaded)
    if file_type is None:
        labels = type_labels(types)
        raise UnsupportedFileType(
            f"Chỉ nhận tệp {labels} (kiểm tra theo nội dung tệp, không theo tên tệp).",
            fields={"file": [f"Tệp không phải {labels}."]},
        )
    sha256, size = _digest(uploaded)
    if size > limit:
        raise too_large(limit)
    total_limit = settings.DOSSIER_UPLOAD_MAX_BYTES
    if already + size > total_limit:
        raise FileTooLarge(
            f"Tổng dung lượng giấy tờ của một hồ sơ tối đa {total_limit / (1024 * 1024):.0f} MB.",
            code="dossier_too_large", fields={"file": [f"Tổng tối đa {total_limit} byte."]},
        )
    return Inspected(file_type, sha256, size)
