"""Fee orders: create one for a dossier, and apply a gateway's signed report.

Decision 766/QĐ-TTg indicators 3.5 and 3.6 count procedures with fees paid online and
dossiers paid online (``shared/domain/reports.md``); a paid order is that record.

Decisions (documented in the API too):
- A procedure without a fee (``fee_amount`` 0) and no amount set by the counter → 409
  ``no_fee``: the request is well formed, the dossier just has nothing to pay.
- A dossier with a paid order → 409 ``already_paid``.
- Asking again while an order with the same amount is pending returns that order.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from motcua.accounts.models import Role, User
from motcua.dossiers.audit import record_event
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.scope import get_visible, handles
from motcua.dossiers.workflow import Action
from motcua.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from motcua.payments.base import CallbackData
from motcua.payments.constants import ALLOWED_TRANSITIONS, OrderStatus
from motcua.payments.models import PaymentOrder
from motcua.payments.registry import register
from motcua.worktime.calendar import VN_TZ

CLOSED = {Status.REFUSED, Status.WITHDRAWN}
MAX_AMOUNT = 10_000_000_000  # ten billion đồng: anything above is a typing error


class InvalidSignature(DomainError):
    status = 403
    code = "invalid_signature"


def new_order_id() -> str:
    """``MC260429`` + 10 random characters: unguessable, readable on the phone."""
    return f"MC{timezone.now().astimezone(VN_TZ):%y%m%d}" + get_random_string(10, "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")


def is_paid(dossier: Dossier) -> bool:
    return dossier.payment_orders.filter(status=OrderStatus.PAID).exists()


def _check_may_order(user: User, dossier: Dossier, amount: int | None) -> None:
    is_owner = dossier.owner_id is not None and dossier.owner_id == user.pk
    is_counter = user.role == Role.COUNTER and handles(user, dossier)
    if not (is_owner or is_counter):
        raise Forbidden("Chỉ người nộp hồ sơ hoặc cán bộ Một cửa của đơn vị được tạo yêu cầu thanh toán.",
                        code="payment_not_allowed")
    if amount is not None and not is_counter:
        raise Forbidden("Chỉ cán bộ Một cửa được xác định số tiền (phí tính theo trang, bản…).",
                        code="amount_by_counter_only")


def create_order(user: User, code: str, *, amount: int | None = None, gateway: str | None = None) -> tuple[PaymentOrder, str]:
    """The fee order of dossier ``code`` and the URL to pay it.

    ``amount`` (counter officers only) overrides the procedure's fee, for fees counted
    per page or per copy; otherwise the amount is ``procedure.fee_amount``.
    """
    dossier = get_visible(user, code)
    _check_may_order(user, dossier, amount)
    if amount is not None and (amount < 0 or amount > MAX_AMOUNT):
        raise InvalidInput("Số tiền không hợp lệ.", fields={"amount": [f"Từ 0 đến {MAX_AMOUNT} đồng."]})
    plugin = register.choose(gateway)
    due = dossier.procedure.fee_amount if amount is None else amount
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().select_related("procedure").get(pk=dossier.pk)
        if dossier.status in CLOSED:
            raise Conflict(f"Hồ sơ đang ở trạng thái “{dossier.get_status_display()}”: không thu phí.",
                           code="dossier_closed", fields={"status": [dossier.status]})
        if is_paid(dossier):
            raise Conflict("Hồ sơ này đã được thanh toán phí, lệ phí.", code="already_paid")
        if not due:
            raise Conflict(f"Thủ tục “{dossier.procedure.name}” không thu phí, lệ phí: không cần thanh toán.",
                           code="no_fee")
        pending = dossier.payment_orders.filter(status=OrderStatus.PENDING)
        same = pending.filter(amount=due, gateway=plugin.identifier).first()
        if same is not None:
            return same, plugin.start_payment(same)
        pending.update(status=OrderStatus.CANCELLED, updated_at=timezone.now())
        order = PaymentOrder.objects.create(
            order_id=new_order_id(), dossier=dossier, amount=due, gateway=plugin.identifier, created_by=user,
        )
    return order, plugin.start_payment(order)


def list_orders(user: User, code: str) -> list[PaymentOrder]:
    dossier = get_visible(user, code)
    return list(dossier.payment_orders.all())


def handle_callback(gateway: str, body: bytes, signature: str) -> tuple[PaymentOrder, bool]:
    """Apply a gateway's report; return the order and whether it changed.

    The signature is checked before the body is read. Idempotent: the same report twice
    changes nothing the second time. A report that contradicts a final state (a paid
    order reported failed) is refused with 409 and changes nothing.
    """
    plugin = register.get(gateway)
    if not plugin.verify_signature(body, signature):
        raise InvalidSignature("Chữ ký báo kết quả thanh toán không hợp lệ.")
    data: CallbackData = plugin.parse_callback(body)
    found = (PaymentOrder.objects.filter(order_id=data.order_id, gateway=plugin.identifier)
             .values_list("pk", "dossier_id").first())
    if found is None:
        raise NotFound(f"Không có giao dịch “{data.order_id}”.", code="order_not_found")
    with transaction.atomic():
        # Lock the dossier before the order, in the same order as ``create_order``: no deadlock.
        Dossier.objects.select_for_update().filter(pk=found[1]).values_list("pk", flat=True).get()
        order = PaymentOrder.objects.select_for_update().select_related("dossier").get(pk=found[0])
        if data.amount != order.amount:
            raise InvalidInput("Số tiền báo về khác số tiền của giao dịch.", code="amount_mismatch",
                               fields={"amount": [f"Giao dịch là {order.amount} đồng."]})
        if data.status == order.status:
            return order, False
        if data.status not in ALLOWED_TRANSITIONS[order.status]:
            raise Conflict(f"Giao dịch đã ở trạng thái “{order.get_status_display()}”.", code="order_final",
                           fields={"status": [order.status]})
        order.status = data.status
        order.gateway_reference = data.reference or order.gateway_reference
        if data.status == OrderStatus.PAID:
            order.paid_at = timezone.now()
        order.save()
        if data.status == OrderStatus.PAID:
            record_event(order.dossier_id, action=Action.PAY_FEE, actor_name=plugin.verbose_name,
                         changes={"payment": {"order_id": order.order_id, "amount": order.amount,
                                              "gateway": order.gateway, "reference": order.gateway_reference}})
    return order, True
