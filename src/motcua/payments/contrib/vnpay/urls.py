from django.urls import path

from motcua.payments.contrib.vnpay import views

app_name = "vnpay"

urlpatterns = [
    path("ipn", views.ipn, name="ipn"),
    path("tra-ve", views.return_page, name="return"),
]
