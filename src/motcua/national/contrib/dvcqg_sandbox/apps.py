from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DvcqgSandboxConfig(AppConfig):
    name = "motcua.national.contrib.dvcqg_sandbox"
    label = "dvcqg_sandbox"
    verbose_name = _("Cổng DVCQG mô phỏng (thử nghiệm)")
    default_auto_field = "django.db.models.BigAutoField"
