"""Payment pages and the gateways' callback endpoint."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.errors import DomainError
from motcua.payments import services
from motcua.payments.constants import SIGNATURE_HEADER
from motcua.payments.models import PaymentOrder


@csrf_exempt
@require_POST
def callback(request, gateway: str):
    """``POST /thanh-toan/callback/<gateway>/``: a gateway's signed report (JSON).

    Header ``X-Motcua-Signature: sha256=<hex HMAC-SHA256 of the raw body>``. Answers 200
    ``{order_id, status, changed}``; errors use the API's error body.
    """
    try:
        try:
            body = request.body
        except RequestDataTooBig:
            raise DomainError("Nội dung gửi lên quá lớn.", code="too_large", status=413) from None
        order, changed = services.handle_callback(gateway, body, request.headers.get(SIGNATURE_HEADER, ""))
    except DomainError as exc:
        return JsonResponse(exc.as_body(), status=exc.status, json_dumps_params={"ensure_ascii": False})
    return JsonResponse({"order_id": order.order_id, "status": order.status, "changed": changed})


def result(request, order_id: str):
    """Where the citizen lands after paying: the order's state and the tracking link."""
    order = get_object_or_404(PaymentOrder.objects.select_related("dossier__procedure"), order_id=order_id)
    return render(request, "payments/result.html", {"order": order})
