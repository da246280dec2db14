from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

CACHE_TABLE = "motcua_cache"


def create_cache_table(sender, using="default", verbosity=0, **kwargs):
    """Every ``migrate`` (``motcua serve`` and ``make run`` run it) makes sure the database
    cache's table exists, whichever store MOTCUA_CACHE_URL names today, so switching back
    from Redis to the database needs nothing by hand."""
    from django.core.management.commands.createcachetable import Command
    from django.db import connections

    if CACHE_TABLE not in connections[using].introspection.table_names():
        command = Command()
        command.verbosity = 0
        command.create_table(using, CACHE_TABLE, dry_run=False)


class OperationsConfig(AppConfig):
    default = True  # this module holds two configurations: this one is "motcua.operations"'s
    name = "motcua.operations"
    label = "operations"
    verbose_name = _("Vận hành")

    def ready(self):
        from django.db.backends.signals import connection_created

        from motcua.datadir import on_connection

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="motcua.operations.cache_table")
        connection_created.connect(on_connection, dispatch_uid="motcua.datadir.private_sqlite")


class LoginLockoutConfig(AxesAppConfig):
    """django-axes (failed logins per account and address, operations/throttles.py) under a
    Vietnamese name in the admin; its models and fields are named by locale_django/vi."""

    default = False
    verbose_name = _("Khóa đăng nhập sai")

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        # Its rows name themselves in English ("Access Log for … @ …"): by account, address and time.
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.__str__ = _lockout_row


def _lockout_row(row) -> str:
    from django.utils import timezone

    when = timezone.localtime(row.attempt_time).strftime("%d/%m/%Y %H:%M") if row.attempt_time else ""
    locked = f" ({_('bị khóa')})" if getattr(row, "locked_out", False) else ""
    return f"{row.username or '—'} · {row.ip_address or '—'} · {when}{locked}"
