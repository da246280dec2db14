"""The dossier forms of TT 01/2018/TT-VPCP and TT 03/2025/TT-VPCP as PDF (Mẫu 01–05/06).

Each ``*_data`` function turns a dossier and its events into plain JSON for the Typst
template of the same name (``printing/typst/``); :func:`render_form` compiles it, and
:func:`form_pdf` gives it as it is downloaded (signed by the agency where the unit turns it on,
``signing.services.sign_printed_form``). Which
forms a dossier has is decided once, in :mod:`motcua.printing.available`; the numbers and
titles by date in :mod:`motcua.printing.editions`; the register in :mod:`motcua.printing.register`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from motcua.accounts.models import User
from motcua.catalog import services as catalog
from motcua.catalog.models import CopyType, Procedure, RequiredDocument, Unit
from motcua.documents.papers import received_papers
from motcua.dossiers.models import Channel, Dossier, DossierEvent
from motcua.dossiers.timeliness import Timeliness, resolved_class
from motcua.links import procedure_url, tracking_url
from motcua.printing import text
from motcua.printing.available import has_form
from motcua.printing.editions import AGENCY_SIGNED_FORMS, FormNotAvailable, form_heading, receipt_day
from motcua.printing.pdf import qr_image, render_pdf
from motcua.printing.register import register_number
from motcua.worktime.calendar import VN_TZ

def _last_event(dossier: Dossier, *actions: str) -> DossierEvent | None:
    return dossier.events.filter(action__in=actions).select_related("unit").order_by("-seq").first()


def _common(dossier: Dossier, key: str, issued_at: dt.datetime) -> dict:
    unit = dossier.unit
    url = tracking_url(dossier.code)
    return {
        "form": form_heading(key, receipt_day(dossier)),
        "agency": text.agency_lines(unit),
        "unit_name": unit.name,
        "office": f"{text.office_name(unit)} {unit.name}",
        "unit_phone": unit.phone,
        "place_date": f"{text.place_name(unit)}, {text.long_date(issued_at.astimezone(VN_TZ).date())}",
        "dossier": {
            "code": dossier.code,
            "procedure": dossier.procedure.name,
            "field": dossier.procedure.field.name,
            "channel": dossier.get_channel_display(),
            "received_at": text.moment_text(dossier.received_at),
            "received_date": text.date_text(receipt_day(dossier)),
            "original_due_at": text.moment_text(dossier.original_due_at),
            "due_at": text.moment_text(dossier.due_at),
            "delivery": dossier.get_delivery_display(),
        },
        "applicant": {
            "name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "address": dossier.applicant_address,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
        },
        "tracking_url": url,
        "qr": qr_image(url),
        "footer": f"Mã hồ sơ {dossier.code} · Tra cứu: {url}",
    }


def _documents(dossier: Dossier | None = None, papers: list[RequiredDocument] | None = None) -> list[dict]:
    """Papers as rows, with the copy kind split as Mẫu 02 counts them: ``papers`` when
    given, else every required document of the dossier's procedure."""
    if papers is None:
        papers = list(dossier.procedure.documents.all())
    rows = []
    for i, doc in enumerate(papers, start=1):
        kind = doc.copy_type
        rows.append({
            "index": i,
            "name": doc.name,
            "condition": doc.condition,
            "mandatory": doc.mandatory,
            "copy_type": doc.get_copy_type_display(),
            "count": doc.count,
            "original": doc.count if kind in (CopyType.ORIGINAL, CopyType.PRESENT, CopyType.ORIGINAL_OR_CERTIFIED) else "",
            "certified": doc.count if kind == CopyType.CERTIFIED else "",
            "photocopy": doc.count if kind == CopyType.COPY else "",
        })
    return rows


# ---------------------------------------------------------------- the forms

def receipt_data(dossier: Dossier) -> dict:
    """Mẫu 01: what was received, when, and when the result is due."""
    if not has_form(dossier, "receipt"):
        raise FormNotAvailable(
            f"Hồ sơ “{dossier.code}” chưa được tiếp nhận nên chưa có Giấy tiếp nhận hồ sơ và hẹn trả kết quả.")
    intake = _last_event(dossier, "receive", "accept")
    issued_at = intake.at if intake else dossier.received_at
    value, unit_of_time, _ = catalog.processing_time_for(dossier.procedure, dossier.unit, receipt_day(dossier))
    time_text = catalog.time_label(value, unit_of_time)
    if dossier.procedure.processing_time_note:
        time_text += f" ({dossier.procedure.processing_time_note.rstrip('.')})"
    data = _common(dossier, "receipt", issued_at)
    data.update({
        # Exactly the papers handed in (ticked at the counter or uploaded): documents.papers.
        "documents": _documents(papers=received_papers(dossier)),
        "processing_time": time_text,
        "fee": text.fee_text(dossier.procedure),
        "register_book": str(receipt_day(dossier).year),
        "register_number": register_number(dossier),
        "receiver": intake.actor_name if intake else "",
        "online": dossier.channel == Channel.ONLINE,
    })
    return data


