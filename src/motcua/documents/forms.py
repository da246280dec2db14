"""The dossier forms of TT 01/2018/TT-VPCP and TT 03/2025/TT-VPCP as PDF.

Forms are keyed by a stable name (``receipt``, ``supplement_request``, ``refusal``,
``apology``, ``control_sheet``, ``register``); the number and title printed on them
follow the form set in force on the dossier's receipt date: TT 01/2018 before
15/9/2025, TT 03/2025 Phụ lục I from then (``shared/domain/forms.md``).

Each ``*_data`` function turns a dossier and its events into plain JSON for the Typst
template of the same name; :func:`render_form` and :func:`render_register` compile it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from motcua.accounts.models import User
from motcua.catalog import services as catalog
from motcua.catalog.models import CopyType, Unit
from motcua.documents import text
from motcua.documents.pdf import qr_image, render_pdf
from motcua.dossiers.models import Channel, Dossier, DossierEvent, Status
from motcua.errors import InvalidInput, NotFound
from motcua.links import tracking_url
from motcua.worktime.calendar import VN_TZ

# ---------------------------------------------------------------- form sets

TT_2025_FROM = dt.date(2025, 9, 15)


@dataclass(frozen=True)
class Edition:
    """A form set: the circular that defines it and the day it took effect."""

    key: str
    circular: str
    appendix: str


TT_01_2018 = Edition("2018", "Thông tư số 01/2018/TT-VPCP", "")
TT_03_2025 = Edition("2025", "Thông tư số 03/2025/TT-VPCP", "Phụ lục I")


@dataclass(frozen=True)
class FormSpec:
    key: str
    number_2018: str
    title_2018: str
    number_2025: str
    title_2025: str


FORMS: dict[str, FormSpec] = {
    spec.key: spec
    for spec in (
        FormSpec("receipt", "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
                 "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        FormSpec("supplement_request", "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
                 "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        FormSpec("refusal", "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
                 "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        FormSpec("apology", "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
                 "04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
        FormSpec("control_sheet", "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ",
                 "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        FormSpec("register", "06", "Sổ theo dõi hồ sơ", "07", "Sổ theo dõi hồ sơ"),
    )
}

DOSSIER_FORMS = ("receipt", "supplement_request", "refusal", "apology", "control_sheet")
# Forms addressed to the applicant, which the owner may print too.
APPLICANT_FORMS = frozenset({"receipt", "supplement_request", "refusal", "apology"})


def edition_on(day: dt.date) -> Edition:
    """The form set in force on ``day``: TT 03/2025 from 15/9/2025, TT 01/2018 before."""
    return TT_03_2025 if day >= TT_2025_FROM else TT_01_2018


def form_heading(key: str, day: dt.date) -> dict:
    """Number, title and legal reference of form ``key`` for a dossier received on ``day``."""
    spec = FORMS[key]
    edition = edition_on(day)
    number = spec.number_2025 if edition is TT_03_2025 else spec.number_2018
    title = spec.title_2025 if edition is TT_03_2025 else spec.title_2018
    reference = f"{edition.appendix}, {edition.circular}" if edition.appendix else edition.circular
    return {
        "key": key,
        "edition": edition.key,
        "number": number,
        "title": title,
        "number_label": f"Mẫu số {number} – {reference}",
    }


# ---------------------------------------------------------------- shared pieces

class FormNotAvailable(NotFound):
    """The dossier has not reached the step that produces this form."""

    code = "form_not_available"


def receipt_day(dossier: Dossier) -> dt.date:
    return dossier.received_at.astimezone(VN_TZ).date()


def register_number(dossier: Dossier) -> int:
    """The dossier's running number in its unit's register for the year of its receipt.

    Counts the unit's received dossiers of that year (refused and not yet accepted ones
    are not in the register) up to this one, ordered by receipt time then id: the same
    number the register prints in its first column.
    """
    year_start = dt.datetime(receipt_day(dossier).year, 1, 1, tzinfo=VN_TZ)
    return (
        _registered(Dossier.objects.filter(unit_id=dossier.unit_id))
        .filter(received_at__gte=year_start)
        .filter(Q(received_at__lt=dossier.received_at) | Q(received_at=dossier.received_at, pk__lte=dossier.pk))
        .count()
    )


def _registered(qs):
    return qs.exclude(status__in=(Status.SUBMITTED, Status.REFUSED))


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


def _documents(dossier: Dossier) -> list[dict]:
    """The procedure's required documents, with the copy kind split as Mẫu 02 counts them."""
    rows = []
    for i, doc in enumerate(dossier.procedure.documents.all(), start=1):
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
    if dossier.status in (Status.SUBMITTED, Status.REFUSED):
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
        "documents": _documents(dossier),
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
    event = _last_event(dossier, "request_supplement")
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
    event = _last_event(dossier, "refuse")
    if event is None:
        raise FormNotAvailable(f"Hồ sơ “{dossier.code}” không bị từ chối tiếp nhận.")
    data = _common(dossier, "refusal", event.at)
    data.update({"reason": event.note, "officer": event.actor_name, "refused_at": text.moment_text(event.at)})
    return data


def apology_data(dossier: Dossier) -> dict:
    """Mẫu 04: the apology and the new appointment, from the ``reschedule`` event."""
    event = _last_event(dossier, "reschedule")
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


