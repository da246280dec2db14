"""The receipt (biên lai thu phí, lệ phí) of a paid order, as a PDF.

Rendered by the documents app's Typst machinery (``printing/pdf.py``, template
``printing/typst/fee_receipt.typ``): unit, payer, dossier code, fee lines, total in figures
and in words (``formatting.vnd_words``), the gateway and its reference.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from motcua.printing import text
from motcua.printing.pdf import render_pdf
from motcua.errors import Conflict
from motcua.formatting import vnd, vnd_words
from motcua.payments.constants import CASH, OrderStatus
from motcua.payments.models import PaymentOrder
from motcua.worktime.calendar import VN_TZ


def receipt_path(order: PaymentOrder) -> str:
    """The API route of the receipt (usable in the browser by the owner and the unit's staff)."""
    return f"/api/v1/dossiers/{order.dossier.code}/payments/{order.order_id}/receipt.pdf"


def gateway_name(order: PaymentOrder) -> str:
    if order.gateway == CASH:
        return "Tiền mặt tại Bộ phận Một cửa"
    from motcua.payments.registry import register

    return str(register.get(order.gateway)) if order.gateway in register else order.gateway


def receipt_data(order: PaymentOrder) -> dict:
    dossier = order.dossier
    unit = dossier.unit
    paid_at = (order.paid_at or timezone.now()).astimezone(VN_TZ)
    lines = order.lines or [{"name": "Phí, lệ phí", "unit_amount": order.amount, "quantity": 1, "per": "", "amount": order.amount}]
    return {
        "agency": text.agency_lines(unit),
        "place_date": f"{text.place_name(unit)}, {text.long_date(paid_at.date())}",
        "unit_name": unit.name,
        "office": f"{text.office_name(unit)} {unit.name}",
        "payer": dossier.applicant_name,
        "address": dossier.applicant_address,
        "dossier_code": dossier.code,
        "procedure": dossier.procedure.name,
        "lines": [{**line, "unit_text": vnd(line["unit_amount"]), "amount_text": vnd(line["amount"])} for line in lines],
        "total": vnd(order.amount),
        "total_words": vnd_words(order.amount),
        "gateway": gateway_name(order),
        "reference": order.gateway_reference,
        "order_id": order.order_id,
        "paid_at": paid_at.strftime("%H:%M ngày %d/%m/%Y"),
        "footer": f"Biên lai {order.order_id} · Hồ sơ {dossier.code}",
    }


def receipt_pdf(order: PaymentOrder) -> bytes:
    if order.status != OrderStatus.PAID:
        raise Conflict("Giao dịch chưa được thanh toán: chưa có biên lai.", code="not_paid",
                       fields={"status": [order.status]})
    return render_pdf("fee_receipt", receipt_data(order))


def receipt_response(order: PaymentOrder, *, attachment: bool = False) -> HttpResponse:
    """The receipt PDF as an answer, named ``bien-lai-{order}.pdf``: shown in the browser
    (the API, the officer's link) or, with ``attachment``, saved (the citizen's page)."""
    response = HttpResponse(receipt_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'{"attachment" if attachment else "inline"}; filename="bien-lai-{order.order_id}.pdf"'
    return response
