from django.contrib.auth import views as auth_views
from django.urls import path

from motcua.office import views

app_name = "office"

urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="office/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
]
