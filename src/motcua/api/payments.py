"""Fee payments of a dossier: create an order and its gateway URL, list the orders, record
cash at the counter, download the receipt (docs/api.md)."""

from __future__ import annotations

from ninja import Router, Schema
from pydantic import Field as PydField

from motcua.api.auth import token_or_session
from motcua.api.timefmt import local_iso
from motcua.payments import receipts
from motcua.payments import services as payments

router = Router(tags=["payments"])

QUANTITIES = PydField(
    None, max_length=50,
    description="Cán bộ Một cửa: số lượng của từng khoản phí của thủ tục (theo thứ tự `fees` của "
                "`GET /procedures/{code}`: số trang, số bản…); mặc định: 1 của khoản đầu, 0 của các khoản khác.",
)
EXEMPT = PydField(False, strict=True, description="Cán bộ Một cửa: người nộp thuộc trường hợp được miễn (theo ghi chú phí) → 409 `no_fee`.")


class PaymentIn(Schema):
    quantities: list[int] | None = QUANTITIES
    exempt: bool = EXEMPT
    gateway: str | None = PydField(None, max_length=40, description="Cổng thanh toán; mặc định: cổng đầu tiên được bật.")


class CashIn(Schema):
    quantities: list[int] | None = QUANTITIES
    exempt: bool = EXEMPT
    reference: str = PydField("", max_length=100, description="Số biên lai thu tiền mặt; mặc định: một mã TM-… mới.")


class FeeLineOut(Schema):
    name: str
    unit_amount: int
    quantity: int
    per: str
    amount: int


class OrderItemOut(Schema):
    order_id: str
    amount: int
    status: str = PydField(..., description="pending, paid, failed, cancelled")
    gateway: str = PydField(..., description="vnpay, cash …")
    reference: str = PydField(..., description="The gateway's transaction number (vnp_TransactionNo) or the cash receipt number")
    created_at: str | None
    paid_at: str | None
    expires_at: str | None
    note: str
    lines: list[FeeLineOut]
    receipt_url: str | None = PydField(None, description="The receipt PDF of a paid order")
    reconciliation: str = PydField("", description="Money that arrived needs refund or reconciliation at the counter: "
                                   "`duplicate` (the dossier was paid by another order), `dossier_closed` (refused or "
                                   "withdrawn); empty when none")
    reconciled_at: str | None = PydField(None, description="When the counter recorded the refund or reconciliation")


class OrderOut(OrderItemOut):
    pay_url: str = PydField(..., description="Where the payer pays (the VNPay payment URL)")


class OrderListOut(Schema):
    count: int
    paid: bool
    items: list[OrderItemOut]


def order_body(order, pay_url: str | None = None) -> dict:
    body = {
        "order_id": order.order_id,
        "amount": order.amount,
        "status": order.status,
        "gateway": order.gateway,
        "reference": order.gateway_reference,
        "created_at": local_iso(order.created_at),
        "paid_at": local_iso(order.paid_at),
        "expires_at": local_iso(order.expires_at),
        "note": order.note,
        "lines": order.lines or [],
        "receipt_url": receipts.receipt_path(order) if order.is_paid else None,
        "reconciliation": order.reconciliation,
        "reconciled_at": local_iso(order.reconciled_at),
    }
    if pay_url is not None:
        body["pay_url"] = pay_url
    return body


@router.post("/dossiers/{code}/payments", auth=token_or_session, response={201: OrderOut},
             summary="Tạo yêu cầu thanh toán phí, lệ phí trực tuyến",
             description="Người nộp hồ sơ hoặc cán bộ Một cửa của đơn vị. Số tiền tính từ các khoản phí của thủ tục. "
                         "409 `no_fee` khi không có gì phải nộp; 409 `no_gateway` khi chưa bật cổng thanh toán; "
                         "409 `already_paid` khi hồ sơ đã thanh toán. Yêu cầu mới thay (hủy) yêu cầu đang chờ.")
def create_payment(request, code: str, payload: PaymentIn | None = None):
    payload = payload or PaymentIn()
    order, pay_url = payments.create_order(request.auth, code, quantities=payload.quantities, exempt=payload.exempt,
                                           gateway=payload.gateway, request=request)
    return 201, order_body(order, pay_url)


@router.post("/dossiers/{code}/payments/cash", auth=token_or_session, response={201: OrderItemOut},
             summary="Ghi nhận nộp phí, lệ phí bằng tiền mặt tại Bộ phận Một cửa",
             description="Cán bộ Một cửa của đơn vị. 409 `no_fee`, `already_paid`; hủy yêu cầu thanh toán trực tuyến đang chờ.")
def record_cash(request, code: str, payload: CashIn | None = None):
    payload = payload or CashIn()
    order = payments.record_cash(request.auth, code, quantities=payload.quantities, exempt=payload.exempt,
                                 reference=payload.reference)
    return 201, order_body(order)


class ReconcileIn(Schema):
    note: str = PydField(..., max_length=200, description="What was done: refunded (how), or reconciled against what")


@router.post("/dossiers/{code}/payments/{order_id}/reconcile", auth=token_or_session, response={200: OrderItemOut},
             summary="Ghi nhận đã hoàn trả hoặc đối soát khoản tiền cần đối soát",
             description="Cán bộ Một cửa của đơn vị, cho một giao dịch có `reconciliation` (tiền về cho yêu cầu đã hủy "
                         "khi hồ sơ đã nộp phí, hoặc cho hồ sơ đã bị từ chối/rút). 409 `nothing_to_reconcile`.")
def reconcile_payment(request, code: str, order_id: str, payload: ReconcileIn):
    return 200, order_body(payments.reconcile(request.auth, code, order_id, payload.note))


@router.get("/dossiers/{code}/payments", auth=token_or_session, response={200: OrderListOut}, summary="Các giao dịch thanh toán của hồ sơ")
def list_payments(request, code: str):
    orders = payments.list_orders(request.auth, code)
    return {"count": len(orders), "paid": any(o.is_paid for o in orders), "items": [order_body(o) for o in orders]}


@router.get("/dossiers/{code}/payments/{order_id}/receipt.pdf", auth=token_or_session,
            response={200: None}, summary="Biên lai thu phí, lệ phí (PDF)",
            description="Người nộp hồ sơ, cán bộ của đơn vị. 409 `not_paid` khi giao dịch chưa được thanh toán.",
            openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}})
def receipt(request, code: str, order_id: str):
    return receipts.receipt_response(payments.get_order(request.auth, code, order_id))
