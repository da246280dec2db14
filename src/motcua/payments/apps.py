import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"
    verbose_name = _("Thanh toán trực tuyến")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Gateways are apps of their own (contrib/<name>/apps.py): each registers itself.
        from motcua.server.periodic import register_daily

        register_daily("payments_expire", "motcua.payments.tasks.expire_orders", dt.time(1, 0))
