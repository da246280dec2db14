"""The operator's page, mounted at ``/can-bo/lien-thong/``; the counter's VNPost actions on a dossier."""

from django.urls import path

from motcua.national import views

app_name = "national_office"

urlpatterns = [
    path("lien-thong/", views.operator_page, name="operator"),
    path("lien-thong/gui-lai/", views.retry, name="retry"),
    path("lien-thong/buu-chinh/<str:code>/", views.postal_action, name="postal"),
]
