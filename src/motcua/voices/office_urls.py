"""The unit's questions and feedback, mounted at ``/can-bo/hoi-dap/``."""

from django.urls import path

from motcua.voices import views

app_name = "voices_office"

urlpatterns = [
    path("hoi-dap/", views.office_queue, name="queue"),
    path("hoi-dap/<int:item_id>/", views.office_item, name="item"),
    path("hoi-dap/<int:item_id>/thao-tac/", views.office_act, name="act"),
]
