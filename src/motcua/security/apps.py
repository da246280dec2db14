from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "motcua.security"
    label = "security"
    verbose_name = _("An toàn")

    def ready(self):
        from motcua.security import checks  # noqa: F401  (registers the deploy checks)
