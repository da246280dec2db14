"""Printable documents (PDF forms of TT 01/2018 and TT 03/2025), mounted at ``/giay-to/``."""

from django.urls import path

from motcua.printing import views

app_name = "printing"

urlpatterns = [
    path("ho-so/<str:code>/giay-tiep-nhan.pdf", views.receipt, name="receipt"),
    path("ho-so/<str:code>/phieu-yeu-cau-bo-sung.pdf", views.supplement_request, name="supplement_request"),
    path("ho-so/<str:code>/phieu-tu-choi.pdf", views.refusal, name="refusal"),
    path("ho-so/<str:code>/phieu-xin-loi.pdf", views.apology, name="apology"),
    path("ho-so/<str:code>/phieu-kiem-soat.pdf", views.control_sheet, name="control_sheet"),
    path("so-theo-doi.pdf", views.register, name="register"),
]
