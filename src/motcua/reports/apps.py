from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    label = "reports"
    verbose_name = _("Báo cáo, thống kê")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from motcua.reports import checks  # noqa: F401  (the installed triggers against the code's)

        # The per-day counters follow every dossier row (triggers); a bulk insert of dossiers
        # (the importer) adds them in one grouped statement instead.
        from motcua.dossiers import bulk
        from motcua.reports import daily

        bulk.register(daily.READ, daily.inserting_in_bulk)
