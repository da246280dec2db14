from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PopulationSandboxConfig(AppConfig):
    """The population database's loopback simulator (a demo plugin: mounted only with
    ``MOTCUA_POPULATION_SANDBOX``, refused in production by the national checks)."""

    name = "motcua.national.contrib.population_sandbox"
    label = "population_sandbox"
    verbose_name = _("CSDL dân cư mô phỏng (thử nghiệm)")
