from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"
    verbose_name = "Thanh toán trực tuyến"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Gateways register themselves on import.
        from motcua.payments.contrib.demo import plugin  # noqa: F401
