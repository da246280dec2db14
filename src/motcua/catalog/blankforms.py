"""The blank forms (mẫu đơn, tờ khai) citizens download from a procedure's page (issue 17 §2):
the one home of which blank a paper offers, and of keeping it.

A paper (``RequiredDocument``) offers, in this order:

1. the file an administrator uploaded (:func:`attach_upload`): PDF, DOC, DOCX or ODT, checked
   by content and size by the one upload check (``uploads.inspect_upload`` with
   ``BLANK_FORM_TYPES``), kept in the storage (``documents.storage``);
2. else, when ``template_blank`` is set, the blank Motcua draws from the catalog
   (``printing.blank_form``, registered here by the printing app: :func:`register_drawer`): made on its first download (or by ``seed-demo``: :func:`make_missing`),
   stored, and drawn again when what it was drawn from changed (``template_generated_from``,
   the fingerprint of its data and templates);
3. else nothing of its own; the link an administrator typed (``template_url``) still shows.

Both are served at one stable public address under the procedure's page,
``/thu-tuc/<code>/mau/<paper id>/<name>`` (:func:`path_of`; the name is only for people), with
their type and a Vietnamese file name (:func:`content_disposition`, RFC 6266/5987). A new version
of the procedure, a catalog import and a national pull keep them (``catalog.versions``).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from urllib.parse import quote

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify

from motcua.catalog.models import RequiredDocument
from motcua.catalog.text import fold, public_text
from motcua.errors import NotFound
from motcua.uploads import BLANK_FORM_TYPES, inspect_upload

PDF_TYPE = "application/pdf"
GENERATED_FOLDER = "forms/blank"
UPLOAD_FOLDER = "forms"
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class Blank:
    """A blank form a paper offers for download."""

    url: str            # the site path: /thu-tuc/<code>/mau/<id>/<name>
    filename: str       # the name the file is saved under, in Vietnamese
    content_type: str
    label: str          # "PDF", "DOCX" …
    size: int | None    # bytes; None for a blank Motcua has not drawn yet
    generated: bool     # drawn by Motcua, not the official file


def _label(content_type: str) -> str:
    return next((t.label for t in BLANK_FORM_TYPES if t.content_type == content_type), "")


def _extension(content_type: str) -> str:
    return next((t.extension for t in BLANK_FORM_TYPES if t.content_type == content_type), "")


def filename_for(document: RequiredDocument, extension: str) -> str:
    """"Tờ khai đăng ký khai sinh.pdf": the paper's name, without what a file name may not hold."""
    base = " ".join(_UNSAFE_IN_NAME.sub("-", unicodedata.normalize("NFC", public_text(document.name))).split())
    return (base[:150].rstrip(" .-") or "mau") + extension


def path_of(document: RequiredDocument, filename: str) -> str:
    """The public address of ``document``'s blank: stable while the paper exists, whatever the file."""
    stem, dot, ext = filename.rpartition(".")
    slug = (slugify(fold(stem)) or "mau") + (f".{ext}" if dot else "")
    return reverse("portal:blank_form", args=[document.procedure.code, document.pk, slug])


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the Vietnamese one (RFC 6266, RFC 5987)."""
    stem, dot, ext = filename.rpartition(".")
    fallback = (slugify(fold(stem)) or "mau") + (f".{ext}" if dot else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _has_upload(document: RequiredDocument) -> bool:
    return bool(document.template_file) and not document.template_generated_from


# Who draws a blank: ``printing.blank_form``, which sits above the catalog and hands its functions
# here in its app's ready() (``register_drawer``); the catalog never imports it (issue 22 §4).
_drawer: dict = {}


def register_drawer(*, data, fingerprint, render) -> None:
    """``data(document)`` → what the blank shows; ``fingerprint(data)`` → the text that changes
    when it does; ``render(data)`` → the PDF's bytes."""
    _drawer.update(data=data, fingerprint=fingerprint, render=render)


def _blank_data(document: RequiredDocument):
    data = _drawer["data"](document)
    return data, _drawer["fingerprint"](data)


def offered(document: RequiredDocument) -> Blank | None:
    """The blank form ``document`` offers for download, or None (an external link may remain)."""
    if _has_upload(document):
        return Blank(path_of(document, document.template_filename), document.template_filename,
                     document.template_content_type, _label(document.template_content_type),
                     document.template_size, generated=False)
    if not document.template_blank:
        return None
    _, print_ = _blank_data(document)
    current = bool(document.template_file) and document.template_generated_from == print_
    filename = filename_for(document, ".pdf")
    return Blank(path_of(document, filename), filename, PDF_TYPE, "PDF",
                 document.template_size if current else None, generated=True)


