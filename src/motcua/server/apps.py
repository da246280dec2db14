from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class ServerConfig(AppConfig):
    """Serving the site and running its background work: ``motcua serve``, ``motcua worker``,
    the worker's heartbeat and the daily schedule, ``GET /healthz``."""

    default = True  # this module holds two configurations: this one is "motcua.server"'s
    name = "motcua.server"
    label = "server"
    verbose_name = _("Máy chủ và tác vụ nền")
    default_auto_field = "django.db.models.BigAutoField"


class TaskQueueConfig(TasksAppConfig):
    """django-tasks' database backend (the queue the worker reads) under a Vietnamese name in
    the admin; its model and fields are named by locale_django/vi."""

    default = False
    verbose_name = _("Hàng đợi tác vụ nền")

    def ready(self):
        super().ready()
        from django_tasks_db.models import DBTaskResult

        # Its rows name themselves "DBTaskResult object (…)": by task and state instead.
        DBTaskResult.__str__ = lambda row: f"{row.task_name} · {row.get_status_display()}"