def supplement_request_data(dossier: Dossier) -> dict:
    """Mẫu 02: what the applicant must add, from the latest ``request_supplement`` note."""
    event = _last_event(dossier, "request_supplement") if has_form(dossier, "supplement_request") else None
    if event is None:
        raise FormNotAvailable(f"Hồ sơ “{dossier.code}” chưa có yêu cầu bổ sung, hoàn thiện hồ sơ.")
    data = _common(dossier, "supplement_request", event.at)
    data.update({
        "reason": event.note,
        "requested_at": text.moment_text(event.at),
        "documents": _documents(dossier),
        "officer": event.actor_name,
        "handling_unit": f"UBND {(event.unit or dossier.unit).name}",
    })
    return data


def refusal_data(dossier: Dossier) -> dict:
    """Mẫu 03: the refusal to take the dossier in, with the ``refuse`` note as the reason."""
    event = _last_event(dossier, "refuse") if has_form(dossier, "refusal") else None
    if event is None:
        raise FormNotAvailable(f"Hồ sơ “{dossier.code}” không bị từ chối tiếp nhận.")
    data = _common(dossier, "refusal", event.at)
    data.update({"reason": event.note, "officer": event.actor_name, "refused_at": text.moment_text(event.at)})
    return data


def apology_data(dossier: Dossier) -> dict:
    """Mẫu 04: the apology and the new appointment, from the ``reschedule`` event."""
    event = _last_event(dossier, "reschedule") if has_form(dossier, "apology") else None
    if event is None:
        raise FormNotAvailable(f"Hồ sơ “{dossier.code}” chưa có văn bản xin lỗi và hẹn lại ngày trả kết quả.")
    old_due, new_due = _change(event, "due_at", dossier.original_due_at, dossier.due_at)
    data = _common(dossier, "apology", event.at)
    data.update({
        "reason": event.note,
        "old_due_at": text.moment_text(old_due),
        "new_due_at": text.moment_text(new_due),
        "signer": event.actor_name,
        "signer_unit": f"UBND {(event.unit or dossier.unit).name}",
    })
    return data


def _change(event: DossierEvent, field: str, old_default, new_default):
    """``(old, new)`` of ``field`` recorded on ``event`` (ISO strings back to datetimes)."""
    recorded = event.changes.get(field)
    if not recorded:
        return old_default, new_default
    if isinstance(recorded, str):  # intake events record the value alone
        return old_default, dt.datetime.fromisoformat(recorded)
    old, new = recorded
    return (dt.datetime.fromisoformat(old) if old else old_default,
            dt.datetime.fromisoformat(new) if new else new_default)


# ---------------------------------------------------------------- control sheet

HANDOVER_ACTIONS = (
    "receive", "accept", "assign", "transfer", "propose", "approve", "reject",
    "request_supplement", "supplement", "return_result", "withdraw",
)
_ACTION_NOTES = {
    "receive": "Tiếp nhận hồ sơ", "accept": "Tiếp nhận hồ sơ trực tuyến", "assign": "Phân công xử lý",
    "transfer": "Chuyển xử lý liên thông", "propose": "Trình lãnh đạo phê duyệt", "approve": "Phê duyệt kết quả",
    "reject": "Không giải quyết", "request_supplement": "Yêu cầu bổ sung hồ sơ", "supplement": "Bổ sung hồ sơ",
    "return_result": "Trả kết quả", "withdraw": "Rút hồ sơ",
}


# The control sheet's words for the three classes of a result (forms.md: Trước hạn / đúng hạn / quá hạn).
HANDOVER_RESULT_TEXT = {Timeliness.EARLY: "Trước hạn", Timeliness.ON_TIME: "Đúng hạn", Timeliness.LATE: "Quá hạn"}


def handover_result(at: dt.datetime, due_at: dt.datetime) -> str:
    """Trước hạn / Đúng hạn / Quá hạn of a hand-over against the due time then in force.

    The class is ``dossiers.timeliness.resolved_class`` (docs/reports.md), the rule every
    report and page uses; this only words it as the form does.
    """
    return HANDOVER_RESULT_TEXT[resolved_class(at, due_at)]


