"""VNPay 2.1.0 signing, checked against VNPay's published example and an independent HMAC.

The integration guide (sandbox.vnpayment.vn/apis/docs/huong-dan-tich-hop/ and
.../thanh-toan-pay/pay.html) publishes this payment URL as its example. Its query string up
to ``&vnp_SecureHash`` is exactly the data VNPay signs: the sorted, form-encoded parameters.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl

from motcua.payments.contrib.vnpay import signing
from tests.payments.conftest import SECRET, vnp_sign

DOC_URL = (
    "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?vnp_Amount=1806000&vnp_Command=pay&vnp_CreateDate=20210801153333"
    "&vnp_CurrCode=VND&vnp_IpAddr=127.0.0.1&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+don+hang+%3A5&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl&vnp_TmnCode=DEMOV210&vnp_TxnRef=5&vnp_Version=2.1.0"
    "&vnp_SecureHash=3e0d61a0c0534b2e36680b3f7277743e8784cc4e1d68fa7d276e79c23be7d6318d338b477910a27992f5057bb1582bd44b"
    "d82ae8009ffaf6d141219218625c42"
)
DOC_PARAMS = {
    "vnp_Amount": "1806000", "vnp_Command": "pay", "vnp_CreateDate": "20210801153333", "vnp_CurrCode": "VND",
    "vnp_IpAddr": "127.0.0.1", "vnp_Locale": "vn", "vnp_OrderInfo": "Thanh toan don hang :5", "vnp_OrderType": "other",
    "vnp_ReturnUrl": "https://domainmerchant.vn/ReturnUrl", "vnp_TmnCode": "DEMOV210", "vnp_TxnRef": "5",
    "vnp_Version": "2.1.0",
}


def test_hash_data_is_the_documented_query_string():
    signed_part = DOC_URL.split("?", 1)[1].split("&vnp_SecureHash=")[0]
    shuffled = dict(reversed(list(DOC_PARAMS.items())))  # order of insertion must not matter
    assert signing.hash_data(shuffled) == signed_part
    assert dict(parse_qsl(signed_part)) == DOC_PARAMS


def test_signature_is_hmac_sha512_of_that_string():
    data = DOC_URL.split("?", 1)[1].split("&vnp_SecureHash=")[0]
    expected = hmac.new(SECRET.encode(), data.encode(), hashlib.sha512).hexdigest()
    assert signing.sign(DOC_PARAMS, SECRET) == expected == vnp_sign(DOC_PARAMS)
    assert len(expected) == 128 and expected == expected.lower()


def test_secure_hash_and_type_and_empty_values_are_not_signed():
    base = signing.sign(DOC_PARAMS, SECRET)
    assert signing.sign({**DOC_PARAMS, "vnp_SecureHash": "x", "vnp_SecureHashType": "HmacSHA512"}, SECRET) == base
    assert signing.sign({**DOC_PARAMS, "vnp_BankCode": ""}, SECRET) == base
    assert signing.sign({**DOC_PARAMS, "vnp_BankCode": "NCB"}, SECRET) != base
    assert signing.sign({**DOC_PARAMS, "other": "ignored"}, SECRET) == base


def test_verify_accepts_the_right_signature_only():
    signed = {**DOC_PARAMS, "vnp_SecureHash": signing.sign(DOC_PARAMS, SECRET)}
    assert signing.verify(signed, SECRET)
    assert signing.verify({**signed, "vnp_SecureHash": signed["vnp_SecureHash"].upper()}, SECRET)
    assert not signing.verify({**signed, "vnp_Amount": "1806001"}, SECRET)
    assert not signing.verify(signed, SECRET + "x")
    assert not signing.verify(DOC_PARAMS, SECRET)
    assert not signing.verify(signed, "")


def test_spaces_become_plus_and_reserved_characters_are_escaped():
    data = signing.hash_data({"vnp_OrderInfo": "a b&c=d/é", "vnp_Amount": "100"})
    assert data == "vnp_Amount=100&vnp_OrderInfo=a+b%26c%3Dd%2F%C3%A9"
