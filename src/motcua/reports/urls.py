from django.urls import path

from motcua.reports import views

app_name = "reports"

urlpatterns = [
    path("bao-cao/", views.report_page, name="report"),
    path("bao-cao/bieu06.csv", views.report_csv, name="csv"),
    path("bao-cao/ho-so/", views.dossiers_page, name="dossiers"),
    path("bang-dieu-khien/", views.dashboard, name="dashboard"),
    path("bang-dieu-khien/qua-han/", views.overdue_now_page, name="overdue_now"),
    path("bang-dieu-khien/chi-so/", views.indicator_dossiers_page, name="indicator_dossiers"),
]
