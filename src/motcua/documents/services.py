"""Dossier documents: upload (checked by content), list, open (the printed forms: ``motcua.printing``).

Rules:
- Who uploads: the dossier's owner (while the dossier is open) and the counter officers,
  specialists and leaders of a unit that took part in it. Only officers upload a result.
- What: PDF, JPEG or PNG, recognised by the file's first bytes, never by its name (a
  procedure's blank form, uploaded by an administrator: PDF, DOC, DOCX or ODT, ``BLANK_FORM_TYPES``,
  by the same check).
- How big: at most ``settings.UPLOAD_MAX_BYTES`` (413 beyond).
- Nothing is written when a check fails; a file stored before a failing database write
  is removed again, so no orphan is left on disk.
- The same bytes of the same citizen are stored once: a later upload links the earlier
  copy (``reused_from``), which is what Decision 766 indicator 4.3 counts. Not a result: it is
  an original issued now, stored as its own file so that it is signed.
- A result uploaded as a JPEG or PNG image is stored as a one-page PDF of it (``scans.image_as_pdf``,
  never OCR'd), signed like any PDF result; the image as it came is kept (``DossierFile.original``).
"""

from __future__ import annotations

import hashlib
import posixpath
import unicodedata
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import RequiredDocument
from motcua.documents import store
from motcua.documents.models import RESULT_KIND, DossierFile
from motcua.dossiers.audit import record_event
from motcua.dossiers.models import OPEN_STATUSES, Dossier
from motcua.dossiers.scope import get_visible, handles
from motcua.dossiers.workflow import Action
from motcua.errors import Conflict, Forbidden, InvalidInput, NotFound
from motcua.uploads import PDF, FileTooLarge, inspect_upload


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

def _earlier_copy(dossier: Dossier, sha256: str, size: int) -> DossierFile | None:
    """A file with the same bytes already digitised for the same citizen, if any (the same
    scan again, when the first was digitised into a PDF/A since, is found by its original)."""
    same_person = Q(dossier__applicant_id_number=dossier.applicant_id_number)
    if dossier.owner_id:
        same_person |= Q(dossier__owner_id=dossier.owner_id)
    same_bytes = Q(sha256=sha256, size=size) | Q(digitisation__original_sha256=sha256)
    return (DossierFile.objects.filter(same_person, same_bytes, reused_from__isnull=True)
            .order_by("id").first())


def papers_size(dossier: Dossier) -> int:
    """The bytes of a dossier's papers so far (results do not count toward the limit)."""
    return DossierFile.objects.filter(dossier=dossier, is_result=False).aggregate(n=Sum("size"))["n"] or 0


