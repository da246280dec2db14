"""The daily task that cancels fee orders past their payment deadline (``vnp_ExpireDate``)."""

from motcua.server.tasks import task


@task()
def expire_orders() -> int:
    from motcua.payments.services import expire_stale

    return expire_stale()
