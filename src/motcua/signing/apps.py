from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "motcua.signing"
    label = "signing"
    verbose_name = _("Ký số và xác thực")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from motcua.dossiers.models import DossierEvent
        from motcua.server.periodic import register_recurring
        from motcua.signing import checks  # noqa: F401  (start-up and deploy checks)
        from motcua.signing.services import on_event_saved

        post_save.connect(on_event_saved, sender=DossierEvent, dispatch_uid="motcua.signing.on_dossier_event")
        register_recurring("signing_retries", "motcua.signing.tasks.retry_due", "motcua.signing.services.retries_due")
