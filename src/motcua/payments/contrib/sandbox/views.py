"""The sandbox's payment page (VNPay's ``vpcpay.html``): "Thanh toán" or "Hủy giao dịch".

On a choice it does what VNPay does after the bank answers: it builds the result
parameters (``vnp_ResponseCode`` 00 or 24, ``vnp_TransactionNo``, ``vnp_PayDate`` …), signs
them with the merchant's secret, delivers the IPN server to server (the IPN view's own
code, in process: the sandbox runs inside the merchant's server), and redirects the
browser to ``vnp_ReturnUrl`` with the same signed parameters.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.views.decorators.http import require_http_methods

from motcua.formatting import vnd
from motcua.payments import services
from motcua.payments.contrib.vnpay import config, signing
from motcua.payments.contrib.vnpay.plugin import parse_vnp_date, vnp_date

REQUIRED = ("vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_Amount", "vnp_CurrCode", "vnp_TxnRef",
            "vnp_OrderInfo", "vnp_ReturnUrl", "vnp_IpAddr", "vnp_CreateDate", "vnp_SecureHash")


def _problem(params: dict[str, str], conf) -> str:
    """Why VNPay would refuse this payment request ("" when it is acceptable)."""
    missing = [k for k in REQUIRED if not params.get(k)]
    if missing:
        return "Thiếu tham số: " + ", ".join(missing) + "."
    if not signing.verify(params, conf.secret):
        return "Sai chữ ký (vnp_SecureHash)."
    if params["vnp_TmnCode"] != conf.tmn_code:
        return "Mã website (vnp_TmnCode) không đúng."
    if params["vnp_Version"] != "2.1.0" or params["vnp_Command"] != "pay" or params["vnp_CurrCode"] != "VND":
        return "Phiên bản, lệnh hoặc loại tiền không được hỗ trợ."
    if not params["vnp_Amount"].isdigit() or int(params["vnp_Amount"]) % 100:
        return "Số tiền (vnp_Amount) không hợp lệ."
    expire = parse_vnp_date(params.get("vnp_ExpireDate", ""))
    if params.get("vnp_ExpireDate") and expire is None:
        return "Thời hạn thanh toán (vnp_ExpireDate) không hợp lệ."
    if expire is not None and expire < timezone.now():
        return "Giao dịch đã quá thời gian chờ thanh toán."
    if urlsplit(params["vnp_ReturnUrl"]).scheme not in ("http", "https"):
        return "Địa chỉ trả về (vnp_ReturnUrl) không hợp lệ."
    return ""


def result_params(params: dict[str, str], paid: bool, conf) -> dict[str, str]:
    """What VNPay sends to the IPN and the return URL, signed."""
    result = {
        "vnp_Amount": params["vnp_Amount"],
        "vnp_BankCode": "NCB" if paid else "VNPAY",
        "vnp_BankTranNo": ("VNP" + get_random_string(8, "0123456789")) if paid else "",
        "vnp_CardType": "ATM" if paid else "",
        "vnp_OrderInfo": params["vnp_OrderInfo"],
        "vnp_PayDate": vnp_date(timezone.now()),
        "vnp_ResponseCode": "00" if paid else "24",
        "vnp_TmnCode": params["vnp_TmnCode"],
        "vnp_TransactionNo": get_random_string(8, "0123456789") if paid else "0",
        "vnp_TransactionStatus": "00" if paid else "02",
        "vnp_TxnRef": params["vnp_TxnRef"],
    }
    result = {k: v for k, v in result.items() if v != ""}
    result["vnp_SecureHash"] = signing.sign(result, conf.secret)
    return result


@require_http_methods(["GET", "POST"])
def pay(request):
    if not settings.PAYMENT_SANDBOX:
        raise Http404
    conf = config.sandbox_config(request)
    source = request.POST if request.method == "POST" else request.GET
    params = {k: source.get(k, "") for k in source if k.startswith("vnp_")}
    problem = _problem(params, conf)
    if problem:
        return render(request, "payments/sandbox_pay.html", {"problem": problem}, status=400)
    if request.method == "POST" and request.POST.get("outcome") in ("pay", "cancel"):
        result = result_params(params, request.POST["outcome"] == "pay", conf)
        services.handle_ipn(result)  # the IPN, as VNPay's server would call it
        back = params["vnp_ReturnUrl"]
        query = signing.hash_data(result) + "&" + signing.urlencode({"vnp_SecureHash": result["vnp_SecureHash"]})
        return HttpResponseRedirect(back + ("&" if "?" in back else "?") + query)
    return render(request, "payments/sandbox_pay.html", {
        "params": params, "amount": vnd(int(params["vnp_Amount"]) // 100),
    })
