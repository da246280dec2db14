from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "motcua.worktime"
    label = "worktime"
    verbose_name = _("Lịch làm việc")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from motcua.catalog.models import Unit
        from motcua.worktime import services
        from motcua.worktime.models import CalendarDay, WorkCalendar, WorkingHours

        def clear(**kwargs):
            services.clear_cache()

        for model in (CalendarDay, WorkCalendar, WorkingHours, Unit):
            post_save.connect(clear, sender=model, weak=False)
            post_delete.connect(clear, sender=model, weak=False)
