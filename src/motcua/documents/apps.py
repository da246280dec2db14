from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "motcua.documents"
    label = "documents"
    verbose_name = _("Giấy tờ số hóa")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import datetime as dt

        from motcua.documents import checks  # noqa: F401  (the deploy check: OCR on this machine)
        from motcua.server.periodic import register_daily

        register_daily("resume_stalled_digitisations", "motcua.documents.digitisation.resume_stalled_digitisations",
                       dt.time(1, 0))
