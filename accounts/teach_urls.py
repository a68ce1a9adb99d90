from django.urls import path

from . import views

app_name = "teach"

urlpatterns = [
    path("", views.teacher_dashboard, name="dashboard"),
]
