"""Postal orders at VNPost (issue 18 §6; shared/domain/national-systems.md §2.1).

* A dossier whose applicant chose delivery by post gets a **result** order when it is resolved
  (approved or refused: the event that moves it there writes the order, in the same transaction;
  the worker sends it). The counter can also ask VNPost to **collect** the applicant's papers
  (the roles swapped: the applicant sends, the unit receives), and cancel an order.
* Sending builds the order from the dossier at that moment: sender and receiver with VNPost's
  province and district codes (``areas.resolve``: the unit's names and address; the applicant's
  postal address), ``CODAmount`` = the fee still unpaid when a result goes out (collected on
  delivery), the dossier's papers as ``SenderDesc`` for a collection. VNPost refusing it, or an
  address whose province cannot be told, leaves the order "refused" with the reason for the
  counter; the dossier itself is untouched. VNPost unreachable: retried with backoff.
* Tracking is polled (``poll_tracking``, a recurring task of the worker): each new record of one
  of our orders is written once (``PostalTrackingEvent``) and told on the dossier's timeline in
  plain words through the one audit writer; "delivered" (``StatusCode`` 4) of a result returns
  the result (``actions.apply_system_action``) with the delivery's date.

Nothing personal is logged; the applicant's name, address and phone go to VNPost only.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.dossiers import audit
from motcua.dossiers.actions import apply_system_action
from motcua.dossiers.models import Delivery, Dossier, Status
from motcua.dossiers.workflow import Action
from motcua.errors import Conflict
from motcua.national.contrib.vnpost import areas
from motcua.national.contrib.vnpost.client import PostalClient, PostalUnreachable
from motcua.national.contrib.vnpost.plugin import postal_service
from motcua.national.models import PostalOrder, PullState
from motcua.payments.fees import default_quantities, fee_for, fee_rows
from motcua.payments.services import is_paid
from motcua.worktime.calendar import VN_TZ

log = logging.getLogger(__name__)

ACTOR = "Bưu điện Việt Nam (VNPost)"
DELIVERED = "4"
#: VNPost's tracking codes in plain words. Only 4 (delivered) is confirmed; the others are [U]
#: (shared/domain/national-systems.md §2.1, "Open questions") and VNPost's own message is shown too.
STATUS_TEXT = {
    "1": "Bưu điện đã nhận yêu cầu",
    "2": "Bưu tá đã nhận bưu gửi",
    "3": "Bưu gửi đang được vận chuyển, phát",
    "4": "Đã phát thành công",
    "5": "Phát không thành công, bưu điện sẽ phát lại",
    "6": "Bưu gửi đang được chuyển hoàn",
}
RETRY_DELAYS = (60, 300, 1800, 7200)
LIVE = (PostalOrder.State.PENDING, PostalOrder.State.FAILED, PostalOrder.State.SENT)
CURSOR_KEY = "vnpost:tracking"
PAGE_SIZE = 100


def connected() -> bool:
    return postal_service().connected()


# ------------------------------------------------------------------ making orders

def _order_number(dossier: Dossier, direction: str) -> str:
    suffix = "KQ" if direction == PostalOrder.Direction.RESULT else "HS"
    n = PostalOrder.objects.filter(dossier=dossier, direction=direction).count() + 1
    return f"{dossier.code}-{suffix}{n}"


def _kick(order_id: int) -> None:
    from motcua.national.tasks import send_postal_order

    transaction.on_commit(lambda: send_postal_order.enqueue(order_id))


def open_order(dossier: Dossier, direction: str = PostalOrder.Direction.RESULT) -> PostalOrder | None:
    """Write an order to send (in the caller's transaction), unless one is already live."""
    if PostalOrder.objects.filter(dossier=dossier, direction=direction, state__in=LIVE).exists():
        return None
    try:
        with transaction.atomic():
            order = PostalOrder.objects.create(dossier=dossier, direction=direction,
                                               order_number=_order_number(dossier, direction))
    except IntegrityError:  # another request opened it just now
        return None
    _kick(order.pk)
    return order


def on_event_saved(sender, instance, created, **kwargs) -> None:
    """``post_save`` of every ``DossierEvent``: a dossier to be delivered by post that has just
    been resolved gets its result order."""
    if not created or instance.to_status not in (Status.APPROVED, Status.REJECTED) or instance.from_status == instance.to_status:
        return
    dossier = Dossier.objects.filter(pk=instance.dossier_id, delivery=Delivery.POST).first()
    if dossier is None or not connected():
        return
    open_order(dossier)


def request_collection(dossier: Dossier) -> PostalOrder:
    """The counter asks VNPost to collect the applicant's papers (409 when one is already live)."""
    if not connected():
        raise Conflict("Chưa kết nối VNPost.", code="vnpost_not_connected")
    with transaction.atomic():
        order = open_order(dossier, PostalOrder.Direction.COLLECT)
    if order is None:
        raise Conflict("Hồ sơ đã có đơn thu gom đang thực hiện.", code="postal_order_exists")
    return order


def resend(order: PostalOrder) -> PostalOrder:
    """Send a refused or failed order again (as a new order number when VNPost refused it)."""
    if order.state == PostalOrder.State.FAILED:
        PostalOrder.objects.filter(pk=order.pk).update(next_attempt_at=None)
        _kick(order.pk)
        return order
    if order.state not in (PostalOrder.State.REFUSED, PostalOrder.State.CANCELLED):
        raise Conflict("Đơn này không cần gửi lại.", code="postal_order_live")
    with transaction.atomic():
        new = open_order(order.dossier, order.direction)
    if new is None:
        raise Conflict("Hồ sơ đã có đơn đang thực hiện.", code="postal_order_exists")
    return new


# ------------------------------------------------------------------ sending

class AddressProblem(Exception):
    pass


def _party_unit(dossier: Dossier) -> dict:
    unit = dossier.unit
    names = [u.name for u in unit.ancestors()] + [unit.name]
    province, district = areas.resolve(unit.address, *reversed(names))
    if province is None:
        raise AddressProblem(f"Không xác định được tỉnh của đơn vị “{unit.name}” trong danh mục địa bàn VNPost.")
    return {"Name": f"Bộ phận Một cửa – {unit.name}"[:200], "Address": unit.address or ", ".join(reversed(names)),
            "Tel": unit.phone, "Email": unit.email, "Province": province, "District": district}


def _party_applicant(dossier: Dossier) -> dict:
    address = dossier.delivery_address or dossier.applicant_address
    province, district = areas.resolve(address)
    if province is None:
        raise AddressProblem("Không xác định được tỉnh, thành phố trong địa chỉ của người dân: cần ghi rõ huyện, tỉnh.")
    return {"Name": dossier.applicant_name, "Address": address, "Tel": dossier.applicant_phone,
            "Email": dossier.applicant_email, "Province": province, "District": district}


def _code(area) -> int | None:
    return int(area.code) if area is not None and area.code.isdigit() else None


def cod_amount(dossier: Dossier) -> int:
    """What VNPost collects on delivery: the fee, when it has not been paid."""
    if is_paid(dossier):
        return 0
    rows = fee_rows(dossier.procedure)
    return fee_for(dossier.procedure, default_quantities(rows)).total if rows else 0


def build(order: PostalOrder, customer_code: str) -> tuple[dict, dict]:
    """The order body, and the applicant's area codes kept on the order."""
    dossier = order.dossier
    unit, applicant = _party_unit(dossier), _party_applicant(dossier)
    result = order.direction == PostalOrder.Direction.RESULT
    sender, receiver = (unit, applicant) if result else (applicant, unit)
    if result:
        what = dossier.procedure.result or "Kết quả giải quyết thủ tục hành chính"
    else:
        what = "; ".join(d.name for d in dossier.procedure.documents.all())[:1000] or "Hồ sơ thủ tục hành chính"
    cod = cod_amount(dossier) if result else 0
    body = {
        "CustomerCode": customer_code, "OrderNumber": order.order_number, "CODAmount": float(cod),
        "SenderProvince": _code(sender["Province"]), "SenderDistrict": _code(sender["District"]),
        "SenderAddress": sender["Address"], "SenderName": sender["Name"], "SenderEmail": sender["Email"] or None,
        "SenderTel": sender["Tel"] or None, "SenderDesc": what,
        "Description": f"Hồ sơ {dossier.code}: {dossier.procedure.name}"[:500],
        "ReceiverName": receiver["Name"], "ReceiverAddress": receiver["Address"], "ReceiverTel": receiver["Tel"] or None,
        "ReceiverProvince": _code(receiver["Province"]), "ReceiverDistrict": _code(receiver["District"]),
        "ReceiverEmail": receiver["Email"] or None,
    }
    codes = {"province_code": applicant["Province"].code,
             "district_code": applicant["District"].code if applicant["District"] else "", "cod_amount": cod}
    return body, codes


def _timeline(order: PostalOrder, text: str, status: str = "", at: dt.datetime | None = None) -> None:
    audit.record_event(order.dossier_id, action=Action.POSTAL, actor_name=ACTOR, note=text,
                       changes={"postal": {"order": order.order_number, "direction": order.direction, "status": status}},
                       at=at)


def send(order_id: int, client: PostalClient | None = None) -> str:
    """Send one pending or failed order; returns its new state."""
    with transaction.atomic():
        order = (PostalOrder.objects.select_for_update(of=("self",)).select_related("dossier__procedure", "dossier__unit")
                 .filter(pk=order_id, state__in=[PostalOrder.State.PENDING, PostalOrder.State.FAILED]).first())
        if order is None:
            return ""
        PostalOrder.objects.filter(pk=order.pk).update(attempts=order.attempts + 1)
    own = client is None
    try:
        client = client or PostalClient()
        body, codes = build(order, client.conf.customer_code)
        accepted, status, message = client.post_order(body)
    except AddressProblem as exc:
        _set(order, state=PostalOrder.State.REFUSED, answer=str(exc))
        return PostalOrder.State.REFUSED
    except (PostalUnreachable, Conflict) as exc:
        delay = RETRY_DELAYS[min(order.attempts, len(RETRY_DELAYS) - 1)]
        _set(order, state=PostalOrder.State.FAILED, answer=getattr(exc, "message", str(exc))[:600],
             next_attempt_at=timezone.now() + dt.timedelta(seconds=delay))
        return PostalOrder.State.FAILED
    finally:
        if own and client is not None:
            client.close()
    if not accepted:
        _set(order, state=PostalOrder.State.REFUSED, answer=f"VNPost không nhận đơn ({status or 'không rõ mã'}): {message}"[:600], **codes)
        return PostalOrder.State.REFUSED
    with transaction.atomic():
        _set(order, state=PostalOrder.State.SENT, answer=message, sent_at=timezone.now(), next_attempt_at=None, **codes)
        what = "chuyển phát kết quả đến người dân" if order.direction == PostalOrder.Direction.RESULT else "thu gom hồ sơ của người dân"
        amount = f"{codes['cod_amount']:,}".replace(",", ".")
        cod = f"; thu hộ phí, lệ phí {amount} đồng khi phát" if codes["cod_amount"] else ""
        _timeline(order, f"Đã gửi VNPost yêu cầu {what} (đơn {order.order_number}{cod}).", "sent")
    return PostalOrder.State.SENT


def _set(order: PostalOrder, **values) -> None:
    PostalOrder.objects.filter(pk=order.pk).update(**values)
    for name, value in values.items():
        setattr(order, name, value)


def due_orders() -> list[int]:
    now = timezone.now()
    return list(PostalOrder.objects.filter(state__in=[PostalOrder.State.PENDING, PostalOrder.State.FAILED])
                .exclude(next_attempt_at__gt=now).order_by("id").values_list("pk", flat=True)[:100])


def cancel(order: PostalOrder, client: PostalClient | None = None) -> PostalOrder:
    """Cancel a live order (at VNPost too when it was sent); 409 when VNPost refuses."""
    if order.state not in LIVE:
        raise Conflict("Đơn này không còn hủy được.", code="postal_order_not_live")
    if order.state == PostalOrder.State.SENT:
        own = client is None
        client = client or PostalClient()
        try:
            ok, message = client.cancel_order(order.order_number)
        except PostalUnreachable as exc:
            raise Conflict(f"Chưa hủy được: {exc.message}", code="vnpost_unreachable") from None
        finally:
            if own:
                client.close()
        if not ok:
            raise Conflict(f"VNPost không cho hủy đơn: {message or 'không rõ lý do'}", code="postal_cancel_refused")
    with transaction.atomic():
        _set(order, state=PostalOrder.State.CANCELLED, cancelled_at=timezone.now())
        _timeline(order, f"Đã hủy đơn bưu chính {order.order_number}.", "cancelled")
    return order


# ------------------------------------------------------------------ tracking

def _event_time(value) -> dt.datetime:
    text = str(value or "").strip()
    for parse in (lambda t: dt.datetime.fromisoformat(t.replace("Z", "+00:00")),
                  lambda t: dt.datetime.strptime(t, "%d/%m/%Y %H:%M:%S"),
                  lambda t: dt.datetime.strptime(t, "%Y%m%d%H%M%S")):
        try:
            moment = parse(text)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)
    return timezone.now()


