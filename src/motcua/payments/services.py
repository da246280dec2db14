"""Fee orders: create one for a dossier, apply VNPay's IPN, record cash at the counter,
expire stale orders. Every change of an order writes its event through ``record_event``.

Decision 766/QĐ-TTg indicators 3.5 and 3.6 count procedures with fees paid online and
dossiers paid online (``shared/domain/reports.md``); a paid order is that record.

Decisions (documented in the API too):
- Nothing due (no fee, or an applicant exempted by the counter) → 409 ``no_fee``: a zero
  fee never creates an order. No gateway enabled → 409 ``no_gateway``.
- A dossier with a paid order → 409 ``already_paid``.
- A new order cancels the pending one (``replaced``); a pending order past its
  ``expires_at`` (``vnp_ExpireDate``) is cancelled (``expired``) when the dossier's orders
  are read and by the daily task.
- The IPN answers VNPay's RspCode table, checks in VNPay's order (signature, order, amount,
  already confirmed). The state changes once: a conditional update under the dossier's
  lock, so 20 identical IPNs at once make exactly one transition and one event.
- Only VNPay's result changes an order: a signed message without ``vnp_ResponseCode`` /
  ``vnp_TransactionStatus``, or with a payment request's fields (the ``pay_url``'s own query),
  gets 99 and changes nothing.
- Money that arrives is never dropped: "paid" for an order already cancelled (replaced,
  expired) or failed is recorded as paid (00); when the dossier was already paid otherwise, or
  was refused or withdrawn, the order is marked for refund (``reconciliation``), the counter sees
  it on the dossier page and records what it did (``reconcile``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from motcua.accounts.models import Role, User
from motcua.dossiers.audit import record_event
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.scope import get_visible, handles
from motcua.dossiers.workflow import Action
from motcua.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from motcua.payments.constants import CASH, CancelReason, OrderStatus, Reconciliation
from motcua.payments.fees import fee_for
from motcua.payments.models import PaymentOrder
from motcua.payments.registry import register
from motcua.worktime.calendar import VN_TZ

log = logging.getLogger(__name__)

CLOSED = {Status.REFUSED, Status.WITHDRAWN}
MAX_REFERENCE = 100

# VNPay's IPN answers (shared/domain/integrations.md).
IPN_CONFIRMED = ("00", "Confirm Success")
IPN_NOT_FOUND = ("01", "Order not found")
IPN_ALREADY = ("02", "Order already confirmed")
IPN_AMOUNT = ("04", "invalid amount")
IPN_SIGNATURE = ("97", "Invalid signature")
IPN_OTHER = ("99", "Unknow error")
IPN_INPUT = ("99", "Input data required")

# What only VNPay's result carries, and what only a payment request carries (integrations.md).
NOTIFICATION_FIELDS = ("vnp_TxnRef", "vnp_Amount", "vnp_ResponseCode", "vnp_TransactionStatus")
REQUEST_ONLY = ("vnp_Command", "vnp_ReturnUrl", "vnp_CreateDate", "vnp_IpAddr", "vnp_Version", "vnp_CurrCode")


def new_order_id() -> str:
    """``MC261202`` + 10 random characters: unguessable, readable on the phone, a valid vnp_TxnRef."""
    return f"MC{timezone.now().astimezone(VN_TZ):%y%m%d}" + get_random_string(10, "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")


def is_paid(dossier: Dossier) -> bool:
    return dossier.payment_orders.filter(status=OrderStatus.PAID).exists()


def _payment_changes(order: PaymentOrder, old: str, **extra) -> dict:
    return {"payment": {"order_id": order.order_id, "amount": order.amount, "gateway": order.gateway,
                        "status": [old, order.status], **extra}}


def _is_counter(user: User, dossier: Dossier) -> bool:
    return user.role == Role.COUNTER and handles(user, dossier)


def _cancel(order: PaymentOrder, reason: str, *, actor=None, actor_name: str = "") -> bool:
    """Cancel ``order`` if still pending (conditional update); record the event. Inside a transaction."""
    changed = PaymentOrder.objects.filter(pk=order.pk, status=OrderStatus.PENDING).update(
        status=OrderStatus.CANCELLED, note=reason, updated_at=timezone.now())
    if changed:
        order.status, order.note = OrderStatus.CANCELLED, reason
        record_event(order.dossier_id, action=Action.PAYMENT, actor=actor, actor_name=actor_name,
                     note=str(CancelReason(reason).label), changes=_payment_changes(order, OrderStatus.PENDING, reason=reason))
    return bool(changed)


def expire_stale(dossier_id: int | None = None, now: dt.datetime | None = None) -> int:
    """Cancel the pending orders past ``expires_at`` (of one dossier, or all); return how many."""
    now = now or timezone.now()
    stale = PaymentOrder.objects.filter(status=OrderStatus.PENDING, expires_at__lt=now)
    if dossier_id is not None:
        stale = stale.filter(dossier_id=dossier_id)
    count = 0
    for order in stale.order_by("pk"):
        with transaction.atomic():
            count += _cancel(order, CancelReason.EXPIRED, actor_name="Hệ thống")
    return count


@dataclass(frozen=True)
class PayAnswer:
    """The answer of :func:`check`: ``error`` (``None``: allowed) and the amount due."""

    error: DomainError | None
    amount: int = 0

    @property
    def allowed(self) -> bool:
        return self.error is None


def check(user: User, dossier: Dossier, *, cash: bool = False, quantities: list[int] | None = None,
          exempt: bool = False, gateway: str | None = None, paid: bool | None = None) -> PayAnswer:
    """May ``user`` pay the fee of ``dossier`` now (online, or ``cash`` recorded at the counter),
    and how much? The one answer for every surface, as ``dossiers.actions.check`` is for the
    workflow: the citizen's page shows its pay button, the office's page its cash form, and
    :func:`create_order` / :func:`record_cash` accept, exactly when this allows.

    In this order: who (online: the applicant or the unit's counter officer; quantities and
    exemptions, and cash, only the counter officer); something due (the procedure's fee lines,
    or its single fee, by ``quantities``; ``no_fee``); online, a gateway enabled
    (``no_gateway``); the dossier not refused or withdrawn (``dossier_closed``); not already
    paid (``already_paid``; ``paid`` when the caller has read the orders already). Bad
    ``quantities`` raise :class:`InvalidInput` (an input error, not an answer).
    """
    is_counter = _is_counter(user, dossier)
    if cash and not is_counter:
        return PayAnswer(Forbidden("Chỉ cán bộ Một cửa của đơn vị được ghi nhận nộp tiền mặt.",
                                   code="cash_by_counter_only"))
    if not cash:
        if not (is_counter or (dossier.owner_id is not None and dossier.owner_id == user.pk)):
            return PayAnswer(Forbidden("Chỉ người nộp hồ sơ hoặc cán bộ Một cửa của đơn vị được tạo yêu cầu thanh toán.",
                                       code="payment_not_allowed"))
        if (quantities is not None or exempt) and not is_counter:
            return PayAnswer(Forbidden("Chỉ cán bộ Một cửa được xác định số lượng (trang, bản) và trường hợp được miễn phí, "
                                       "lệ phí.", code="quantities_by_counter_only"))
    fee = fee_for(dossier.procedure, quantities, exempt=exempt)
    if fee.total <= 0:
        reason = "người nộp thuộc trường hợp được miễn" if exempt else "thủ tục không thu phí, lệ phí"
        return PayAnswer(Conflict(f"Không có khoản nào phải nộp ({reason}): không cần thanh toán.", code="no_fee"))
    if not cash:
        try:
            register.choose(gateway)
        except DomainError as e:
            return PayAnswer(e, fee.total)
    if dossier.status in CLOSED:
        return PayAnswer(Conflict(f"Hồ sơ đang ở trạng thái “{dossier.get_status_display()}”: không thu phí.",
                                  code="dossier_closed", fields={"status": [dossier.status]}), fee.total)
    if is_paid(dossier) if paid is None else paid:
        return PayAnswer(Conflict("Hồ sơ này đã được thanh toán phí, lệ phí.", code="already_paid"), fee.total)
    return PayAnswer(None, fee.total)


def _allowed(answer: PayAnswer) -> int:
    if answer.error is not None:
        raise answer.error
    return answer.amount


def create_order(user: User, code: str, *, quantities: list[int] | None = None, exempt: bool = False,
                 gateway: str | None = None, request=None) -> tuple[PaymentOrder, str]:
    """The fee order of dossier ``code`` and the URL to pay it online (docs/api.md)."""
    dossier = get_visible(user, code)
    _allowed(check(user, dossier, quantities=quantities, exempt=exempt, gateway=gateway))
    fee = fee_for(dossier.procedure, quantities, exempt=exempt)
    plugin = register.choose(gateway)
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update(of=("self",)).select_related("procedure").get(pk=dossier.pk)
        _allowed(check(user, dossier, quantities=quantities, exempt=exempt, gateway=gateway))  # again, locked
        for pending in dossier.payment_orders.filter(status=OrderStatus.PENDING):
            _cancel(pending, CancelReason.REPLACED, actor=user)
        order = PaymentOrder(order_id=new_order_id(), dossier=dossier, amount=fee.total, gateway=plugin.identifier,
                             created_by=user, lines=fee.lines_json())
        order.created_at = timezone.now()
        order.expires_at = plugin.expires_at(order)
        order.save()
        record_event(dossier.pk, action=Action.PAYMENT, actor=user, note="Tạo yêu cầu thanh toán trực tuyến",
                     changes=_payment_changes(order, "", expires_at=order.expires_at.isoformat() if order.expires_at else None))
        order.dossier = dossier
        url = plugin.start_payment(order, request)
    return order, url


def record_cash(user: User, code: str, *, quantities: list[int] | None = None, exempt: bool = False,
                reference: str = "") -> PaymentOrder:
    """A counter officer records the fee paid in cash at the counter (same order history)."""
    dossier = get_visible(user, code)
    answer = check(user, dossier, cash=True, quantities=quantities, exempt=exempt)
    if isinstance(answer.error, Forbidden):
        raise answer.error
    reference = (reference or "").strip()
    if len(reference) > MAX_REFERENCE:
        raise InvalidInput("Số biên lai quá dài.", fields={"reference": [f"Tối đa {MAX_REFERENCE} ký tự."]})
    fee = fee_for(dossier.procedure, quantities, exempt=exempt)
    _allowed(answer)
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update(of=("self",)).select_related("procedure").get(pk=dossier.pk)
        _allowed(check(user, dossier, cash=True, quantities=quantities, exempt=exempt))  # again, locked
        for pending in dossier.payment_orders.filter(status=OrderStatus.PENDING):
            _cancel(pending, CancelReason.CASH, actor=user)
        now = timezone.now()
        order = PaymentOrder.objects.create(
            order_id=new_order_id(), dossier=dossier, amount=fee.total, gateway=CASH, created_by=user,
            lines=fee.lines_json(), status=OrderStatus.PAID, paid_at=now,
            gateway_reference=reference or "TM-" + get_random_string(8, "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"),
        )
        record_event(dossier.pk, action=Action.PAY_FEE, actor=user, note="Nộp tiền mặt tại Bộ phận Một cửa",
                     changes=_payment_changes(order, "", reference=order.gateway_reference))
    return order


def list_orders(user: User, code: str) -> list[PaymentOrder]:
    dossier = get_visible(user, code)
    expire_stale(dossier.pk)
    return list(dossier.payment_orders.all())


def get_order(user: User, code: str, order_id: str) -> PaymentOrder:
    dossier = get_visible(user, code)
    order = dossier.payment_orders.filter(order_id=order_id).select_related("dossier__procedure", "dossier__unit").first()
    if order is None:
        raise NotFound(f"Không có giao dịch “{order_id}” của hồ sơ này.", code="order_not_found")
    return order


def handle_ipn(params: Mapping[str, str]) -> tuple[str, str]:
    """Apply VNPay's IPN; answer ``(RspCode, Message)``. Changes state at most once per order."""
    try:
        return _handle_ipn(params)
    except Exception:  # noqa: BLE001 — VNPay must get its 99, never a 500
        log.exception("VNPay IPN failed (order %s)", str(params.get("vnp_TxnRef", ""))[:40])
        return IPN_OTHER


