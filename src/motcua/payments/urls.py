"""Payment pages, mounted at ``/thanh-toan/``."""

from django.urls import path

from motcua.payments import views
from motcua.payments.contrib.demo import views as demo_views

app_name = "payments"

urlpatterns = [
    path("demo/<str:order_id>/", demo_views.demo_gateway, name="demo"),
    path("ket-qua/<str:order_id>/", views.result, name="result"),
    path("callback/<str:gateway>/", views.callback, name="callback"),
]
