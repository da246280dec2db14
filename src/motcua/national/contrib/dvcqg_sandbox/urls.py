from django.urls import path

from motcua.national.contrib.dvcqg_sandbox import views

app_name = "dvcqg_sandbox"

urlpatterns = [
    path("", views.root, name="root"),
    path("auth", views.auth, name="auth"),
    path("integration", views.integration, name="integration"),
    path("share", views.share, name="share"),
    path("pull", views.pull, name="pull"),
]
