"""Zalo ZNS (Zalo Notification Service), the official channel Vietnamese public services use
for transactional messages to a phone number's Zalo account.

POST ``MOTCUA_ZALO_ZNS_URL`` (``https://business.openapi.zalo.me/message/template``) with the
Official Account's ``access_token`` header and ``{phone: "84…", template_id, template_data,
tracking_id}``; the answer is ``{"error": 0, "message": "Success", "data": {"msg_id": …}}`` on
success. ZNS sends only templates registered and approved in the Zalo account, one per kind
of message: ``MOTCUA_ZALO_TEMPLATES`` maps each kind (``received=231234,paid=231240,…``) to its
template id; a kind without a template is not sent on Zalo. The template parameters are
``ma_ho_so``, ``thu_tuc``, ``don_vi``, ``trang_thai``, ``thoi_gian`` and ``tra_cuu`` (see
``messages.template_data``). Negative ``error`` codes about the token or the quota are
retried (the operator renews the token); codes about the phone or the template are permanent.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.notifications.base import BaseSender, Outgoing, PermanentFailure, TemporaryFailure
from motcua.notifications.http import post_json
from motcua.notifications.registry import register

# Zalo's codes (zalo.cloud/zns/guidelines/handle-error-code) that retrying cannot cure: -108
# phone number invalid, -109 template id invalid, -111 template data empty, -112 template data
# invalid, -118 no Zalo account for the number. Others (-100 unknown, -124 access token, quota)
# are retried: they pass, or an operator fixes them.
PERMANENT = {-108, -109, -111, -112, -118}


class NoTemplate(PermanentFailure):
    """No ZNS template is configured for this kind of message."""


@register.register
class ZNSSender(BaseSender):
    identifier = "zns"
    channel = "zalo"
    verbose_name = _("Zalo ZNS")

    def send(self, message: Outgoing) -> str:
        template_id = settings.ZALO_TEMPLATES.get(message.kind)
        if not template_id:
            raise NoTemplate(f"zns-no-template-{message.kind}")
        answer = post_json(settings.ZALO_ZNS_URL, {
            "phone": message.recipient,
            "template_id": template_id,
            "template_data": message.data,
            "tracking_id": f"motcua-{message.notification_id}",
        }, headers={"access_token": settings.ZALO_ACCESS_TOKEN})
        try:
            error = int(answer.get("error", -1))
        except (TypeError, ValueError):
            error = -1
        if error == 0:
            data = answer.get("data") if isinstance(answer.get("data"), dict) else {}
            return str(data.get("msg_id", ""))[:100]
        if error in PERMANENT:
            raise PermanentFailure(f"zns{error}")
        raise TemporaryFailure(f"zns{error}")
