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
    name = "motcua.operations"
    label = "operations"
    verbose_name = _("Vận hành")

    def ready(self):
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="motcua.operations.cache_table")
