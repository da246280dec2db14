"""VNPay 2.1.0 signatures (``sandbox.vnpayment.vn/apis/docs/thanh-toan-pay/pay.html``).

Every ``vnp_*`` parameter except ``vnp_SecureHash`` and ``vnp_SecureHashType``, empty values
dropped, sorted by key (ASCII), form-encoded (``urllib.parse.urlencode``: space → ``+``),
joined ``k=v&k=v``; the signature is the lowercase hex HMAC-SHA512 of that string with the
merchant's hash secret. The same string, with the signature appended, is the query string.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import urlencode

UNSIGNED = ("vnp_SecureHash", "vnp_SecureHashType")


def hash_data(params: Mapping[str, object]) -> str:
    """The string VNPay signs: sorted, form-encoded ``vnp_*`` parameters."""
    items = sorted(
        (key, str(value)) for key, value in params.items()
        if key.startswith("vnp_") and key not in UNSIGNED and value is not None and str(value) != ""
    )
    return urlencode(items)


def sign(params: Mapping[str, object], secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), hash_data(params).encode("utf-8"), hashlib.sha512).hexdigest()


def verify(params: Mapping[str, object], secret: str) -> bool:
    """True when ``params["vnp_SecureHash"]`` is the signature of the other parameters."""
    given = str(params.get("vnp_SecureHash") or "").strip().lower()
    return bool(given) and bool(secret) and hmac.compare_digest(sign(params, secret), given)


def signed_query(params: Mapping[str, object], secret: str) -> str:
    """The query string of a signed request: the hashed data, then ``vnp_SecureHash``."""
    return hash_data(params) + "&" + urlencode({"vnp_SecureHash": sign(params, secret)})
