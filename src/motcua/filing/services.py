"""Online filing (``/thu-tuc/{code}/nop-ho-so/``): drafts, their steps, and the submission.

The steps keep what the citizen typed in a server-side :class:`Draft`; nothing here
decides a rule of its own:
- the applicant is checked by ``dossiers.validation.check_applicant``;
- the answers by ``catalog.formfields.check_answers`` (the procedure's form);
- each file by ``documents.services.inspect_upload`` (type by content, size limits);
- the submission is ``dossiers.intake.receive_dossier`` (the one intake path), then each
  paper through ``documents.services.upload_document`` / ``reuse_document``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from motcua.catalog import services as catalog
from motcua.catalog.formfields import check_answers
from motcua.catalog.models import CopyType, OnlineLevel, Procedure, RequiredDocument, Unit
from motcua import uploads
from motcua.documents import services as documents
from motcua.dossiers.intake import receive_dossier
from motcua.dossiers.models import Channel, Delivery, Dossier
from motcua.dossiers.validation import check_applicant
from motcua.errors import DomainError, InvalidInput
from motcua.filing.models import Draft, DraftPaper

# The steps in order: (slug in the address, title).
STEPS = ("nguoi-nop", "to-khai", "giay-to", "nhan-ket-qua", "xem-lai")


class DraftExpired(DomainError):
    status = 410
    code = "draft_expired"


class NotOffered(DomainError):
    status = 404
    code = "not_offered_online"


def expiry(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) + dt.timedelta(days=settings.DRAFT_DAYS)


def units_for(procedure: Procedure) -> list[Unit]:
    """The units in force that perform ``procedure`` (at its levels), in tree order."""
    return [u for u in Unit.objects.valid_on().filter(level__in=procedure.level_list).order_by("path")]


def filing_procedure(code: str) -> Procedure:
    procedure = catalog.get_procedure(code)
    if procedure.online_level == OnlineLevel.NONE or not Procedure.objects.valid_on().filter(pk=procedure.pk).exists():
        raise NotOffered("Thủ tục này chưa được nộp trực tuyến.")
    return procedure


# ------------------------------------------------------------------ papers

@dataclass(frozen=True)
class Slot:
    """How a required paper is given online."""

    doc: RequiredDocument
    by_form: bool        # the declaration (tờ khai): the online form's answers stand for it
    required: bool       # an upload (or reuse) is needed before submitting
    bring_original: bool  # partly online: the original is shown at the counter

    @property
    def kind(self) -> str:
        return self.doc.name


def slots(procedure: Procedure) -> list[Slot]:
    """The one rule of which papers an online filing asks for."""
    partial = procedure.online_level == OnlineLevel.PARTIAL
    out = []
    for doc in procedure.documents.order_by("order", "id"):
        by_form = bool(doc.template_name) and bool(procedure.form)
        present = doc.copy_type == CopyType.PRESENT
        out.append(Slot(
            doc=doc, by_form=by_form, required=doc.mandatory and not by_form and not present,
            bring_original=partial and doc.copy_type in (CopyType.ORIGINAL, CopyType.PRESENT, CopyType.ORIGINAL_OR_CERTIFIED),
        ))
    return out


# ------------------------------------------------------------------ drafts

def find_draft(user, procedure: Procedure) -> Draft | None:
    """The user's draft of ``procedure``; :class:`DraftExpired` when it has expired (kept
    untouched: only :func:`discard` removes it)."""
    draft = Draft.objects.filter(user=user, procedure=procedure).first()
    if draft is not None and draft.expires_at <= timezone.now():
        raise DraftExpired("Bản nháp này đã hết hạn nên không thể tiếp tục. Vui lòng bắt đầu lại.")
    return draft


def start(user, procedure: Procedure, initial: dict) -> Draft:
    draft = find_draft(user, procedure)
    if draft is None:
        units = units_for(procedure)
        draft = Draft.objects.create(user=user, procedure=procedure, applicant=initial, expires_at=expiry(),
                                     unit=units[0] if len(units) == 1 else None, step=STEPS[0])
    return draft


def discard(draft: Draft) -> None:
    names = [p.file.name for p in draft.papers.all() if p.file]
    draft.delete()
    transaction.on_commit(lambda: [default_storage.delete(n) for n in names])


def _touch(draft: Draft, step: str, fields: list[str], problems: dict | None = None) -> None:
    """Keep the draft (and its expiry) fresh; ``step`` is where the citizen resumes: the step
    just saved while it has ``problems``, else the one after it."""
    if problems is not None and not problems and step in STEPS:
        step = STEPS[min(STEPS.index(step) + 1, len(STEPS) - 1)]
    draft.step = step
    draft.expires_at = expiry()
    draft.save(update_fields=[*fields, "step", "expires_at", "updated_at"])


def save_applicant(draft: Draft, values: dict, unit_code: str) -> dict[str, list[str]]:
    """Keep what was typed, whatever it is (nothing is lost); return its problems."""
    draft.applicant = {k: str(values.get(k) or "")[:300] for k in ("full_name", "id_number", "phone", "email", "address")}
    problems: dict[str, list[str]] = {}
    try:
        check_applicant(draft.applicant)
    except InvalidInput as exc:
        problems.update(exc.fields)
    units = {u.code: u for u in units_for(draft.procedure)}
    if unit_code in units:
        draft.unit = units[unit_code]
    elif len(units) != 1:
        problems["unit"] = ["Vui lòng chọn nơi nộp hồ sơ."]
    _touch(draft, STEPS[0], ["applicant", "unit"], problems)
    return problems


def save_answers(draft: Draft, values: dict) -> dict[str, list[str]]:
    raw = {f["name"]: str(values.get(f["name"]) or "")[:4000] for f in draft.procedure.form or []}
    cleaned, problems = check_answers(draft.procedure.form, raw)
    draft.data = {**raw, **{k: v for k, v in cleaned.items() if k not in problems and f"data.{k}" not in problems}}
    _touch(draft, STEPS[1], ["data"], problems)
    return problems


def _slot(draft: Draft, kind: str) -> Slot:
    for slot in slots(draft.procedure):
        if slot.kind == kind and not slot.by_form:
            return slot
    raise InvalidInput("Loại giấy tờ không thuộc thủ tục này.", code="unknown_document_kind", fields={"kind": ["Không có."]})


def add_paper(draft: Draft, kind: str, uploaded) -> DraftPaper:
    """Check ``uploaded`` as every upload is checked, then keep it in the draft for ``kind``."""
    _slot(draft, kind)
    others = sum(p.size for p in draft.papers.exclude(kind=kind))
    checked = uploads.inspect_upload(uploaded, already=others)
    target = f"drafts/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{checked.file_type.extension}"
    stored = default_storage.save(target, uploaded)
    try:
        with transaction.atomic():
            old = draft.papers.filter(kind=kind).first()
            if old is not None:
                discard_paper(old)
            paper = DraftPaper.objects.create(
                draft=draft, kind=kind, name=documents.clean_filename(getattr(uploaded, "name", "")), file=stored,
                size=checked.size, content_type=checked.file_type.content_type,
            )
            _touch(draft, STEPS[2], [])
    except BaseException:
        default_storage.delete(stored)
        raise
    return paper


def reuse_paper(draft: Draft, kind: str, file_id) -> DraftPaper:
    """One of the citizen's stored papers for ``kind`` (``documents.own_document``: theirs only)."""
    _slot(draft, kind)
    source = documents.own_document(draft.user, file_id)
    with transaction.atomic():
        old = draft.papers.filter(kind=kind).first()
        if old is not None:
            discard_paper(old)
        paper = DraftPaper.objects.create(draft=draft, kind=kind, name=source.name, reuse=source, size=source.size,
                                          content_type=source.content_type)
        _touch(draft, STEPS[2], [])
    return paper


