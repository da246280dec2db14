from django.urls import path

from motcua.portal import kiosk

app_name = "kiosk"

urlpatterns = [
    path("danh-gia/", kiosk.rate, name="rate"),
    path("danh-gia/kich-hoat/", kiosk.activate, name="activate"),
]
