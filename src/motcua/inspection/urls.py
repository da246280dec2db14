from django.urls import path

from motcua.inspection import views

app_name = "inspection"

urlpatterns = [
    path("kiem-tra/", views.officers_page, name="officers"),
    path("kiem-tra/ho-so/", views.dossiers_page, name="dossiers"),
    path("kiem-tra/mo/", views.open_page, name="open"),
    path("kiem-tra/dot/<int:pk>/", views.record_page, name="record"),
    path("kiem-tra/dot/<int:pk>/bien-ban.pdf", views.record_pdf, name="record_pdf"),
]
