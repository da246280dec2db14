"""The VNPost simulator's endpoints (see the package docstring)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets

from django.conf import settings
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from motcua.national.contrib.vnpost.config import (
    SANDBOX_CUSTOMER_CODE,
    SANDBOX_KEY,
    sandbox_secret,
)
from motcua.national.contrib.vnpost_sandbox.models import (
    SandboxOrder,
    SandboxPostalFault,
    SandboxToken,
    SandboxTracking,
)
from motcua.worktime.calendar import VN_TZ

TOKEN_SECONDS = 3600
MESSAGES = {1: "Đã nhận yêu cầu", 2: "Đã nhận bưu gửi", 3: "Đang phát", 4: "Phát thành công"}
REQUIRED = ("CustomerCode", "OrderNumber", "SenderName", "SenderAddress", "ReceiverName", "ReceiverAddress")


def _on():
    if not settings.VNPOST_SANDBOX:
        raise Http404


def _json(body: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_POST
def token(request):
    _on()
    expected = base64.b64encode(f"{SANDBOX_KEY}:{sandbox_secret()}".encode()).decode()
    if not secrets.compare_digest(request.headers.get("Authorization", ""), f"Basic {expected}"):
        return _json({"error": "invalid_client", "error_description": "Sai khóa hoặc mật khẩu ứng dụng."}, 401)
    if request.POST.get("grant_type") != "client_credentials":
        return _json({"error": "unsupported_grant_type"}, 400)
    value = secrets.token_urlsafe(24)
    SandboxToken.objects.filter(expires_at__lt=timezone.now()).delete()
    SandboxToken.objects.create(token=value, expires_at=timezone.now() + dt.timedelta(seconds=TOKEN_SECONDS))
    return _json({"access_token": value, "token_type": "Bearer", "expires_in": TOKEN_SECONDS})


def _authorised(request) -> bool:
    header = request.headers.get("Authorization", "")
    kind, _, value = header.partition(" ")
    return kind == "Bearer" and SandboxToken.objects.filter(token=value, expires_at__gt=timezone.now()).exists()


def _unauthorised() -> JsonResponse:
    return _json({"error": "invalid_token"}, 401)


def _refusal() -> SandboxPostalFault | None:
    with transaction.atomic():
        fault = SandboxPostalFault.objects.select_for_update().filter(remaining__gt=0).order_by("id").first()
        if fault is not None:
            SandboxPostalFault.objects.filter(pk=fault.pk).update(remaining=fault.remaining - 1)
    return fault


@csrf_exempt
@require_POST
def post_order(request):
    _on()
    if not _authorised(request):
        return _unauthorised()
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return _json({"Status": "105", "Message": "Dữ liệu không phải JSON."})
    if not isinstance(body, dict):
        return _json({"Status": "105", "Message": "Dữ liệu không phải đối tượng JSON."})
    missing = [k for k in REQUIRED if not str(body.get(k) or "").strip()]
    missing += [k for k in ("SenderProvince", "ReceiverProvince") if not isinstance(body.get(k), int)]
    if missing:
        return _json({"Status": "105", "Message": "Thiếu hoặc sai: " + ", ".join(missing) + "."})
    if body["CustomerCode"] != SANDBOX_CUSTOMER_CODE:
        return _json({"Status": "103", "Message": "Mã khách hàng không đúng."})
    fault = _refusal()
    if fault is not None:
        return _json({"Status": fault.status, "Message": fault.message})
    if SandboxOrder.objects.filter(order_number=body["OrderNumber"]).exists():
        return _json({"Status": "104", "Message": "Số đơn hàng đã tồn tại."})
    SandboxOrder.objects.create(order_number=body["OrderNumber"], data=body)
    return _json({"Status": "100", "Message": "Tạo đơn hàng thành công."})


@csrf_exempt
@require_GET
def cancel_order(request):
    _on()
    if not _authorised(request):
        return _unauthorised()
    order = SandboxOrder.objects.filter(order_number=request.GET.get("OrderNumber", ""),
                                        data__CustomerCode=request.GET.get("CustomerCode", "")).first()
    if order is None:
        return _json({"Status": "106", "Message": "Không tìm thấy đơn hàng."})
    if order.status >= 2:
        return _json({"Status": "107", "Message": "Bưu gửi đã được nhận, không thể hủy."})
    SandboxOrder.objects.filter(pk=order.pk).update(cancelled=True)
    return _json({"Status": "100", "Message": "Hủy đơn hàng thành công."})


def advance(order_number: str, status: int | None = None) -> None:
    """Move an order one tracking step (or to ``status``), writing the tracking record."""
    order = SandboxOrder.objects.get(order_number=order_number)
    target = status if status is not None else min(order.status + 1, 4)
    if target != order.status:
        SandboxOrder.objects.filter(pk=order.pk).update(status=target)
        SandboxTracking.objects.create(order_number=order_number, status=target)


def _doc(row: SandboxTracking, orders: dict) -> dict:
    return {"_id": {"$oid": f"{row.pk:024x}"}, "CustomerCode": SANDBOX_CUSTOMER_CODE, "OrderNumber": row.order_number,
            "EventTime": row.at.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M:%S"), "POSID": "330100",
            "ItemCode": f"EA{row.order_number[-6:].rjust(9, '0')}VN", "StatusCode": row.status,
            "StatusMessage": MESSAGES.get(row.status, ""), "Notes": ""}


@csrf_exempt
@require_GET
def tracking(request):
    _on()
    if not _authorised(request):
        return _unauthorised()
    for order in SandboxOrder.objects.filter(cancelled=False, status__lt=4):
        advance(order.order_number)
    try:
        size = max(1, min(int(request.GET.get("pagesize") or 100), 1000))
        after = int(request.GET.get("lastId") or "0", 16)
    except ValueError:
        return _json({"error": "lastId phải là một $oid"}, 400)
    rows = list(SandboxTracking.objects.filter(pk__gt=after).order_by("pk")[:size])
    total = SandboxTracking.objects.filter(pk__gt=after).count()
    return _json({"_size": total, "_total_pages": max(1, -(-total // size)), "_returned": len(rows),
                  "_embedded": {"rh:doc": [_doc(r, {}) for r in rows]}})


@require_GET
def root(request):
    """A page for the demo: the orders the simulated VNPost holds and their tracking step."""
    _on()
    return render(request, "vnpost_sandbox/root.html", {"orders": SandboxOrder.objects.order_by("-created_at")[:30],
                                                         "messages_by_status": MESSAGES})
