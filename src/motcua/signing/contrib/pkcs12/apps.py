from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Pkcs12KeysConfig(AppConfig):
    """A signing key source: a plugin of the signing app, registered in its own ready()."""

    name = "motcua.signing.contrib.pkcs12"
    label = "signing_pkcs12"
    verbose_name = _("Khóa ký trong tệp PKCS#12")

    def ready(self) -> None:
        from motcua.signing.contrib.pkcs12 import plugin  # noqa: F401  (registers itself)
