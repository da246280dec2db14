from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoicesConfig(AppConfig):
    name = "motcua.voices"
    label = "voices"
    verbose_name = _("Hỏi đáp, phản ánh kiến nghị")
    default_auto_field = "django.db.models.BigAutoField"
