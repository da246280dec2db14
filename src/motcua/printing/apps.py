from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    name = "motcua.printing"
    label = "printing"
    verbose_name = _("In giấy tờ")

    def ready(self) -> None:
        # The catalog offers blank forms; this app draws them (the catalog sits below it).
        from motcua.catalog import blankforms
        from motcua.printing.blank_form import blank_form_data, fingerprint, render_blank_form

        blankforms.register_drawer(data=blank_form_data, fingerprint=fingerprint, render=render_blank_form)
