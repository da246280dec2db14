from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoKeysConfig(AppConfig):
    """The demo PKI's key source (a demo plugin: ``MOTCUA_SIGNING_DEMO``, refused in production by
    the signing checks)."""

    name = "motcua.signing.contrib.demo"
    label = "signing_demo"
    verbose_name = _("Chứng thư thử nghiệm (DEMO)")

    def ready(self) -> None:
        from motcua.signing.contrib.demo import plugin  # noqa: F401  (registers itself)
