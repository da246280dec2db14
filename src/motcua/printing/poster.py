"""The QR poster of a unit: every procedure it performs, a card each, for the counter wall.

A4 portrait, ten cards a page (two columns, five rows), ordered by field then name in
Vietnamese dictionary order.
Each card shows the procedure's name, field, processing time (the unit's commitment when
shorter than the law), fee, and a QR code to its public page, where citizens read the
documents to bring, the steps and the legal basis.
"""

from __future__ import annotations

from django.utils import timezone

from motcua.catalog import services as catalog
from motcua.catalog.models import ProcedureCommitment, Unit
from motcua.printing import text
from motcua.printing.pdf import qr_image, render_pdf
from motcua.links import procedure_url, public_reverse

# Text is shrunk to fit its card by the template (down to 7 pt, where 400 characters, the
# longest name the catalog stores, still fit); this only bounds what the catalog cannot hold.
_NAME_LIMIT = 400


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def poster_cards(unit: Unit) -> list[dict]:
    """One card per procedure ``unit`` performs, in the order of the poster."""
    today = timezone.localdate()
    procedures = sorted(
        catalog.procedures_of_unit(unit, today).select_related("field").prefetch_related("fee_lines"),
        key=lambda p: (text.vietnamese_key(p.field.name), text.vietnamese_key(p.name), p.code),
    )
    # One query for the commitments ("cắt giảm thời gian") of the unit and its ancestors;
    # the catalog resolves only the procedures that have one, the rest use the law's time.
    committed = set(
        ProcedureCommitment.objects.valid_on(today)
        .filter(unit__code__in=[c for c in unit.path.strip("/").split("/") if c])
        .values_list("procedure_id", flat=True)
    )
    cards = []
    for procedure in procedures:
        if procedure.pk in committed:
            value, unit_of_time, _ = catalog.processing_time_for(procedure, unit, today)
        else:
            value, unit_of_time = procedure.processing_time_value, procedure.processing_time_unit
        url = procedure_url(procedure.code)
        cards.append({
            "code": procedure.code,
            "name": _clip(procedure.name, _NAME_LIMIT),
            "field": procedure.field.name,
            "time": catalog.time_label(value, unit_of_time),
            "fee": text.fee_short(procedure),
            "online": procedure.get_online_level_display(),
            "url": url,
            "qr": qr_image(url),
        })
    return cards


def poster_data(unit: Unit) -> dict:
    cards = poster_cards(unit)
    catalog_url = public_reverse("portal:unit", unit.code)
    return {
        "agency": text.agency_lines(unit),
        "unit_name": unit.name,
        "title": "Danh mục thủ tục hành chính",
        "hint": "Quét mã QR để xem hồ sơ, thời hạn, lệ phí",
        "count": len(cards),
        "cards": cards,
        "catalog_url": catalog_url,
        "printed_on": text.date_text(timezone.localdate()),
    }


def render_unit_poster(unit: Unit) -> bytes:
    """The poster PDF of ``unit`` (served by ``portal:unit_poster``)."""
    return render_pdf("poster", poster_data(unit))
