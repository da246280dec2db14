from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from motcua.dossiers.metrics import DossierCounts
        from motcua.operations.metrics import register_scrape_collector

        register_scrape_collector(DossierCounts())
