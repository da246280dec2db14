"""Sổ theo dõi hồ sơ (Mẫu 06 of TT 01/2018, Mẫu 07 of TT 03/2025) and the running number
each dossier has in it, which the receipt prints too."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from motcua import dates
from motcua.catalog.models import Unit
from motcua.dossiers.models import Dossier, Status
from motcua.errors import InvalidInput
from motcua.printing import text
from motcua.printing.editions import form_heading, receipt_day
from motcua.printing.pdf import render_pdf
from motcua.worktime.calendar import VN_TZ

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


REGISTER_MAX_DAYS = 366
REGISTER_MAX_ROWS = 5000


def parse_period(start: str, end: str) -> tuple[dt.date, dt.date]:
    """``from``/``to`` as dates; both required, ``from`` ≤ ``to``, at most a year apart."""
    fields: dict[str, list[str]] = {}
    days = {}
    for name, value in (("from", start), ("to", end)):
        try:
            days[name] = dates.parse_day(value)
        except ValueError as problem:
            fields[name] = [str(problem)]
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
