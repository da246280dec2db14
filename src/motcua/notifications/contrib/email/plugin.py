"""E-mail through Django's mail API (SMTP from ``MOTCUA_EMAIL_URL``, with a timeout), and the
outbox for installations without a mail server: the message is kept, visible in the admin,
and nothing with personal data is printed to the log."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext_lazy as _

from motcua.notifications.base import BaseSender, Outgoing
from motcua.notifications.registry import register


@register.register
class MailSender(BaseSender):
    identifier = "mail"
    channel = "email"
    verbose_name = _("Thư điện tử (máy chủ SMTP)")

    def send(self, message: Outgoing) -> str:
        connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
        mail = EmailMessage(subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL,
                            to=[message.recipient], connection=connection,
                            headers={"X-Motcua-Notification": str(message.notification_id)})
        mail.send(fail_silently=False)
        return ""


@register.register
class OutboxSender(BaseSender):
    identifier = "outbox"
    channel = "email"
    verbose_name = _("Hộp thư đi (chưa cấu hình máy chủ thư)")
    delivers = False

    def send(self, message: Outgoing) -> str:
        return ""
