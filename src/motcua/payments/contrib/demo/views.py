"""The sandbox's payment page: order details and the "Thanh toán" / "Hủy" buttons."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from motcua.payments import services
from motcua.payments.constants import OrderStatus
from motcua.payments.models import PaymentOrder
from motcua.payments.registry import register

OUTCOMES = {"pay": OrderStatus.PAID, "cancel": OrderStatus.CANCELLED}


@require_http_methods(["GET", "POST"])
def demo_gateway(request, order_id: str):
    if "demo" not in register.enabled():
        raise Http404
    order = get_object_or_404(PaymentOrder.objects.select_related("dossier__procedure"), order_id=order_id, gateway="demo")
    if request.method == "POST" and order.status == OrderStatus.PENDING:
        outcome = OUTCOMES.get(request.POST.get("outcome", ""))
        if outcome is not None:
            body, signature = register.get("demo").report(order, outcome)
            services.handle_callback("demo", body, signature)
            return redirect("payments:result", order_id=order.order_id)
    return render(request, "payments/demo_gateway.html", {"order": order})