def _handle_ipn(params: Mapping[str, str]) -> tuple[str, str]:
    plugin = register.get("vnpay")
    try:
        verified = plugin.verify(params)  # type: ignore[attr-defined]  # "vnpay" is the VNPay gateway, which verifies
    except DomainError:  # not configured: nothing can be verified
        verified = False
    if not verified:
        log.warning("VNPay IPN with an invalid signature (order %s)", str(params.get("vnp_TxnRef", ""))[:40])
        return IPN_SIGNATURE
    if not is_notification(params):
        log.warning("VNPay IPN without VNPay's result fields (order %s): ignored", str(params.get("vnp_TxnRef", ""))[:40])
        return IPN_INPUT
    found = (PaymentOrder.objects.filter(order_id=str(params.get("vnp_TxnRef", "")), gateway=plugin.identifier)
             .values_list("pk", "dossier_id", "amount").first())
    if found is None:
        return IPN_NOT_FOUND
    pk, dossier_id, amount = found
    raw_amount = str(params.get("vnp_Amount", ""))
    if not raw_amount.isdigit() or int(raw_amount) != amount * 100:
        log.warning("VNPay IPN with a wrong amount (order %s)", params.get("vnp_TxnRef"))
        return IPN_AMOUNT
    success = params.get("vnp_ResponseCode") == "00" and params.get("vnp_TransactionStatus") == "00"
    result = {
        "gateway_reference": str(params.get("vnp_TransactionNo", ""))[:MAX_REFERENCE],
        "response_code": str(params.get("vnp_ResponseCode", ""))[:10],
    }
    bank = str(params.get("vnp_BankCode", ""))[:20]
    with transaction.atomic():
        # Lock the dossier before the order, as create_order does: no deadlock, one writer at a time.
        dossier = Dossier.objects.select_for_update(of=("self",)).only("pk", "status").get(pk=dossier_id)
        order = PaymentOrder.objects.get(pk=pk)
        if order.status == OrderStatus.PENDING:
            if success:
                changed = _record_paid(order, dossier, result, bank, actor_name=plugin.verbose_name)
            else:
                changed = _record_failed(order, result, bank, actor_name=plugin.verbose_name)
        elif success and order.status in (OrderStatus.CANCELLED, OrderStatus.FAILED):
            # VNPay took the citizen's money for an order we had given up on (replaced, expired,
            # or failed earlier): the money is recorded, never dropped (issue 17 §6).
            changed = _record_paid(order, dossier, result, bank, actor_name=plugin.verbose_name)
        else:
            changed = False
        if not changed:
            return IPN_ALREADY
    return IPN_CONFIRMED


