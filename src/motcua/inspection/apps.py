from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "motcua.inspection"
    label = "inspection"
    verbose_name = _("Kiểm tra công vụ")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from motcua.dossiers.models import DossierEvent
        from motcua.inspection import store

        post_save.connect(store.on_event_saved, sender=DossierEvent, dispatch_uid="inspection_steps")
