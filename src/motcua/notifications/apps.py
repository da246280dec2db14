from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    label = "notifications"
    verbose_name = _("Thông báo")
    default_auto_field = "django.db.models.BigAutoField"

    def __str__(self) -> str:
        return self.name

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from motcua.dossiers.models import DossierEvent
        from motcua.notifications import checks  # noqa: F401  (system checks)
        from motcua.notifications.services import _on_event_saved

        post_save.connect(_on_event_saved, sender=DossierEvent, dispatch_uid="motcua.notifications.on_dossier_event")

        from allauth.account.signals import user_signed_up

        from motcua.notifications.services import channels_at_sign_up

        user_signed_up.connect(channels_at_sign_up, dispatch_uid="motcua.notifications.channels_at_sign_up")

        from motcua.accounts import sms
        from motcua.notifications.services import send_account_sms, sms_available

        sms.register(send_account_sms, sms_available)

        import datetime as dt

        from motcua.server.periodic import register_daily

        register_daily("overdue_watch", "motcua.notifications.watch.overdue_watch", dt.time(7, 0))
