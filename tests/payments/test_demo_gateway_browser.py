"""A citizen pays the fee on the sandbox gateway's page in a real browser (phone size)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _order(outcome_procedure: str = "2.000815"):
    from motcua.accounts.models import User
    from motcua.catalog.demo import seed_demo
    from motcua.dossiers.services import apply_action, receive_dossier
    from motcua.payments.services import create_order

    seed_demo()
    citizen = User.objects.get(username="congdan")
    dossier = receive_dossier(actor=citizen, procedure_code=outcome_procedure, unit_code="YB.LY.YT", channel="online",
                              applicant={"full_name": "Nguyễn Văn An", "id_number": "015090001234", "phone": "0912345678"})
    apply_action(User.objects.get(username="motcua.yt"), dossier.code, "accept")
    return create_order(citizen, dossier.code)


@pytest.mark.parametrize("button, status, text", [
    ("Thanh toán", "paid", "Thanh toán thành công."),
    ("Hủy", "cancelled", "Giao dịch đã bị hủy"),
])
def test_citizen_pays_or_cancels_on_the_demo_gateway_page(live_server, browser, settings, button, status, text):
    from urllib.parse import urlsplit

    from motcua.payments.models import PaymentOrder

    order, pay_url = _order()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    tab = context.new_page()
    tab.goto(live_server.url + urlsplit(pay_url).path)
    assert "2.000 đồng" in tab.inner_text("main")
    tab.get_by_role("button", name=button, exact=True).click()
    tab.wait_for_url("**/thanh-toan/ket-qua/**")
    assert text in tab.inner_text("main")
    context.close()
    assert PaymentOrder.objects.get(pk=order.pk).status == status
