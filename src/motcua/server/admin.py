from django.contrib import admin

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
