from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"
    verbose_name = _("Thanh toán trực tuyến")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Gateways register themselves on import.
        from motcua.payments.contrib.demo import plugin  # noqa: F401
