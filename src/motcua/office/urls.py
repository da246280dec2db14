from django.contrib.auth import views as auth_views
from django.urls import path

from motcua.office import papers, views

app_name = "office"

urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="office/login.html", redirect_authenticated_user=True,
                                                   next_page="office:home"),
         name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("tiep-nhan/thu-tuc/", views.intake_procedures, name="intake_procedures"),
    path("tiep-nhan/xem-truoc/", views.intake_preview, name="intake_preview"),
    path("ho-so/<str:code>/", views.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/thao-tac/", views.dossier_action, name="dossier_action"),
    path("ho-so/<str:code>/nop-tien-mat/", views.dossier_cash, name="dossier_cash"),
    path("ho-so/<str:code>/doi-soat/<str:order_id>/", views.dossier_reconcile, name="dossier_reconcile"),
    path("ho-so/<str:code>/giay-to/", views.dossier_upload, name="dossier_upload"),
    path("ho-so/<str:code>/giay-to/<int:file_id>/", views.dossier_file, name="dossier_file"),
    path("ho-so/<str:code>/giay-to/so-hoa/", papers.papers_section, name="papers_section"),
    path("ho-so/<str:code>/giay-to/<int:file_id>/thong-tin/", papers.paper_describe, name="paper_describe"),
    path("ho-so/<str:code>/giay-to/<int:file_id>/so-hoa-lai/", papers.paper_redigitise, name="paper_redigitise"),
    path("ho-so/<str:code>/ky-so/<int:job_id>/ky-lai/", papers.result_resign, name="result_resign"),
    path("tim-giay-to/", papers.paper_search, name="paper_search"),
]