def upload_document(user: User, code: str, uploaded, kind: str = "", *, digitise: bool = False,
                    metadata: dict | None = None) -> DossierFile:
    """Attach ``uploaded`` (a Django ``UploadedFile``) to dossier ``code`` as ``user``.

    ``digitise`` (an officer handling the dossier; ignored for a result): the scan is examined now and made a
    PDF/A with a text layer in the background (``documents.digitisation``). ``metadata``
    (an officer too): the paper's number, owner's ID number, issuer, dates and validity."""
    from motcua.documents import digitisation, scans

    dossier = get_visible(user, code)
    is_result = " ".join(str(kind or "").split()) == RESULT_KIND
    _check_upload_allowed(user, dossier, is_result)
    # A result is born digital (an electronic original, to be signed), not a scan: it is
    # never run through OCR, whatever the form's digitise box said.
    digitise = digitise and not is_result
    if (digitise or metadata) and not digitisation.may_digitise(user, dossier):
        raise Forbidden("Chỉ cán bộ xử lý hồ sơ được số hóa và ghi thông tin giấy tờ.", code="digitise_by_officer_only")
    kind = _clean_kind(dossier, kind)
    described = digitisation.clean_metadata(metadata) if metadata else {}
    checked = inspect_upload(uploaded, already=0 if is_result else papers_size(dossier))
    sha256, size, file_type = checked.sha256, checked.size, checked.file_type
    facts = scans.examine(uploaded, file_type.content_type) if digitise else None
    name = clean_filename(getattr(uploaded, "name", ""))
    # A result as a JPEG or PNG image: stored as the PDF made of it, so that it is signed like any
    # PDF result (signing.services); the image as it came is kept beside it (``original``).
    as_pdf = scans.image_as_pdf(uploaded) if is_result and file_type.content_type != PDF.content_type else None

    stored = []
    try:
        with transaction.atomic():
            # A result is an original issued now, to be signed: never a link to an earlier copy.
            earlier = None if is_result else _earlier_copy(dossier, sha256, size)
            image = {}
            if earlier is not None:
                storage_name = earlier.file.name
            else:
                now = timezone.now()
                target = f"documents/{now:%Y/%m}/{uuid.uuid4().hex}{file_type.extension}"
                storage_name = default_storage.save(target, uploaded)
                stored.append(storage_name)
            if as_pdf is not None:
                image = {"original": storage_name, "original_content_type": file_type.content_type}
                storage_name = default_storage.save(f"documents/{now:%Y/%m}/{uuid.uuid4().hex}.pdf", ContentFile(as_pdf))
                stored.append(storage_name)
                sha256, size, file_type = hashlib.sha256(as_pdf).hexdigest(), len(as_pdf), PDF
                name = f"{posixpath.splitext(name)[0] or 'ket-qua'}.pdf"[-255:]
            record = DossierFile.objects.create(
                dossier=dossier, kind=kind, name=name, file=storage_name,
                sha256=earlier.sha256 if earlier else sha256, size=earlier.size if earlier else size,
                content_type=earlier.content_type if earlier else file_type.content_type, is_result=is_result,
                reused_from=earlier, uploaded_by=user, **image, **described,
            )
            # What the trail says is visible to the owner: never whether someone else's
            # file had the same bytes (``reused_from`` stays for indicator 4.3).
            record_event(
                dossier.pk, action=Action.UPLOAD_DOCUMENT, actor=user,
                changes={"document": {"id": record.pk, "name": record.name, "kind": kind, "sha256": record.sha256,
                                      "size": record.size, "is_result": is_result,
                                      **({"digitise": True} if facts else {}),
                                      **({"from_image": image["original_content_type"]} if image else {})}},
            )
            if facts is not None:
                digitisation.request_digitisation(user, record, facts)
    except BaseException:
        for stored_name in stored:
            default_storage.delete(stored_name)
        raise
    return record


def store_received_paper(dossier: Dossier, uploaded, *, name: str, kind: str = "", actor: User | None = None,
                         actor_name: str = "") -> DossierFile:
    """A paper that arrived with a dossier from another system (the national portal's forwarded
    dossier: motcua.national): checked exactly like an upload (:func:`inspect_upload`: type by
    content 415, size 413), stored, and recorded on the trail. No scope check: the caller is the
    intake that holds the dossier. ``kind`` is matched to the procedure's papers by name or by
    national code (``MaThanhPhanHoSo``: ``papers.paper_named``); "" if it names none."""
    from motcua.documents.papers import paper_named, procedure_papers

    paper = paper_named(procedure_papers(dossier.procedure), kind) if kind and kind != RESULT_KIND else None
    kind = paper.name if paper is not None else ""
    checked = inspect_upload(uploaded, already=papers_size(dossier))
    now = timezone.now()
    stored_name = default_storage.save(f"documents/{now:%Y/%m}/{uuid.uuid4().hex}{checked.file_type.extension}", uploaded)
    try:
        with transaction.atomic():
            record = DossierFile.objects.create(
                dossier=dossier, kind=kind, name=clean_filename(name), file=stored_name, sha256=checked.sha256,
                size=checked.size, content_type=checked.file_type.content_type, is_result=False, uploaded_by=actor,
            )
            record_event(
                dossier.pk, action=Action.UPLOAD_DOCUMENT, actor=actor, actor_name=actor_name,
                changes={"document": {"id": record.pk, "name": record.name, "kind": kind, "sha256": record.sha256,
                                      "size": record.size, "is_result": False}},
            )
    except BaseException:
        default_storage.delete(stored_name)
        raise
    return record


