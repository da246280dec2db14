from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EsmsSenderConfig(AppConfig):
    """A notification sender: a plugin of the notifications app, registered in its own ready()."""

    name = "motcua.notifications.contrib.esms"
    label = "notifications_esms"
    verbose_name = _("SMS brandname (eSMS.vn)")

    def ready(self) -> None:
        from motcua.notifications.contrib.esms import plugin  # noqa: F401  (registers itself)
