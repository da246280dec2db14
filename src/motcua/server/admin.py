from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from motcua.server.models import ScheduledRun, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "pid", "started_at", "seen_at", "stopped_at")
    readonly_fields = ("worker_id", "hostname", "pid", "started_at", "seen_at", "stopped_at")

    def has_add_permission(self, request):
        return False


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    list_display = ("name", "day", "enqueued_at")
    readonly_fields = ("name", "day", "enqueued_at", "task_id")

    def has_add_permission(self, request):
        return False


# django-tasks-db's queue, its computed columns named in Vietnamese (its own are plain English).
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ("id", "task_label", "status", "enqueued_at", "started_at", "finished_at", "priority", "queue_name")

    @admin.display(description=_("tác vụ"))
    def task_label(self, obj):
        return obj.task_name

    @admin.display(description=_("vết lỗi"))
    def formatted_traceback(self, obj):
        return super().formatted_traceback(obj)

    @admin.display(description=_("chạy sau"))
    def display_run_after(self, obj):
        return super().display_run_after(obj)
