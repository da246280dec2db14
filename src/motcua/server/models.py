"""What the background worker leaves in the database: its heartbeat (read by ``/healthz``)
and one row per periodic task and day (so a daily task is enqueued once, whatever the number
of workers)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One running ``motcua worker`` process. ``seen_at`` moves every few seconds while it
    lives; a worker that stops cleanly sets ``stopped_at``. No personal data."""

    worker_id = models.CharField(_("mã tiến trình"), max_length=64, unique=True)
    hostname = models.CharField(_("máy"), max_length=255)
    pid = models.PositiveIntegerField(_("PID"))
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    seen_at = models.DateTimeField(_("hoạt động lần cuối"), db_index=True)
    stopped_at = models.DateTimeField(_("dừng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tiến trình tác vụ nền")
        verbose_name_plural = _("tiến trình tác vụ nền")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class ScheduledRun(models.Model):
    """A periodic task enqueued for ``day`` (Vietnam's date). The unique pair makes the
    daily watch run once a day even with several workers on several machines."""

    name = models.CharField(_("tác vụ"), max_length=100)
    day = models.DateField(_("ngày"))
    enqueued_at = models.DateTimeField(_("đưa vào hàng đợi lúc"), auto_now_add=True)
    task_id = models.CharField(_("mã tác vụ"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("lần chạy định kỳ")
        verbose_name_plural = _("lần chạy định kỳ")
        ordering = ["-day", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="one_scheduled_run_per_task_and_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.day:%d/%m/%Y}"
