"""A teacher's privacy tools for one student: export and delete (under /teach/)."""

from django.urls import path

from . import privacy_views

app_name = "privacy_tools"

urlpatterns = [
    path("students/<int:pk>/export.json", privacy_views.student_export, name="student_export"),
    path("students/<int:pk>/delete/", privacy_views.student_delete, name="student_delete"),
]
