from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VnpostConfig(AppConfig):
    """VNPost (bưu chính công ích): a plugin of the national app, registered in its own ready()
    with its hook on dossier events (a result to deliver by post gets its order) and its tracking."""

    name = "motcua.national.contrib.vnpost"
    label = "national_vnpost"
    verbose_name = _("Bưu điện Việt Nam (VNPost)")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from motcua.dossiers.models import DossierEvent
        from motcua.national.contrib.vnpost import orders, plugin  # noqa: F401  (registers itself)
        from motcua.server.periodic import register_recurring

        # A dossier to be delivered by post gets its VNPost order when it is resolved.
        post_save.connect(orders.on_event_saved, sender=DossierEvent, dispatch_uid="national_vnpost")
        register_recurring("vnpost_tracking", "motcua.national.tasks.poll_postal_tracking",
                           "motcua.national.contrib.vnpost.orders.tracking_due")