# ---------------------------------------------------------------- the citizen's store

def my_documents(user: User) -> list[DossierFile]:
    """The papers and results of ``user``'s own dossiers (docs/api.md ``GET /me/documents``), newest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(DossierFile.objects.filter(dossier__owner=user)
                .select_related("dossier", "dossier__procedure", "digitisation", "reused_from", "reused_from__digitisation")
                .order_by("-uploaded_at", "-id"))


def own_document(user: User, file_id) -> DossierFile:
    """One paper of ``user``'s own dossiers; anyone else's (or none) is 404, telling nothing."""
    try:
        file_id = int(file_id)
    except (TypeError, ValueError):
        file_id = None
    record = (DossierFile.objects.filter(pk=file_id, dossier__owner=user).select_related("dossier").first()
              if file_id is not None and getattr(user, "is_authenticated", False) else None)
    if record is None:
        raise NotFound("Không tìm thấy giấy tờ này trong kho của bạn.", code="document_not_found",
                       fields={"reuse": ["Không có trong kho giấy tờ của bạn."]})
    return record


def reuse_document(user: User, code: str, file_id, kind: str = "") -> DossierFile:
    """Attach one of the owner's stored papers to their dossier ``code`` without uploading it
    again (docs/api.md ``{"reuse": id, "kind": K}``): same bytes, same ``sha256``, linked to
    the first copy (``reused_from``, Decision 766 indicator 4.3). Only the owner, only their papers."""
    dossier = get_visible(user, code)
    if dossier.owner_id is None or dossier.owner_id != user.pk:
        raise Forbidden("Chỉ chủ hồ sơ được dùng lại giấy tờ trong kho của mình.", code="reuse_not_allowed")
    _check_upload_allowed(user, dossier, is_result=False)
    source = own_document(user, file_id)
    kind = _clean_kind(dossier, kind)
    if store.validity(source) == store.Validity.EXPIRED:
        until = store.paper_facts(source).valid_until
        raise Conflict(f"Giấy tờ “{source.name}” đã hết hiệu lực (đến {until:%d/%m/%Y}): không dùng lại được, "
                       "hãy nộp bản còn hiệu lực.", code="document_expired",
                       fields={"reuse": ["Giấy tờ đã hết hiệu lực."]})
    if papers_size(dossier) + source.size > settings.DOSSIER_UPLOAD_MAX_BYTES:
        raise FileTooLarge("Tổng dung lượng giấy tờ của hồ sơ vượt giới hạn.", code="dossier_too_large",
                           fields={"reuse": ["Vượt tổng dung lượng cho phép."]})
    first = source.reused_from or source
    with transaction.atomic():
        record = DossierFile.objects.create(
            dossier=dossier, kind=kind, name=source.name, file=source.file.name, sha256=source.sha256,
            size=source.size, content_type=source.content_type, is_result=False, reused_from=first, uploaded_by=user,
            from_store=True,
        )
        # Where the paper came from: one of the owner's own dossiers (their store), so the
        # trail may name it (TT 01/2023: reuse records its source).
        record_event(
            dossier.pk, action=Action.UPLOAD_DOCUMENT, actor=user,
            changes={"document": {"id": record.pk, "name": record.name, "kind": kind, "sha256": record.sha256,
                                  "size": record.size, "is_result": False, "from_store": True,
                                  "reused_from": {"dossier": first.dossier.code, "id": first.pk,
                                                  "is_result": first.is_result}}},
        )
    return record


# ---------------------------------------------------------------- read

def list_documents(user: User, code: str) -> list[DossierFile]:
    dossier = get_visible(user, code)
    return list(DossierFile.objects.filter(dossier=dossier)
                .select_related("digitisation", "reused_from", "reused_from__digitisation", "reused_from__dossier")
                .order_by("uploaded_at", "id"))


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
