from django.urls import path

from motcua.payments.contrib.sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("vpcpay.html", views.pay, name="pay"),
]