def discard_paper(paper: DraftPaper) -> None:
    name = paper.file.name if paper.file else ""
    paper.delete()
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def save_delivery(draft: Draft, delivery: str, address: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    allowed = deliveries(draft.procedure)
    draft.delivery_address = " ".join(str(address or "").split())[:300]
    if delivery not in allowed:
        problems["delivery"] = ["Vui lòng chọn cách nhận kết quả."]
    else:
        draft.delivery = delivery
        if delivery == Delivery.POST and not (draft.delivery_address or draft.applicant.get("address")):
            problems["delivery_address"] = ["Vui lòng nhập địa chỉ nhận kết quả qua bưu chính."]
    _touch(draft, STEPS[3], ["delivery", "delivery_address"], problems)
    return problems


def deliveries(procedure: Procedure) -> list[str]:
    allowed = [Delivery.COUNTER]
    if procedure.result_by_post:
        allowed.append(Delivery.POST)
    if procedure.result_electronic:
        allowed.append(Delivery.ELECTRONIC)
    return allowed


def problems_by_step(draft: Draft) -> dict[str, dict[str, list[str]]]:
    """What is still missing or wrong, step by step (the review page lists it)."""
    out: dict[str, dict[str, list[str]]] = {}
    try:
        check_applicant(draft.applicant or {})
    except InvalidInput as exc:
        out[STEPS[0]] = exc.fields
    if draft.unit_id is None:
        out.setdefault(STEPS[0], {})["unit"] = ["Vui lòng chọn nơi nộp hồ sơ."]
    _, problems = check_answers(draft.procedure.form, draft.data)
    if problems:
        out[STEPS[1]] = problems
    given = set(draft.papers.values_list("kind", flat=True))
    missing = {s.kind: ["Vui lòng tải lên giấy tờ này."] for s in slots(draft.procedure) if s.required and s.kind not in given}
    if missing:
        out[STEPS[2]] = missing
    if draft.delivery not in deliveries(draft.procedure):
        out[STEPS[3]] = {"delivery": ["Vui lòng chọn cách nhận kết quả."]}
    return out


def submit(draft: Draft) -> Dossier:
    """Submit the draft: the dossier through the one intake, each paper through the one
    upload (or reuse), the draft removed — all in one transaction."""
    user = draft.user
    with transaction.atomic():
        dossier = receive_dossier(
            actor=user, procedure_code=draft.procedure.code, unit_code=draft.unit.code if draft.unit_id else "",
            channel=Channel.ONLINE, applicant=draft.applicant, data=draft.data, delivery=draft.delivery or Delivery.COUNTER,
            delivery_address=draft.delivery_address, require_answers=True,
        )
        for paper in draft.papers.select_related("reuse").order_by("id"):
            if paper.reuse_id:
                documents.reuse_document(user, dossier.code, paper.reuse_id, paper.kind)
            else:
                with default_storage.open(paper.file.name, "rb") as handle:
                    documents.upload_document(user, dossier.code, File(handle, name=paper.name), paper.kind)
        discard(draft)
    return dossier

