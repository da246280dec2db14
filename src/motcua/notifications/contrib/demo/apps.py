from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoSendersConfig(AppConfig):
    """Demo senders (a demo plugin: they deliver nothing; a system check warns when one is on in
    production)."""

    name = "motcua.notifications.contrib.demo"
    label = "notifications_demo"
    verbose_name = _("Gửi tin thử nghiệm (DEMO: SMS, Zalo)")

    def ready(self) -> None:
        from motcua.notifications.contrib.demo import plugin  # noqa: F401  (registers itself)