def is_notification(params: Mapping[str, str]) -> bool:
    """True for VNPay's result (IPN or return): it carries ``vnp_ResponseCode`` and
    ``vnp_TransactionStatus`` and none of the payment request's own fields.

    The payment URL is signed with the same secret, so its query verifies: without this check
    anyone holding a ``pay_url`` could replay it to the IPN and change the order.
    """
    if any(not str(params.get(name) or "") for name in NOTIFICATION_FIELDS):
        return False
    return not any(name in params for name in REQUEST_ONLY)


def _record_failed(order: PaymentOrder, result: dict, bank: str, *, actor_name: str) -> bool:
    now = timezone.now()
    changed = PaymentOrder.objects.filter(pk=order.pk, status=OrderStatus.PENDING).update(
        status=OrderStatus.FAILED, paid_at=None, updated_at=now, **result)
    if changed:
        old = order.status
        order.status, order.gateway_reference, order.response_code = OrderStatus.FAILED, *result.values()
        record_event(order.dossier_id, action=Action.PAYMENT, actor_name=actor_name,
                     note=f"Thanh toán không thành công (mã {order.response_code})",
                     changes=_payment_changes(order, old, reference=order.gateway_reference, bank=bank))
    return bool(changed)


def _record_paid(order: PaymentOrder, dossier: Dossier, result: dict, bank: str, *, actor_name: str) -> bool:
    """The gateway says ``order`` was paid: record it (conditional on the state read, so a
    repeated or concurrent notification changes nothing twice), cancel what is still pending,
    and mark it for refund when the dossier was already paid or is closed."""
    old = order.status
    if dossier.status in CLOSED:
        reconciliation = Reconciliation.DOSSIER_CLOSED
    elif dossier.payment_orders.filter(status=OrderStatus.PAID).exclude(pk=order.pk).exists():
        reconciliation = Reconciliation.DUPLICATE
    else:
        reconciliation = Reconciliation.NONE
    now = timezone.now()
    changed = PaymentOrder.objects.filter(pk=order.pk, status=old).update(
        status=OrderStatus.PAID, paid_at=now, updated_at=now, reconciliation=reconciliation, **result)
    if not changed:
        return False
    order.status, order.paid_at, order.reconciliation = OrderStatus.PAID, now, reconciliation
    order.gateway_reference, order.response_code = result["gateway_reference"], result["response_code"]
    notes = []
    if old != OrderStatus.PENDING:
        notes.append(f"Tiền về sau khi yêu cầu thanh toán đã “{OrderStatus(old).label}”: đã ghi nhận")
    if reconciliation:
        notes.append(str(Reconciliation(reconciliation).label))
    record_event(order.dossier_id, action=Action.PAY_FEE, actor_name=actor_name, note="; ".join(notes),
                 changes=_payment_changes(order, old, reference=order.gateway_reference, bank=bank,
                                          **({"reconciliation": reconciliation} if reconciliation else {})))
    for pending in dossier.payment_orders.filter(status=OrderStatus.PENDING):
        pending.dossier = dossier
        _cancel(pending, CancelReason.PAID_OTHERWISE, actor_name=actor_name)
    return True


