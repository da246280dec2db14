"""VNPay's two calls: the IPN (server to server) and the citizen's return (browser)."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from django.utils.translation import gettext_lazy as _

from motcua.errors import DomainError
from motcua.payments import receipts, services
from motcua.payments.constants import OrderStatus
from motcua.payments.models import PaymentOrder
from motcua.payments.registry import register

# What the citizen is told for VNPay's vnp_ResponseCode (sandbox.vnpayment.vn/apis/docs/bang-ma-loi/).
RESPONSE_TEXT = {
    "00": _("Thanh toán thành công."),
    "07": _("Giao dịch bị nghi ngờ gian lận: vui lòng liên hệ ngân hàng."),
    "09": _("Thẻ hoặc tài khoản chưa đăng ký dịch vụ thanh toán trực tuyến."),
    "10": _("Xác thực thông tin thẻ hoặc tài khoản không đúng quá 3 lần."),
    "11": _("Đã hết thời gian chờ thanh toán: vui lòng tạo yêu cầu thanh toán mới."),
    "12": _("Thẻ hoặc tài khoản bị khóa."),
    "13": _("Mật khẩu xác thực giao dịch (OTP) không đúng."),
    "24": _("Bạn đã hủy giao dịch: chưa có khoản tiền nào được trừ."),
    "51": _("Tài khoản không đủ số dư để thanh toán."),
    "65": _("Tài khoản đã vượt quá hạn mức giao dịch trong ngày."),
    "75": _("Ngân hàng thanh toán đang bảo trì."),
    "79": _("Nhập sai mật khẩu thanh toán quá số lần quy định."),
}


def params_of(request) -> dict[str, str]:
    return {key: request.GET.get(key, "") for key in request.GET}


@csrf_exempt
@require_GET
def ipn(request):
    """``GET /thanh-toan/vnpay/ipn``: VNPay's payment notification → ``{"RspCode", "Message"}``."""
    code, message = services.handle_ipn(params_of(request))
    return JsonResponse({"RspCode": code, "Message": message})


@require_GET
def return_page(request):
    """``GET /thanh-toan/vnpay/tra-ve``: what happened, in plain words. Changes nothing."""
    params = params_of(request)
    try:
        verified = register.get("vnpay").verify(params)
    except DomainError:
        verified = False
    if not verified:
        return render(request, "payments/vnpay_return.html", {"verified": False}, status=400)
    order = (PaymentOrder.objects.select_related("dossier__procedure")
             .filter(order_id=params.get("vnp_TxnRef", ""), gateway="vnpay").first())
    code = params.get("vnp_ResponseCode", "")
    success = code == "00" and params.get("vnp_TransactionStatus") == "00"
    text = RESPONSE_TEXT.get(code, _("Thanh toán không thành công. Vui lòng thử lại hoặc nộp tại Bộ phận Một cửa."))
    if not success and code == "00":
        text = _("Ngân hàng chưa xác nhận giao dịch: vui lòng xem lại sau ít phút.")
    paid = order is not None and order.status == OrderStatus.PAID
    return render(request, "payments/vnpay_return.html", {
        "verified": True, "order": order, "success": success, "text": text,
        "receipt_url": receipts.receipt_path(order) if paid else "",
        "own": order is not None and order.dossier.owner_id is not None and order.dossier.owner_id == request.user.pk,
        "amount": int(params["vnp_Amount"]) // 100 if params.get("vnp_Amount", "").isdigit() else None,
        "reference": params.get("vnp_TransactionNo", ""),
    }, status=200 if order is not None else 404)
