from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VnpostSandboxConfig(AppConfig):
    name = "motcua.national.contrib.vnpost_sandbox"
    label = "vnpost_sandbox"
    verbose_name = _("VNPost mô phỏng (thử nghiệm)")
    default_auto_field = "django.db.models.BigAutoField"
