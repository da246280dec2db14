from django.urls import path

from motcua.national.contrib.population_sandbox import views

app_name = "population_sandbox"

urlpatterns = [
    path("soap", views.soap, name="soap"),
    path("json", views.json_proxy, name="json"),
]
