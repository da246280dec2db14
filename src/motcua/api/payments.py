"""Fee payments of a dossier: create an order and its gateway URL, list the orders (CONTRACT §2)."""

from __future__ import annotations

from ninja import Router, Schema
from pydantic import Field as PydField

from motcua.api.auth import token_or_session
from motcua.api.timefmt import local_iso
from motcua.payments import services as payments

router = Router(tags=["payments"])


class PaymentIn(Schema):
    amount: int | None = PydField(
        None, ge=0, le=payments.MAX_AMOUNT, strict=True,
        description="Số tiền (đồng) do cán bộ Một cửa xác định cho phí tính theo trang, bản; mặc định: phí của thủ tục.",
    )
    gateway: str | None = PydField(None, max_length=40, description="Cổng thanh toán; mặc định: cổng đầu tiên được bật.")


class OrderItemOut(Schema):
    order_id: str
    amount: int
    status: str = PydField(..., description="pending, paid, failed, cancelled")
    gateway: str
    created_at: str | None
    paid_at: str | None


class OrderOut(OrderItemOut):
    pay_url: str = PydField(..., description="Where the payer pays")


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
        "created_at": local_iso(order.created_at),
        "paid_at": local_iso(order.paid_at),
    }
    if pay_url is not None:
        body["pay_url"] = pay_url
    return body


@router.post("/dossiers/{code}/payments", auth=token_or_session, response={201: OrderOut},
             summary="Tạo yêu cầu thanh toán phí, lệ phí trực tuyến",
             description="Người nộp hồ sơ hoặc cán bộ Một cửa của đơn vị. 409 `no_fee` khi thủ tục không thu phí; "
                         "409 `already_paid` khi hồ sơ đã thanh toán. Hỏi lại khi đang chờ thanh toán cùng số tiền: "
                         "trả lại giao dịch đó.")
def create_payment(request, code: str, payload: PaymentIn | None = None):
    payload = payload or PaymentIn()
    order, pay_url = payments.create_order(request.auth, code, amount=payload.amount, gateway=payload.gateway)
    return 201, order_body(order, pay_url)


@router.get("/dossiers/{code}/payments", auth=token_or_session, response={200: OrderListOut}, summary="Các giao dịch thanh toán của hồ sơ")
def list_payments(request, code: str):
    orders = payments.list_orders(request.auth, code)
    return {"count": len(orders), "paid": any(o.status == "paid" for o in orders), "items": [order_body(o) for o in orders]}
