from django.urls import path

from motcua.filing import views

app_name = "filing"

urlpatterns = [
    path("thu-tuc/<str:code>/nop-ho-so/", views.start, name="start"),
    path("thu-tuc/<str:code>/nop-ho-so/qr.svg", views.form_qr, name="qr"),
    path("thu-tuc/<str:code>/nop-ho-so/huy/", views.discard, name="discard"),
    path("thu-tuc/<str:code>/nop-ho-so/nop/", views.submit, name="submit"),
    path("thu-tuc/<str:code>/nop-ho-so/<slug:step>/", views.step, name="step"),
]