def reconcile(user: User, code: str, order_id: str, note: str) -> PaymentOrder:
    """A counter officer records that money marked for refund or reconciliation was handled."""
    dossier = get_visible(user, code)
    if not _is_counter(user, dossier):
        raise Forbidden("Chỉ cán bộ Một cửa của đơn vị được ghi nhận hoàn trả, đối soát.", code="reconcile_by_counter_only")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("Cần ghi rõ đã hoàn trả hay đối soát thế nào.", fields={"note": ["Bắt buộc."]})
    if len(note) > MAX_REFERENCE * 2:
        raise InvalidInput("Ghi chú quá dài.", fields={"note": [f"Tối đa {MAX_REFERENCE * 2} ký tự."]})
    with transaction.atomic():
        Dossier.objects.select_for_update(of=("self",)).filter(pk=dossier.pk).values_list("pk", flat=True).get()
        order = dossier.payment_orders.filter(order_id=order_id).first()
        if order is None:
            raise NotFound(f"Không có giao dịch “{order_id}” của hồ sơ này.", code="order_not_found")
        now = timezone.now()
        changed = PaymentOrder.objects.filter(pk=order.pk, reconciled_at__isnull=True).exclude(
            reconciliation=Reconciliation.NONE).update(reconciled_at=now, reconciled_by=user,
                                                       reconciliation_note=note, updated_at=now)
        if not changed:
            raise Conflict("Giao dịch này không cần hoặc đã được đối soát.", code="nothing_to_reconcile")
        order.refresh_from_db()
        record_event(dossier.pk, action=Action.PAYMENT, actor=user, note=f"Đã hoàn trả / đối soát: {note}",
                     changes=_payment_changes(order, order.status, reconciled=order.reconciliation))
    return order
