import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalConfig(AppConfig):
    name = "motcua.national"
    label = "national"
    verbose_name = _("Kết nối hệ thống quốc gia")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # National systems are apps of their own (contrib/<system>/apps.py), each registering
        # itself in its ready(). Here: the deploy checks and the outbox's hooks.
        from django.db.models.signals import post_save

        from motcua.dossiers.models import DossierEvent
        from motcua.national import checks, outbox  # noqa: F401
        from motcua.server.periodic import register_daily, register_recurring

        # Every dossier event puts the dossier in the national outbox, in the same transaction.
        post_save.connect(outbox.on_event_saved, sender=DossierEvent, dispatch_uid="national_outbox")
        # An answered question goes to the national portal (DongBoHoiDap), in the approval's transaction.
        from motcua.voices.services import answered

        answered.connect(outbox.on_question_answered, dispatch_uid="national_outbox_questions")
        register_recurring("national_outbox", outbox.DRAIN_TASK, "motcua.national.outbox.has_due")
        register_daily("national_ratings", "motcua.national.tasks.queue_national_ratings", dt.time(2, 0))

        from motcua.national.metrics import OutboxCounts, outbox_health
        from motcua.operations.metrics import register_scrape_collector
        from motcua.server.health import register_health_check

        register_scrape_collector(OutboxCounts())
        register_health_check("national_outbox", outbox_health)
