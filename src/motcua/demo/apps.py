from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data that spans apps (``motcua seed-demo``): the top floor, above every app it fills."""

    name = "motcua.demo"
    label = "demo"
    verbose_name = _("Dữ liệu mẫu")

    def ready(self) -> None:
        from motcua.demo import checks  # noqa: F401  (the demo accounts' deploy check)
