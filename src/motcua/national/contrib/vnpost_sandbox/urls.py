from django.urls import path

from motcua.national.contrib.vnpost_sandbox import views

app_name = "vnpost_sandbox"

urlpatterns = [
    path("", views.root, name="root"),
    path("token", views.token, name="token"),
    path("order/post", views.post_order, name="order"),
    path("order/cancel", views.cancel_order, name="cancel"),
    path("order/tracking", views.tracking, name="tracking"),
]
