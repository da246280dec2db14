from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalConfig(AppConfig):
    name = "motcua.national"
    label = "national"
    verbose_name = _("Kết nối hệ thống quốc gia")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # National systems register themselves on import (contrib/<system>/plugin.py); a new
        # system adds its import here. Then the deploy checks and the outbox's hooks.
        from motcua.national import checks  # noqa: F401
        from motcua.national.contrib.dvcqg import plugin  # noqa: F401