def tracking_due(now: dt.datetime | None = None) -> bool:
    """Anything to poll: an order VNPost holds, or one to send (``now`` as every recurring
    check takes it, :func:`motcua.server.periodic.enqueue_recurring`)."""
    return PostalOrder.objects.filter(state=PostalOrder.State.SENT).exists() or bool(due_orders())


def _take(order: PostalOrder, doc: dict) -> None:
    from motcua.national.models import PostalTrackingEvent

    event_id = str(((doc.get("_id") or {}).get("$oid") if isinstance(doc.get("_id"), dict) else doc.get("_id")) or "")
    status = str(doc.get("StatusCode") or "").strip()
    if not event_id:
        return
    words = STATUS_TEXT.get(status, f"Trạng thái bưu gửi mã {status}" if status else "Cập nhật hành trình bưu gửi")
    message = str(doc.get("StatusMessage") or "").strip()[:200]
    text = words + (f" – VNPost: {message}" if message and message.lower() != words.lower() else "")
    at = _event_time(doc.get("EventTime"))
    with transaction.atomic():
        try:
            with transaction.atomic():
                PostalTrackingEvent.objects.create(order=order, event_id=event_id[:100], status_code=status[:20], text=text[:400], at=at)
        except IntegrityError:
            return  # seen before
        _set(order, status_code=status[:20], status_text=text[:300])
        _timeline(order, f"Đơn {order.order_number}: {text}.", status, at=at)
        if status == DELIVERED:
            _set(order, state=PostalOrder.State.DELIVERED, delivered_at=at)
            if order.direction == PostalOrder.Direction.RESULT:
                apply_system_action(order.dossier_id, Action.RETURN_RESULT, actor_name=ACTOR, at=at,
                                    payload={"delivery": Delivery.POST, "note": f"Kết quả đã được phát qua bưu chính (đơn {order.order_number})."})


