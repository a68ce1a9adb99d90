"""The teacher's pages under /teach/: classes, join codes and rosters."""

from django.urls import path

from . import views

app_name = "teach"

urlpatterns = [
    path("", views.teacher_dashboard, name="dashboard"),
    path("classes/new/", views.classroom_new, name="classroom_new"),
    path("classes/archived/", views.archived_classrooms, name="archived"),
    path("classes/<int:pk>/", views.classroom_detail, name="classroom"),
    path("classes/<int:pk>/edit/", views.classroom_edit, name="classroom_edit"),
    path("classes/<int:pk>/archive/", views.classroom_archive, name="classroom_archive"),
    path("classes/<int:pk>/restore/", views.classroom_restore, name="classroom_restore"),
    path("classes/<int:pk>/code/", views.join_code, name="join_code"),
    path("classes/<int:pk>/code/regenerate/", views.regenerate_join_code, name="regenerate_join_code"),
    path("classes/<int:pk>/joining/", views.toggle_joining, name="toggle_joining"),
    path("classes/<int:pk>/students/add/", views.students_add, name="students_add"),
    path("classes/<int:pk>/students/cards/", views.login_cards, name="login_cards"),
    path(
        "classes/<int:pk>/students/<int:student_pk>/password/",
        views.student_reset_password,
        name="student_reset_password",
    ),
    path("classes/<int:pk>/students/<int:student_pk>/remove/", views.student_remove, name="student_remove"),
]
