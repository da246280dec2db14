from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZnsSenderConfig(AppConfig):
    """A notification sender: a plugin of the notifications app, registered in its own ready()."""

    name = "motcua.notifications.contrib.zns"
    label = "notifications_zns"
    verbose_name = _("Zalo ZNS")

    def ready(self) -> None:
        from motcua.notifications.contrib.zns import plugin  # noqa: F401  (registers itself)