# ------------------------------------------------------------------ keeping them

def _forget_later(name: str, keep_pk: int) -> None:
    """Remove a replaced upload from the storage once committed, unless another paper (an
    earlier version of the procedure keeps its papers) still points at it."""
    def forget():
        if name and not RequiredDocument.objects.filter(template_file=name).exclude(pk=keep_pk).exists():
            default_storage.delete(name)
    transaction.on_commit(forget)


def attach_upload(document: RequiredDocument, uploaded) -> RequiredDocument:
    """Keep ``uploaded`` as ``document``'s blank form: PDF, DOC, DOCX or ODT by content (415 with a
    Vietnamese message otherwise), at most the upload limit (413). Replaces an earlier one."""
    checked = inspect_upload(uploaded, types=BLANK_FORM_TYPES)
    extension = checked.file_type.extension
    stored = default_storage.save(f"{UPLOAD_FOLDER}/{uuid.uuid4().hex}{extension}", uploaded)
    previous = document.template_file.name if _has_upload(document) else ""
    try:
        with transaction.atomic():
            document.template_file = stored
            document.template_filename = filename_for(document, extension)
            document.template_content_type = checked.file_type.content_type
            document.template_size = checked.size
            document.template_generated_from = ""
            document.save(update_fields=["template_file", "template_filename", "template_content_type",
                                         "template_size", "template_generated_from"])
            _forget_later(previous, document.pk)
    except BaseException:
        default_storage.delete(stored)
        raise
    return document


def remove_upload(document: RequiredDocument) -> RequiredDocument:
    """Forget ``document``'s uploaded blank form (a blank Motcua draws, if asked, takes its place)."""
    if _has_upload(document):
        _forget_later(document.template_file.name, document.pk)
        document.template_file = ""
        document.template_filename = document.template_content_type = ""
        document.template_size = None
        document.save(update_fields=["template_file", "template_filename", "template_content_type",
                                     "template_size"])
    return document


def ensure_drawn(document: RequiredDocument) -> RequiredDocument:
    """Draw and store ``document``'s blank when it has none or the catalog changed since. Files are
    named by their fingerprint, so the same blank is stored once and a second request reuses it."""
    data, print_ = _blank_data(document)
    if document.template_file and document.template_generated_from == print_:
        return document
    name = f"{GENERATED_FOLDER}/{print_}.pdf"
    if default_storage.exists(name):
        size = default_storage.size(name)
    else:
        content = _drawer["render"](data)
        name, size = default_storage.save(name, ContentFile(content)), len(content)
    with transaction.atomic():
        fresh = RequiredDocument.objects.select_for_update().filter(pk=document.pk).first()
        if fresh is None or _has_upload(fresh) or not fresh.template_blank:
            return fresh or document
        RequiredDocument.objects.filter(pk=document.pk).update(
            template_file=name, template_filename=filename_for(document, ".pdf"), template_content_type=PDF_TYPE,
            template_size=size, template_generated_from=print_)
    document.refresh_from_db()
    return document


def make_missing() -> int:
    """Draw every blank asked for and not yet current (``seed-demo``): how many were drawn."""
    drawn = 0
    for document in RequiredDocument.objects.filter(template_blank=True).select_related("procedure"):
        blank = offered(document)
        if blank is not None and blank.generated and blank.size is None:
            ensure_drawn(document)
            drawn += 1
    return drawn


# ------------------------------------------------------------------ serving them

def open_blank(code: str, paper_id) -> tuple[object, Blank]:
    """The open stored file and its :class:`Blank` of paper ``paper_id`` of procedure ``code``;
    NotFound when the paper offers none (or the storage lost it)."""
    try:
        paper_id = int(paper_id)
    except (TypeError, ValueError):
        paper_id = None
    document = (RequiredDocument.objects.select_related("procedure").filter(pk=paper_id, procedure__code=code).first()
                if paper_id is not None else None)
    blank = offered(document) if document is not None else None
    if blank is None:
        raise NotFound("Giấy tờ này không có mẫu để tải về.", code="blank_form_not_found")
    for attempt in range(2):
        if blank.generated and blank.size is None:
            document = ensure_drawn(document)
            blank = offered(document)
            if blank is None:
                break
        try:
            return default_storage.open(document.template_file.name, "rb"), blank
        except (FileNotFoundError, OSError):
            if not blank.generated or attempt:
                break
            # A drawn blank the storage lost is drawn again.
            RequiredDocument.objects.filter(pk=document.pk).update(template_generated_from="")
            document.refresh_from_db()
            blank = offered(document)
    raise NotFound("Tệp mẫu không còn trong kho lưu trữ.", code="blank_form_missing")
