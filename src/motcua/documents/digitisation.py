"""Digitisation at the counter (số hóa, TT 01/2023/TT-VPCP): a paper's scan made a PDF/A with
a text layer, in the background, with its metadata; and the staff's search of that text.

The flow:

1. An officer who handles the dossier uploads a scan with ``digitise=true`` (the API, or
   the office page). :func:`scans.examine` reads it first — a damaged, password-protected or
   signed PDF, or one over ``settings.DIGITISE_MAX_PAGES`` pages, is refused with a clear
   4xx and nothing is stored. Otherwise the scan is stored as uploaded and a
   :class:`Digitisation` (``pending``) is written in the upload's transaction; its first
   step is enqueued when that commits. The request never waits for OCR.
2. The worker runs :func:`run_step`: :data:`PAGES_PER_STEP` pages through OCRmyPDF
   (``documents/ocr.py``), the part saved in the storage, the progress and text written,
   and the next step enqueued — so a 200-page scan takes twenty short tasks, the other
   background work (notifications) runs between them, and a worker killed mid-way loses
   one step at most (:func:`resume_stalled` re-enqueues it).
3. The last step joins the parts into one PDF/A, which becomes the file served (the same
   row, and every row that reused it), records ``digitise_document`` in the trail, and
   keeps the text for search. The scan as uploaded stays in ``Digitisation.original``.

Without Tesseract (``ocr.available()`` false) the scan is kept as it is: ``done`` but not
``recognised`` — "chưa nhận dạng chữ" — and ``check --deploy`` warns. A failure the input
causes is ``failed`` with the reason at once; any other is retried (:data:`RETRY_DELAYS`)
before it is. Nothing is lost either way: the uploaded scan is still the file served.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import posixpath
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from motcua import dates
from motcua.catalog.text import fold, tokens
from motcua.documents import ocr, scans
from motcua.documents.models import Digitisation, DigitisationStatus, DossierFile
from motcua.dossiers.audit import record_event
from motcua.dossiers.scope import get_visible, handles, visible_dossiers
from motcua.identifiers import normalise_id_number
from motcua.dossiers.workflow import Action
from motcua.errors import Forbidden, InvalidInput, NotFound
from motcua.server.tasks import task

log = logging.getLogger(__name__)

PAGES_PER_STEP = 10  # pages one background task recognises (about a minute on one core)
RETRY_DELAYS = (60, 300, 1800)  # seconds before the 2nd, 3rd and 4th try of a failing step
STALLED_AFTER = dt.timedelta(hours=1)  # a step started this long ago and not finished was lost
WORK_DIR = "digitised/work"
UNRECOGNISED = "chưa nhận dạng chữ"


def may_digitise(user, dossier) -> bool:
    """Officers of a unit that handles the dossier digitise its papers (not the applicant)."""
    return handles(user, dossier)


def _forbidden() -> Forbidden:
    return Forbidden("Chỉ cán bộ xử lý hồ sơ được số hóa giấy tờ.", code="digitise_by_officer_only")


# ------------------------------------------------------------------ the paper's metadata

METADATA_FIELDS = ("paper_code", "owner_id_number", "issuer", "issued_on", "valid_until", "valid_forever")
_ID = re.compile(r"[0-9]{9,13}")


def _date(raw, field: str) -> dt.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date):
        return dates.check(raw, field)
    try:
        value = dt.date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        raise InvalidInput("Ngày không hợp lệ.", code="invalid_date", fields={field: ["Nhập ngày dạng YYYY-MM-DD."]}) from None
    return dates.check(value, field)


def clean_metadata(raw: dict) -> dict:
    """The paper's metadata from a form or a JSON body, checked (422 naming each field);
    only the keys given are returned."""
    cleaned: dict = {}
    problems: dict[str, list[str]] = {}
    for field, limit in (("paper_code", 100), ("issuer", 255)):
        if field in raw:
            value = " ".join(str(raw[field] or "").split())
            if len(value) > limit:
                problems[field] = [f"Tối đa {limit} ký tự."]
            cleaned[field] = value
    if "owner_id_number" in raw:
        value = normalise_id_number(str(raw["owner_id_number"] or ""))
        if value and not _ID.fullmatch(value):
            problems["owner_id_number"] = ["Số định danh gồm 9 đến 13 chữ số (căn cước 12 số, mã số thuế 10 hoặc 13 số)."]
        cleaned["owner_id_number"] = value
    for field in ("issued_on", "valid_until"):
        if field in raw:
            try:
                cleaned[field] = _date(raw[field], field)
            except InvalidInput as error:
                problems.update(error.fields)
    if "valid_forever" in raw:
        value = raw["valid_forever"]
        cleaned["valid_forever"] = value is True or str(value).strip().lower() in {"1", "true", "on", "yes"}
    if cleaned.get("valid_forever") and cleaned.get("valid_until"):
        problems["valid_until"] = ["Giấy tờ có hiệu lực vĩnh viễn thì không ghi ngày hết hiệu lực."]
    if cleaned.get("issued_on") and cleaned.get("valid_until") and cleaned["valid_until"] < cleaned["issued_on"]:
        problems["valid_until"] = ["Ngày hết hiệu lực trước ngày ban hành."]
    if problems:
        raise InvalidInput("Thông tin giấy tờ chưa hợp lệ.", code="invalid_metadata", fields=problems)
    return cleaned


def describe(user, code: str, file_id, raw: dict) -> DossierFile:
    """Set the metadata of one paper of dossier ``code`` (an officer who handles it)."""
    dossier = get_visible(user, code)
    if not may_digitise(user, dossier):
        raise _forbidden()
    record = DossierFile.objects.filter(dossier=dossier, pk=_int(file_id)).first()
    if record is None:
        raise NotFound("Không tìm thấy tệp này trong hồ sơ.", code="document_not_found")
    cleaned = clean_metadata(raw)
    with transaction.atomic():
        changed = apply_metadata(record, cleaned)
        if changed:
            record_event(dossier.pk, action=Action.DESCRIBE_DOCUMENT, actor=user,
                         changes={"document": {"id": record.pk, "name": record.name, "fields": changed}})
    return record


def apply_metadata(record: DossierFile, cleaned: dict) -> list[str]:
    """Write ``cleaned`` on ``record``; the names of the fields that changed (the trail
    records names only: the owner's ID number is never copied into it)."""
    changed = [f for f, v in cleaned.items() if getattr(record, f) != v]
    for field in changed:
        setattr(record, field, cleaned[field])
    if changed:
        record.save(update_fields=changed)
    return changed


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------ asking for it

def paper_of(record: DossierFile) -> DossierFile:
    """The row that owns the stored paper: the first copy when ``record`` reuses one."""
    return record.reused_from if record.reused_from_id else record


def digitisation_of(record: DossierFile) -> Digitisation | None:
    paper = paper_of(record)
    try:
        return paper.digitisation
    except Digitisation.DoesNotExist:
        return None


def status_of(record: DossierFile) -> str | None:
    """docs/api.md ``digitised``: ``pending``, ``done``, ``failed`` or None (never asked)."""
    found = digitisation_of(record)
    return found.status if found is not None else None


def request_digitisation(user, record: DossierFile, facts: scans.ScanFacts) -> Digitisation:
    """Queue the digitisation of the paper ``record`` holds (inside the caller's transaction;
    the first step is enqueued once it commits). A paper already digitised, or on its way,
    is not digitised twice."""
    paper = paper_of(record)
    existing = Digitisation.objects.filter(file=paper).first()
    if existing is not None:
        return existing
    found = Digitisation.objects.create(
        file=paper, pages=facts.pages, scripts_removed=facts.scripts, image_dpi=facts.image_dpi,
        original=paper.file.name, original_sha256=paper.sha256, original_content_type=paper.content_type,
        requested_by=user, step="Đang chờ xử lý",
    )
    _enqueue_on_commit(found.pk)
    return found


def _enqueue_on_commit(digitisation_id: int, run_after: dt.datetime | None = None) -> None:
    def enqueue() -> None:
        if run_after is None:
            digitise_step.enqueue(digitisation_id)
        else:
            digitise_step.using(run_after=run_after).enqueue(digitisation_id)

    transaction.on_commit(enqueue, robust=True)


def retry(user, code: str, file_id) -> Digitisation:
    """Start a failed (or stalled) digitisation again from its first page."""
    dossier = get_visible(user, code)
    if not may_digitise(user, dossier):
        raise _forbidden()
    record = DossierFile.objects.filter(dossier=dossier, pk=_int(file_id)).first()
    found = digitisation_of(record) if record is not None else None
    if found is None:
        raise NotFound("Giấy tờ này chưa được yêu cầu số hóa.", code="not_digitised")
    with transaction.atomic():
        _restart(found)
    found.refresh_from_db()
    return found


def _restart(found: Digitisation) -> None:
    _remove_work(found.pk)
    Digitisation.objects.filter(pk=found.pk).exclude(status=DigitisationStatus.DONE, recognised=True).update(
        status=DigitisationStatus.PENDING, pages_done=0, text="", search_text="", error="", error_code="",
        attempts=0, started_at=None, finished_at=None, step="Đang chờ xử lý",
    )
    _enqueue_on_commit(found.pk)


def resume_stalled(now: dt.datetime | None = None) -> int:
    """Re-enqueue the digitisations whose step was lost (a worker killed mid-step, a queue
    entry gone); returns how many. The daily task, and the office page's "Số hóa lại"."""
    now = now or timezone.now()
    stalled = Digitisation.objects.filter(status=DigitisationStatus.PENDING).filter(
        Q(started_at__lt=now - STALLED_AFTER) | Q(started_at__isnull=True, requested_at__lt=now - STALLED_AFTER))
    count = 0
    for found_id in stalled.values_list("pk", flat=True):
        Digitisation.objects.filter(pk=found_id).update(started_at=None)
        digitise_step.enqueue(found_id)
        count += 1
    return count


# ------------------------------------------------------------------ the background steps

@task()
def digitise_step(digitisation_id: int) -> str:
    """The background task: one step of :func:`run_step`."""
    return run_step(digitisation_id)


@task()
def resume_stalled_digitisations() -> int:
    """The daily task: :func:`resume_stalled`."""
    return resume_stalled()


def run_step(digitisation_id: int) -> str:
    """Recognise the next :data:`PAGES_PER_STEP` pages; finish when none are left. Returns
    the status afterwards."""
    found = Digitisation.objects.select_related("file").filter(pk=digitisation_id).first()
    if found is None or found.status != DigitisationStatus.PENDING:
        return found.status if found else ""
    start = found.pages_done
    Digitisation.objects.filter(pk=found.pk).update(started_at=timezone.now(), attempts=F("attempts") + 1)
    if not ocr.available():
        return _keep_unrecognised(found)
    stop = min(start + PAGES_PER_STEP, found.pages)
    step = f"Đang nhận dạng chữ trang {start + 1}–{stop}/{found.pages}"
    Digitisation.objects.filter(pk=found.pk).update(step=step)
    try:
        with tempfile.TemporaryDirectory(prefix="motcua-ocr-") as tmp:
            text = _recognise_part(found, start, stop, Path(tmp))
    except ocr.OcrUnavailable:
        return _keep_unrecognised(found)
    except ocr.OcrFailed as error:
        return _failed(found, error)
    moved = Digitisation.objects.filter(pk=found.pk, status=DigitisationStatus.PENDING, pages_done=start).update(
        pages_done=stop, text=(found.text + "\n\n" + text).strip() if found.text else text, error="", error_code="",
        attempts=0, step=f"Đã nhận dạng {stop}/{found.pages} trang",
    )
    if not moved:  # another step did these pages meanwhile (a resumed duplicate): its result stands
        return Digitisation.objects.get(pk=found.pk).status
    if stop < found.pages:
        digitise_step.enqueue(found.pk)
        return DigitisationStatus.PENDING
    return _finish(Digitisation.objects.select_related("file", "requested_by").get(pk=found.pk))


def _part_name(digitisation_id: int, start: int) -> str:
    return f"{WORK_DIR}/{digitisation_id}/part-{start:05d}.pdf"


def _recognise_part(found: Digitisation, start: int, stop: int, tmp: Path) -> str:
    extension = ".pdf" if found.original_content_type == "application/pdf" else (
        ".png" if found.original_content_type == "image/png" else ".jpg")
    source = tmp / f"scan{extension}"
    try:
        with default_storage.open(found.original.name, "rb") as stored, source.open("wb") as local:
            shutil.copyfileobj(stored, local)
    except OSError:
        raise ocr.OcrFailed("scan_missing", "Không đọc được bản quét trong kho lưu trữ, sẽ thử lại.", False) from None
    if extension == ".pdf":
        pages = tmp / "pages.pdf"
        try:
            scans.copy_pages(source, start, stop, pages)
        except (pikepdf.PdfError, ValueError, KeyError, IndexError):  # a damaged file: the input is at fault
            raise ocr.OcrFailed("scan_unreadable", "Không đọc được các trang của bản quét.", True) from None
        source = pages
    target = tmp / "part.pdf"
    ocr.recognise(source, target, image_dpi=found.image_dpi)
    name = _part_name(found.pk, start)
    if default_storage.exists(name):
        default_storage.delete(name)
    with target.open("rb") as handle:
        default_storage.save(name, File(handle))
    return scans.text_of(target)


def _keep_unrecognised(found: Digitisation) -> str:
    """No OCR on this machine: the scan stays the file served, flagged "chưa nhận dạng chữ"."""
    with transaction.atomic():
        done = Digitisation.objects.filter(pk=found.pk, status=DigitisationStatus.PENDING).update(
            status=DigitisationStatus.DONE, recognised=False, finished_at=timezone.now(), step=UNRECOGNISED,
            error_code="ocr_missing", error="Máy chủ chưa cài Tesseract (tiếng Việt): bản quét được giữ nguyên, "
                                            "chưa nhận dạng chữ.",
        )
        if done:
            _record_digitised(found, recognised=False)
    _remove_work(found.pk)
    return DigitisationStatus.DONE


def _failed(found: Digitisation, error: ocr.OcrFailed) -> str:
    attempt = Digitisation.objects.filter(pk=found.pk).values_list("attempts", flat=True).first() or 1
    if not error.permanent and attempt <= len(RETRY_DELAYS):
        wait = dt.timedelta(seconds=RETRY_DELAYS[attempt - 1])
        Digitisation.objects.filter(pk=found.pk).update(error_code=error.code, error=error.message[:500],
                                                       step="Tạm dừng, sẽ thử lại")
        digitise_step.using(run_after=timezone.now() + wait).enqueue(found.pk)
        log.warning("digitisation %s step failed (%s); next try in %s s", found.pk, error.code, int(wait.total_seconds()))
        return DigitisationStatus.PENDING
    Digitisation.objects.filter(pk=found.pk, status=DigitisationStatus.PENDING).update(
        status=DigitisationStatus.FAILED, error_code=error.code, error=error.message[:500],
        finished_at=timezone.now(), step="")
    log.warning("digitisation %s failed: %s", found.pk, error.code)
    _remove_work(found.pk)
    return DigitisationStatus.FAILED


def _finish(found: Digitisation) -> str:
    """Join the parts into the PDF/A that becomes the paper's file."""
    parts = [_part_name(found.pk, start) for start in range(0, found.pages, PAGES_PER_STEP)]
    with tempfile.TemporaryDirectory(prefix="motcua-ocr-") as tmp:
        local = []
        try:
            for i, name in enumerate(parts):
                path = Path(tmp) / f"{i:05d}.pdf"
                with default_storage.open(name, "rb") as stored, path.open("wb") as handle:
                    shutil.copyfileobj(stored, handle)
                local.append(path)
        except OSError:  # a part lost (storage cleaned, steps of another size): do them again
            with transaction.atomic():
                _restart(found)
            return DigitisationStatus.PENDING
        whole = Path(tmp) / "whole.pdf"
        if len(local) == 1:
            shutil.copyfile(local[0], whole)
        else:
            scans.join(local, whole)
        sha = hashlib.sha256()
        with whole.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                sha.update(chunk)
        size = whole.stat().st_size
        with whole.open("rb") as handle:
            stored_name = default_storage.save(f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf", File(handle))
    try:
        with transaction.atomic():
            locked = Digitisation.objects.select_for_update().get(pk=found.pk)
            if locked.status != DigitisationStatus.PENDING:
                raise _Superseded
            paper = DossierFile.objects.get(pk=found.file_id)
            served = paper.file.name
            name = posixpath.splitext(paper.name)[0] + ".pdf"
            DossierFile.objects.filter(Q(pk=paper.pk) | Q(reused_from=paper, file=served)).update(
                file=stored_name, sha256=sha.hexdigest(), size=size, content_type="application/pdf", name=name)
            Digitisation.objects.filter(pk=found.pk).update(
                status=DigitisationStatus.DONE, recognised=True, finished_at=timezone.now(), step="",
                search_text=fold(locked.text), error="", error_code="")
            paper.refresh_from_db()
            _record_digitised(found, recognised=True, paper=paper)
    except _Superseded:
        default_storage.delete(stored_name)
        return Digitisation.objects.get(pk=found.pk).status
    except BaseException:
        default_storage.delete(stored_name)
        raise
    _remove_work(found.pk)
    return DigitisationStatus.DONE


class _Superseded(Exception):
    pass


def _record_digitised(found: Digitisation, *, recognised: bool, paper: DossierFile | None = None) -> None:
    paper = paper or DossierFile.objects.get(pk=found.file_id)
    record_event(
        paper.dossier_id, action=Action.DIGITISE_DOCUMENT, actor=found.requested_by,
        changes={"document": {"id": paper.pk, "name": paper.name, "sha256": paper.sha256, "size": paper.size,
                              "pages": found.pages, "recognised": recognised,
                              "scripts_removed": bool(found.scripts_removed and recognised)}},
    )


def _remove_work(digitisation_id: int) -> None:
    folder = f"{WORK_DIR}/{digitisation_id}"
    try:
        _, names = default_storage.listdir(folder)
    except (FileNotFoundError, OSError, NotImplementedError):
        return
    for name in names:
        try:
            default_storage.delete(f"{folder}/{name}")
        except OSError:
            pass


# ------------------------------------------------------------------ staff search

@dataclass(frozen=True)
class Found:
    record: DossierFile
    snippet: str


SNIPPET_CHARS = 80


def search(user, query: str, limit: int = 50) -> list[Found]:
    """Digitised papers whose recognised text holds every word of ``query`` (case and
    diacritics ignored), among the dossiers ``user`` may see (``dossiers.scope``), newest first."""
    words = tokens(query)[:10]
    if not words:
        return []
    found = Digitisation.objects.filter(status=DigitisationStatus.DONE, recognised=True,
                                        file__dossier__in=visible_dossiers(user))
    for word in words:
        found = found.filter(search_text__contains=word)
    rows = found.select_related("file", "file__dossier", "file__dossier__procedure").order_by("-finished_at", "-pk")[:limit]
    return [Found(row.file, snippet(row.text, words)) for row in rows]


@functools.lru_cache(maxsize=4096)
def _folded_char(ch: str) -> str:
    folded = fold(ch)
    return folded[0] if folded else " "


def snippet(text: str, words: list[str]) -> str:
    """A few words of ``text`` around the first of ``words`` found in it."""
    lines = " ".join(text.split())
    folded = "".join(_folded_char(ch) for ch in lines)  # one character for each: positions agree
    at = folded.find(words[0]) if words else -1
    if at < 0:
        return lines[:SNIPPET_CHARS * 2]
    start = max(0, at - SNIPPET_CHARS)
    end = min(len(lines), at + len(words[0]) + SNIPPET_CHARS)
    return ("…" if start else "") + lines[start:end] + ("…" if end < len(lines) else "")
