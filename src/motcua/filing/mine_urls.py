from django.urls import path

from motcua.filing import mine

app_name = "mydossiers"

urlpatterns = [
    path("", mine.my_list, name="list"),
    path("kho-giay-to/", mine.document_store, name="store"),
    path("<str:code>/", mine.detail, name="detail"),
    path("<str:code>/bien-nhan/", mine.receipt, name="receipt"),
    path("<str:code>/qr.svg", mine.receipt_qr, name="qr"),
    path("<str:code>/bo-sung/", mine.supplement, name="supplement"),
    path("<str:code>/rut/", mine.withdraw, name="withdraw"),
    path("<str:code>/thanh-toan/", mine.pay, name="pay"),
    path("<str:code>/danh-gia/", mine.rate, name="rate"),
    path("<str:code>/khao-sat/", mine.survey, name="survey"),
    path("<str:code>/phan-anh/", mine.feedback, name="feedback"),
    path("<str:code>/phi/<str:order_id>/bien-lai.pdf", mine.fee_receipt, name="fee_receipt"),
    path("<str:code>/giay-to/<int:file_id>/", mine.download, name="download"),
]
