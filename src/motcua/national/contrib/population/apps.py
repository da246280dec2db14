from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PopulationConfig(AppConfig):
    name = "motcua.national.contrib.population"
    label = "population"
    verbose_name = _("Tra cứu Cơ sở dữ liệu quốc gia về dân cư")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from motcua.national.contrib.population import plugin  # noqa: F401  (registers itself)
