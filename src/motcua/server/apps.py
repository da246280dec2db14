from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServerConfig(AppConfig):
    """Serving the site and running its background work: ``motcua serve``, ``motcua worker``,
    the worker's heartbeat and the daily schedule, ``GET /healthz``."""

    name = "motcua.server"
    label = "server"
    verbose_name = _("Máy chủ và tác vụ nền")
    default_auto_field = "django.db.models.BigAutoField"
