from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailSenderConfig(AppConfig):
    """A notification sender: a plugin of the notifications app, registered in its own ready()."""

    name = "motcua.notifications.contrib.email"
    label = "notifications_email"
    verbose_name = _("Gửi thư điện tử")

    def ready(self) -> None:
        from motcua.notifications.contrib.email import plugin  # noqa: F401  (registers itself)
