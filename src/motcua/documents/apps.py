from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "motcua.documents"
    label = "documents"
    verbose_name = _("Giấy tờ số hóa")
    default_auto_field = "django.db.models.BigAutoField"
