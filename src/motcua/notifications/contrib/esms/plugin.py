"""SMS through a "brandname" gateway: eSMS.vn's customer-care message API (``SmsType`` 2).

POST ``MOTCUA_ESMS_URL`` (``…/MainService.svc/json/SendMultipleMessage_V4_post_json/``) with
``{ApiKey, SecretKey, Brandname, SmsType: "2", Phone, Content, IsUnicode, Sandbox, RequestId}``;
the answer's ``CodeResult`` is ``"100"`` when the request is accepted (``SMSID`` is the
reference). Codes 101 (wrong key), 103 (no balance), 104 (brandname not registered) and the
like are the installation's problem, retried (an operator may fix them); 99 (number blocked),
108 (number malformed), 118 (message type unsupported) and 146 (text does not match the
registered customer-care template) are permanent (developers.esms.vn, table of error codes). The message is sent without diacritics
(``IsUnicode`` 0), as brandname SMS usually are: 160 characters a message.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.notifications.base import BaseSender, Outgoing, PermanentFailure, TemporaryFailure
from motcua.notifications.http import post_json
from motcua.notifications.registry import register

ACCEPTED = "100"
PERMANENT = {"99", "108", "118", "146"}


@register.register
class ESMSSender(BaseSender):
    identifier = "esms"
    channel = "sms"
    verbose_name = _("SMS brandname (eSMS.vn)")

    def send(self, message: Outgoing) -> str:
        answer = post_json(settings.ESMS_URL, {
            "ApiKey": settings.ESMS_API_KEY,
            "SecretKey": settings.ESMS_SECRET_KEY,
            "Brandname": settings.ESMS_BRANDNAME,
            "SmsType": "2",
            "Phone": message.recipient,
            "Content": message.body,
            "IsUnicode": 0,
            "Sandbox": 1 if settings.ESMS_SANDBOX else 0,
            "RequestId": f"motcua-{message.notification_id}",
        })
        code = str(answer.get("CodeResult", ""))
        if code == ACCEPTED:
            return str(answer.get("SMSID", ""))[:100]
        if code in PERMANENT:
            raise PermanentFailure(f"esms-{code}")
        raise TemporaryFailure(f"esms-{code or 'unknown'}")
