from django.urls import path

from motcua.voices import views

app_name = "voices"

urlpatterns = [
    path("hoi-dap/", views.questions_page, name="questions"),
    path("thu-tuc/<str:code>/hoi-dap/", views.questions_page, name="procedure_questions"),
]