def handover_rows(dossier: Dossier) -> list[dict]:
    """One row per hand-over of the dossier (Mẫu 05/06), read from its event trail."""
    events = list(dossier.events.select_related("unit").order_by("seq"))
    usernames = {e.changes["assignee"][1] for e in events if e.action == "assign" and e.changes.get("assignee")}
    names = {u.username: u.display_name() for u in User.objects.filter(username__in=usernames)}
    unit_codes = {code for e in events if e.action == "transfer" for code in e.changes.get("current_unit", [])}
    units = dict(Unit.objects.filter(code__in=unit_codes).values_list("code", "name"))
    applicant = dossier.applicant_name
    due_at = dossier.original_due_at
    rows = []
    for event in events:
        if "due_at" in event.changes:
            due_at = _change(event, "due_at", due_at, due_at)[1]
        if event.action not in HANDOVER_ACTIONS:
            continue
        unit_name = event.unit.name if event.unit else dossier.unit.name
        actor = event.actor_name
        giver, receiver = actor, ""
        if event.action in ("receive", "accept"):
            giver, receiver = applicant, actor
        elif event.action == "assign":
            receiver = names.get((event.changes.get("assignee") or ["", ""])[1], "")
        elif event.action == "transfer":
            # The event is stamped with the unit the dossier went to; the row belongs to the sender.
            from_code, to_code = event.changes.get("current_unit") or ["", ""]
            unit_name = units.get(from_code, unit_name)
            receiver = f"Bộ phận Một cửa {units.get(to_code, to_code)}"
        elif event.action == "propose":
            receiver = f"Lãnh đạo {unit_name}"
        elif event.action in ("approve", "reject"):
            receiver = f"Bộ phận Một cửa {dossier.unit.name}"
        elif event.action in ("request_supplement", "return_result"):
            receiver = applicant
        elif event.action == "supplement":
            giver, receiver = applicant, actor if event.actor_id != dossier.owner_id else unit_name
        elif event.action == "withdraw":
            giver, receiver = applicant, unit_name if event.actor_id == dossier.owner_id else actor
        note = _ACTION_NOTES[event.action] + (f": {event.note}" if event.note else "")
        rows.append({
            "unit": unit_name,
            "at": text.short_moment(event.at),
            "giver": giver,
            "receiver": receiver,
            "result": handover_result(event.at, due_at),
            "note": note,
        })
    return rows


def control_sheet_data(dossier: Dossier) -> dict:
    """Mẫu 05 (2018) / 06 (2025): the routing sheet that travels with the dossier."""
    if not has_form(dossier, "control_sheet"):
        raise FormNotAvailable(f"Hồ sơ “{dossier.code}” chưa được tiếp nhận nên chưa có Phiếu kiểm soát.")
    data = _common(dossier, "control_sheet", dossier.received_at)
    data.update({
        "rows": handover_rows(dossier),
        "handling_unit": dossier.current_unit.name,
        "returned_at": text.moment_text(dossier.returned_at),
    })
    return data


# ---------------------------------------------------------------- guidance at the counter

def intake_guidance_data(*, unit: Unit, procedure: Procedure, applicant: dict, missing: list[RequiredDocument],
                         officer: User, at: dt.datetime) -> dict:
    """Mẫu 02 handed over at the counter instead of a receipt: the dossier is not complete.

    Nothing is recorded and there is no dossier code yet: TT 01/2018 Art. 15 has the
    officer guide the applicant, once and in writing, to complete the dossier.
    """
    day = at.astimezone(VN_TZ).date()
    names = "; ".join(doc.name for doc in missing)
    return {
        "form": form_heading("supplement_request", day),
        "agency": text.agency_lines(unit),
        "unit_name": unit.name,
        "office": f"{text.office_name(unit)} {unit.name}",
        "unit_phone": unit.phone,
        "place_date": f"{text.place_name(unit)}, {text.long_date(day)}",
        "procedure": procedure.name,
        "applicant": {
            "name": applicant.get("full_name", ""),
            "address": applicant.get("address", ""),
            "phone": applicant.get("phone", ""),
            "email": applicant.get("email", ""),
        },
        "reason": f"Hồ sơ chưa đủ thành phần theo quy định của thủ tục: còn thiếu {names}.",
        "documents": _documents(papers=missing),
        "guided_at": text.moment_text(at),
        "officer": officer.display_name(),
        "procedure_url": procedure_url(procedure.code),
        "qr": qr_image(procedure_url(procedure.code)),
        "footer": f"{procedure.name} · {procedure_url(procedure.code)}",
    }


def render_intake_guidance(**kwargs) -> bytes:
    """The PDF of :func:`intake_guidance_data` (template ``intake_guidance``)."""
    return render_pdf("intake_guidance", intake_guidance_data(**kwargs))


FORM_BUILDERS = {
    "receipt": receipt_data,
    "supplement_request": supplement_request_data,
    "refusal": refusal_data,
    "apology": apology_data,
    "control_sheet": control_sheet_data,
}


def form_data(key: str, dossier: Dossier) -> dict:
    return FORM_BUILDERS[key](dossier)


def render_form(key: str, dossier: Dossier) -> bytes:
    """The PDF of form ``key`` for ``dossier``; :class:`FormNotAvailable` before its step."""
    return render_pdf(key, form_data(key, dossier))


def form_pdf(key: str, dossier: Dossier) -> bytes:
    """The PDF of form ``key`` for ``dossier`` as a user downloads it: signed by the agency where
    the dossier's unit turns "ký số các mẫu in" on (Mẫu 01–04; unsigned when signing fails)."""
    from motcua.signing.services import sign_printed_form

    data = form_data(key, dossier)
    content = render_pdf(key, data)
    if key not in AGENCY_SIGNED_FORMS:
        return content
    # What the form says (its edition and every field), without the PDF's creation time: the
    # signed copy of the same content is served again from the cache.
    fingerprint = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    return sign_printed_form(dossier, key, content, data["form"]["title"], fingerprint)
