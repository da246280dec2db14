from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "motcua.operations"
    label = "operations"
    verbose_name = "Vận hành"
