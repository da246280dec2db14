"""The national portal plugin's public URLs, mounted at ``/lien-thong/dvcqg/``."""

from django.urls import path

from motcua.national.contrib.dvcqg import views

app_name = "dvcqg"

urlpatterns = [
    path("tep/<str:token>/", views.download_file, name="file"),
]
