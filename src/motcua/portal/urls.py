from django.urls import path

from motcua.portal import verify, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedures"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path("thu-tuc/<str:code>/qr.svg", views.procedure_qr, name="procedure_qr"),
    path("thu-tuc/<str:code>/in/", views.procedure_print, name="procedure_print"),
    path("thu-tuc/<str:code>/mau/<int:paper_id>/", views.blank_form, name="blank_form_bare"),
    path("thu-tuc/<str:code>/mau/<int:paper_id>/<str:name>", views.blank_form, name="blank_form"),
    path("don-vi/<str:code>/", views.unit_catalog, name="unit"),
    path("don-vi/<str:code>/bang-qr.pdf", views.unit_poster, name="unit_poster"),
    path("tra-cuu/", views.track, name="track"),
    path("tra-cuu/<str:code>/", views.track, name="track_code"),
    path("xac-thuc/", verify.verify_page, name="verify"),
    path("xac-thuc/demo-pki/<path:rest>", verify.demo_pki, name="verify_demo_pki"),
    path("xac-thuc/<str:token>/", verify.issued_page, name="verify_issued"),
]
