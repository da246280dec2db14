from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentSandboxConfig(AppConfig):
    """The VNPay-compatible sandbox gateway: a test gateway, no real money; its pages are mounted only
    with ``MOTCUA_PAYMENT_SANDBOX`` (and refused in production by the deploy checks)."""

    name = "motcua.payments.contrib.sandbox"
    label = "payments_sandbox"
    verbose_name = _("Cổng thanh toán thử nghiệm (sandbox)")
