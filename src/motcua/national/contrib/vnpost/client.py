"""VNPost's API, spoken over HTTP (shared/domain/national-systems.md §2.1, OpenCPS' client).

* ``POST /token``, form ``grant_type=client_credentials``, ``Authorization: Basic base64(key:secret)``
  → ``{access_token, token_type, expires_in}``; kept in the shared cache until shortly before it
  expires, renewed once when a call is refused with 401;
* ``POST /order/post`` (``Authorization: <token_type> <token>``), JSON with null fields kept →
  ``{Status, Message}``: ``"100"`` created (``"101"`` accepted too, as Thanh Hóa's client does);
* ``GET /order/cancel?CustomerCode=&OrderNumber=``;
* ``GET /order/tracking?pagesize=&lastId=`` → ``{_size, _total_pages, _returned, _embedded:
  {"rh:doc": [{_id: {$oid}, CustomerCode, OrderNumber, EventTime, POSID, ItemCode, StatusCode,
  StatusMessage, Notes}]}}``.

A connection error, a timeout, an HTTP error (other than the one 401 renewal) or a body that is
not JSON raise :class:`PostalUnreachable`. Nothing personal is logged.
"""

from __future__ import annotations

import base64
import logging

import httpx
from django.core.cache import cache

from motcua.national.contrib.vnpost import config as postal_config

log = logging.getLogger(__name__)

TOKEN_CACHE_KEY = "national:vnpost:token"
TIMEOUT = 20
ACCEPTED = ("100", "101")


class PostalUnreachable(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


class PostalClient:
    def __init__(self, conf: postal_config.PostalConfig | None = None):
        self.conf = conf or postal_config.current()
        self.http = httpx.Client(timeout=TIMEOUT, headers={"Accept": "application/json"})

    def close(self) -> None:
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _json(self, response: httpx.Response, what: str):
        if response.status_code >= 400:
            raise PostalUnreachable(f"http_{response.status_code}", f"VNPost trả lời HTTP {response.status_code} ({what}).")
        try:
            return response.json()
        except ValueError:
            raise PostalUnreachable("invalid_reply", f"Câu trả lời của VNPost không phải JSON ({what}).") from None

    def _send(self, method: str, url: str, what: str, **kwargs) -> httpx.Response:
        try:
            return self.http.request(method, url, **kwargs)
        except httpx.TimeoutException:
            raise PostalUnreachable("timeout", f"VNPost không trả lời trong {TIMEOUT} giây ({what}).") from None
        except httpx.HTTPError as exc:
            raise PostalUnreachable(type(exc).__name__, f"Không kết nối được VNPost ({what}).") from None

    def token(self, *, fresh: bool = False) -> str:
        cached = None if fresh else cache.get(TOKEN_CACHE_KEY)
        if cached:
            return cached
        basic = base64.b64encode(f"{self.conf.key}:{self.conf.secret}".encode()).decode()
        response = self._send("POST", self.conf.url(postal_config.TOKEN_PATH), "token",
                              data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"})
        body = self._json(response, "token")
        token = str((body or {}).get("access_token") or "") if isinstance(body, dict) else ""
        if not token:
            raise PostalUnreachable("no_token", "VNPost không cấp mã truy cập (kiểm tra MOTCUA_VNPOST_KEY, MOTCUA_VNPOST_SECRET).")
        value = f"{body.get('token_type') or 'Bearer'} {token}"
        lifetime = int(body.get("expires_in") or 3600) if str(body.get("expires_in") or "").isdigit() else 3600
        cache.set(TOKEN_CACHE_KEY, value, timeout=max(30, lifetime - 60))
        return value

    def _call(self, method: str, path: str, what: str, **kwargs):
        response = self._send(method, self.conf.url(path), what, headers={"Authorization": self.token()}, **kwargs)
        if response.status_code == 401:  # the token ended early: renew once
            response = self._send(method, self.conf.url(path), what, headers={"Authorization": self.token(fresh=True)}, **kwargs)
        return self._json(response, what)

    def post_order(self, body: dict) -> tuple[bool, str, str]:
        """``(accepted, Status, Message)``."""
        reply = self._call("POST", postal_config.ORDER_PATH, "order", json=body)
        if not isinstance(reply, dict):
            raise PostalUnreachable("invalid_reply", "Câu trả lời của VNPost không phải đối tượng JSON (order).")
        status, message = str(reply.get("Status") or "").strip(), str(reply.get("Message") or "").strip()
        if status not in ACCEPTED:
            log.warning("vnpost refused an order: status %s", status)
        return status in ACCEPTED, status, message[:500]

    def cancel_order(self, order_number: str) -> tuple[bool, str]:
        reply = self._call("GET", postal_config.CANCEL_PATH, "cancel",
                           params={"CustomerCode": self.conf.customer_code, "OrderNumber": order_number})
        reply = reply if isinstance(reply, dict) else {}
        status = str(reply.get("Status") or "").strip()
        return status in ACCEPTED, str(reply.get("Message") or "")[:500]

    def tracking(self, last_id: str = "", page_size: int = 100) -> list[dict]:
        reply = self._call("GET", postal_config.TRACKING_PATH, "tracking", params={"pagesize": page_size, "lastId": last_id})
        docs = ((reply or {}).get("_embedded") or {}).get("rh:doc") if isinstance(reply, dict) else None
        if not isinstance(docs, list):
            raise PostalUnreachable("invalid_reply", "Dữ liệu hành trình của VNPost không đúng dạng (_embedded.rh:doc).")
        return [d for d in docs if isinstance(d, dict)]
