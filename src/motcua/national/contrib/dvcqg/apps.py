from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DvcqgConfig(AppConfig):
    """The national portal (DVCQG): a plugin of the national app, registered in its own ready()
    with the recurring pulls of dossiers and questions it answers for."""

    name = "motcua.national.contrib.dvcqg"
    label = "national_dvcqg"
    verbose_name = _("Cổng Dịch vụ công quốc gia (DVCQG)")

    def ready(self) -> None:
        from motcua.national.contrib.dvcqg import plugin  # noqa: F401  (registers itself)
        from motcua.server.periodic import register_recurring

        register_recurring("national_pull", "motcua.national.tasks.pull_national_dossiers",
                           "motcua.national.contrib.dvcqg.inbound.pull_due")
        register_recurring("national_questions", "motcua.national.tasks.pull_national_questions",
                           "motcua.national.contrib.dvcqg.questions.questions_due")
