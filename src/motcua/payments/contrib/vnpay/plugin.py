"""The ``vnpay`` gateway plugin: builds VNPay 2.1.0's signed payment URL."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.urls import reverse

from motcua.links import public_url
from motcua.net import client_address
from motcua.notifications.messages import unaccented
from motcua.payments.base import BasePlugin
from motcua.payments.contrib.vnpay import config, signing
from motcua.payments.registry import register
from motcua.worktime.calendar import VN_TZ

VERSION = "2.1.0"
DATE_FORMAT = "%Y%m%d%H%M%S"  # yyyyMMddHHmmss, GMT+7
_NOT_PLAIN = re.compile(r"[^A-Za-z0-9 ]+")


def vnp_date(moment: dt.datetime) -> str:
    """``yyyyMMddHHmmss`` in GMT+7, as VNPay reads ``vnp_CreateDate``/``vnp_ExpireDate``."""
    return moment.astimezone(VN_TZ).strftime(DATE_FORMAT)


def parse_vnp_date(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, DATE_FORMAT).replace(tzinfo=VN_TZ)
    except (TypeError, ValueError):
        return None


def order_info(order) -> str:
    """``vnp_OrderInfo``: without diacritics, letters, digits and spaces only."""
    text = unaccented(f"Thanh toan phi le phi ho so {order.dossier.code}")
    return " ".join(_NOT_PLAIN.sub(" ", text).split())[:255]


def ip_address(request) -> str:
    address = client_address(request) if request is not None else ""
    return address or "127.0.0.1"


@register.register
class VnpayGateway(BasePlugin):
    identifier = "vnpay"
    verbose_name = "VNPay"

    def expires_at(self, order):
        return order.created_at + dt.timedelta(minutes=settings.VNPAY_EXPIRE_MINUTES)

    def params(self, order, request=None) -> dict[str, str]:
        """The payment request's parameters, unsigned (``shared/domain/integrations.md``)."""
        conf = config.current(request)
        return {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": conf.tmn_code,
            "vnp_Amount": str(order.amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": order.order_id,
            "vnp_OrderInfo": order_info(order),
            "vnp_OrderType": "billpayment",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": public_url(reverse("payments:vnpay:return"), request),
            "vnp_IpAddr": ip_address(request),
            "vnp_CreateDate": vnp_date(order.created_at),
            "vnp_ExpireDate": vnp_date(order.expires_at or self.expires_at(order)),
        }

    def start_payment(self, order, request=None) -> str:
        conf = config.current(request)
        return conf.payment_url + "?" + signing.signed_query(self.params(order, request), conf.secret)

    def verify(self, params) -> bool:
        return signing.verify(params, config.current().secret)
