from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "motcua.office"
    label = "office"
    default_auto_field = "django.db.models.BigAutoField"
