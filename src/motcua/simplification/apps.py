from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimplificationConfig(AppConfig):
    name = "motcua.simplification"
    label = "simplification"
    verbose_name = _("Đề xuất đơn giản hóa thủ tục")
    default_auto_field = "django.db.models.BigAutoField"