def handover_result(at: dt.datetime, due_at: dt.datetime) -> str:
    """Trước hạn / Đúng hạn / Quá hạn of a hand-over against the due time then in force.

    As CONTRACT §5 counts results: after ``due_at`` is late; on the due day on time;
    on an earlier calendar day early.
    """
    if at > due_at:
        return "Quá hạn"
    if at.astimezone(VN_TZ).date() < due_at.astimezone(VN_TZ).date():
        return "Trước hạn"
    return "Đúng hạn"


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
    if dossier.status == Status.SUBMITTED or dossier.status == Status.REFUSED:
        raise FormNotAvailable(f"Hồ sơ “{dossier.code}” chưa được tiếp nhận nên chưa có Phiếu kiểm soát.")
    data = _common(dossier, "control_sheet", dossier.received_at)
    data.update({
        "rows": handover_rows(dossier),
        "handling_unit": dossier.current_unit.name,
        "returned_at": text.moment_text(dossier.returned_at),
    })
    return data


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


# ---------------------------------------------------------------- register

REGISTER_MAX_DAYS = 366
REGISTER_MAX_ROWS = 5000


def parse_period(start: str, end: str) -> tuple[dt.date, dt.date]:
    """``from``/``to`` as dates; both required, ``from`` ≤ ``to``, at most a year apart."""
    fields: dict[str, list[str]] = {}
    days = {}
    for name, value in (("from", start), ("to", end)):
        try:
            days[name] = dt.date.fromisoformat(value or "")
        except ValueError:
            fields[name] = ["Nhập ngày dạng YYYY-MM-DD, ví dụ 2026-04-01."]
    if fields:
        raise InvalidInput("Khoảng thời gian không hợp lệ.", code="invalid_period", fields=fields)
    if days["from"] > days["to"]:
        raise InvalidInput("Ngày bắt đầu phải trước ngày kết thúc.", code="invalid_period",
                           fields={"from": ["Phải không sau ngày kết thúc."]})
    if (days["to"] - days["from"]).days >= REGISTER_MAX_DAYS:
        raise InvalidInput("Mỗi lần in sổ tối đa một năm.", code="period_too_long",
                           fields={"to": [f"Tối đa {REGISTER_MAX_DAYS} ngày."]})
    return days["from"], days["to"]


def register_rows(unit: Unit, start: dt.date, end: dt.date) -> list[dict]:
    """The register lines of ``unit`` for dossiers received in [start 00:00, end 24:00).

    Numbering restarts each year and matches :func:`register_number`.
    """
    period_start = dt.datetime.combine(start, dt.time(), tzinfo=VN_TZ)
    period_end = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=VN_TZ)
    own = _registered(Dossier.objects.filter(unit=unit))
    dossiers = list(
        own.filter(received_at__gte=period_start, received_at__lt=period_end)
        .select_related("procedure").order_by("received_at", "pk")[: REGISTER_MAX_ROWS + 1]
    )
    if len(dossiers) > REGISTER_MAX_ROWS:
        raise InvalidInput(f"Quá {REGISTER_MAX_ROWS} hồ sơ trong kỳ: hãy in từng tháng.", code="period_too_long",
                           fields={"to": ["Chọn khoảng thời gian ngắn hơn."]})
    rows, number, year = [], 0, None
    for d in dossiers:
        day = receipt_day(d)
        if day.year != year:
            year = day.year
            year_start = dt.datetime(year, 1, 1, tzinfo=VN_TZ)
            number = own.filter(received_at__gte=year_start, received_at__lt=max(year_start, period_start)).count()
        number += 1
        contact = ", ".join(p for p in (d.applicant_address, d.applicant_phone) if p)
        rows.append({
            "number": number,
            "code": d.code,
            "procedure": d.procedure.name,
            "sets": "01",
            "applicant": d.applicant_name,
            "contact": contact,
            "received_at": text.short_moment(d.received_at),
            "due_at": text.short_moment(d.due_at),
            "returned_at": text.short_moment(d.returned_at or d.withdrawn_at),
            "note": _register_note(d),
        })
    return rows


def _register_note(dossier: Dossier) -> str:
    parts = [dossier.get_channel_display()]
    if dossier.status != Status.RESULT_RETURNED:
        parts.append(dossier.get_status_display())
    if dossier.reschedules:
        parts.append("Đã hẹn lại")
    return "; ".join(parts)


def register_data(unit: Unit, start: dt.date, end: dt.date) -> dict:
    rows = register_rows(unit, start, end)
    return {
        "form": form_heading("register", end),
        "agency": text.agency_lines(unit),
        "unit_name": unit.name,
        "period": f"Từ ngày {text.date_text(start)} đến ngày {text.date_text(end)}",
        "rows": rows,
        "count": len(rows),
        "footer": f"Sổ theo dõi hồ sơ – {unit.name} – {text.date_text(start)}–{text.date_text(end)}",
    }


def render_register(unit: Unit, start: dt.date, end: dt.date) -> bytes:
    """Mẫu 06 (2018) / 07 (2025), A4 landscape; the form set of the period's last day."""
    return render_pdf("register", register_data(unit, start, end))
