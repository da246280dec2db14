from django.urls import path

from motcua.simplification import views

app_name = "simplification"

urlpatterns = [
    path("don-gian-hoa/", views.register_page, name="register"),
    path("don-gian-hoa/<int:pk>/", views.proposal_page, name="proposal"),
    path("don-gian-hoa/so-de-xuat.csv", views.export, {"fmt": "csv"}, name="csv"),
    path("don-gian-hoa/so-de-xuat.xlsx", views.export, {"fmt": "xlsx"}, name="xlsx"),
]