def poll_tracking(client: PostalClient | None = None) -> dict:
    """Send what is due, then read VNPost's tracking feed from where the last poll stopped."""
    sent = [send(pk, client) for pk in due_orders()]
    live = {o.order_number: o for o in PostalOrder.objects.filter(state=PostalOrder.State.SENT)}
    if not live:
        return {"sent": len(sent), "events": 0}
    state, _ = PullState.objects.get_or_create(url=CURSOR_KEY)
    own = client is None
    client = client or PostalClient()
    events = 0
    try:
        cursor = state.cursor
        while True:
            docs = client.tracking(cursor, PAGE_SIZE)
            for doc in docs:
                order = live.get(str(doc.get("OrderNumber") or ""))
                if order is not None:
                    _take(order, doc)
                    events += 1
                oid = doc.get("_id")
                cursor = str((oid or {}).get("$oid") if isinstance(oid, dict) else oid or cursor)
            if len(docs) < PAGE_SIZE:
                break
        PullState.objects.filter(pk=state.pk).update(cursor=cursor[:100], last_pulled_at=timezone.now(), last_error="")
    except PostalUnreachable as exc:
        PullState.objects.filter(pk=state.pk).update(last_error=exc.message[:300])
        log.warning("vnpost tracking: %s", exc.code)
    finally:
        if own:
            client.close()
    return {"sent": len(sent), "events": events}
