"""One answer to "may this person pay now, and how much?" (issue 22 §3: ``payments.services.check``).

Table-driven over how a procedure is priced (a single fee, fee lines only, both, none), the
dossier's status, whether it is paid already and whether a gateway is enabled: the citizen's
page shows its pay button iff the payment service accepts the citizen's order, and the office's
page shows the cash form iff the service records the counter's cash — one rule, every surface.
Both databases.
"""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction
from django.urls import reverse

from motcua.accounts.models import User
from motcua.catalog.models import FeeLine, Procedure
from motcua.dossiers.models import Dossier
from motcua.errors import DomainError
from motcua.payments import services as payments
from motcua.payments.constants import OrderStatus

PROCEDURE = "1.001193"  # free in the demo catalog: each case prices it
PRICES = {
    "single fee": (25000, []),
    "fee lines only": (0, [("Phí thẩm định", 30000, "hồ sơ"), ("Bản sao thêm", 5000, "bản")]),
    "fee lines and a single fee": (10000, [("Lệ phí", 20000, "")]),
    "no fee": (0, []),
}
STATUSES = ["submitted", "received", "processing", "approved", "result_returned", "refused", "withdrawn"]
# Every price with every status (not paid, a gateway enabled), then paid, then no gateway.
CASES = [(p, s, False, True) for p, s in itertools.product(PRICES, STATUSES)] + [
    (p, s, paid, gateway) for p in PRICES for s in ("received", "result_returned") for paid, gateway in
    ((True, True), (False, False))]


def price(how: str) -> None:
    amount, lines = PRICES[how]
    procedure = Procedure.objects.get(code=PROCEDURE)
    procedure.fee_amount = amount
    procedure.save(update_fields=["fee_amount"])
    procedure.fee_lines.all().delete()
    FeeLine.objects.bulk_create([FeeLine(procedure=procedure, order=i, name=n, amount=a, per=p)
                                 for i, (n, a, p) in enumerate(lines)])


def accepted(how: str) -> tuple[str, int]:
    """Whether the service takes it, and the amount of the order it made (0 when it did not)."""
    try:
        with transaction.atomic():
            order = how()
            transaction.set_rollback(True)
            return True, order.amount
    except DomainError:
        return False, 0


@pytest.mark.parametrize(("prices", "status", "paid", "gateway"), CASES)
def test_every_surface_gives_the_same_answer(client, sandbox, online_dossier, prices, status, paid, gateway):
    sandbox.PAYMENT_GATEWAYS = ["vnpay"] if gateway else []
    price(prices)
    dossier = online_dossier(PROCEDURE, accept=False)
    citizen, counter = User.objects.get(username="congdan"), User.objects.get(username="motcua.yt")
    Dossier.objects.filter(pk=dossier.pk).update(status=status)
    if paid:
        dossier.payment_orders.create(order_id="MCPAID0000001", amount=1, gateway="cash", status=OrderStatus.PAID)
    dossier.refresh_from_db()

    online = payments.check(citizen, dossier)
    cash = payments.check(counter, dossier, cash=True)
    by_service = accepted(lambda: payments.create_order(citizen, dossier.code)[0])
    cash_by_service = accepted(lambda: payments.record_cash(counter, dossier.code))
    assert by_service == (online.allowed, online.amount if online.allowed else 0)
    assert cash_by_service == (cash.allowed, cash.amount if cash.allowed else 0)

    client.force_login(citizen)
    page = client.get(reverse("mydossiers:detail", args=[dossier.code])).content.decode()
    assert (reverse("mydossiers:pay", args=[dossier.code]) in page) == online.allowed
    client.force_login(counter)
    office = client.get(reverse("office:dossier", args=[dossier.code])).content.decode()
    assert (reverse("office:dossier_cash", args=[dossier.code]) in office) == cash.allowed

    # and the rule itself, written out: something due, not refused or withdrawn, not paid; online, a gateway
    due = prices != "no fee"
    open_ = status not in ("refused", "withdrawn")
    assert cash.allowed == (due and open_ and not paid)
    assert online.allowed == (due and open_ and not paid and gateway)
    if due:
        amount, lines = PRICES[prices]
        assert online.amount == cash.amount == (lines[0][1] if lines else amount)
