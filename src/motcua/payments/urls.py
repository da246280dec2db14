"""Payment pages, mounted at ``/thanh-toan/``. The sandbox only with ``MOTCUA_PAYMENT_SANDBOX``."""

from django.conf import settings
from django.urls import include, path

app_name = "payments"

urlpatterns = [
    path("vnpay/", include("motcua.payments.contrib.vnpay.urls")),
]

if settings.PAYMENT_SANDBOX:
    urlpatterns.append(path("sandbox/", include("motcua.payments.contrib.sandbox.urls")))
