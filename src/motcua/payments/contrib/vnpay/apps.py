from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VnpayConfig(AppConfig):
    """The VNPay gateway: a plugin of the payments app, registered in its own ready()."""

    name = "motcua.payments.contrib.vnpay"
    label = "payments_vnpay"
    verbose_name = _("Cổng thanh toán VNPay")

    def ready(self) -> None:
        # The gateway registers itself with payments.registry; its deploy checks too.
        from motcua.payments.contrib.vnpay import checks, plugin  # noqa: F401
