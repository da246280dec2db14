from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Pkcs11KeysConfig(AppConfig):
    """A signing key source: a plugin of the signing app, registered in its own ready()."""

    name = "motcua.signing.contrib.pkcs11"
    label = "signing_pkcs11"
    verbose_name = _("Khóa ký trên thiết bị PKCS#11")

    def ready(self) -> None:
        from motcua.signing.contrib.pkcs11 import plugin  # noqa: F401  (registers itself)
