"""Students' work (/learn/) and teachers assigning and moderating it (/teach/...)."""

from django.urls import path

from .views import coursework

app_name = "coursework"

urlpatterns = [
    path("learn/", coursework.learn_dashboard, name="learn"),
    path("learn/assignments/<int:pk>/", coursework.assignment_page, name="assignment"),
    path("learn/assignments/<int:pk>/prompts/<int:prompt_pk>/", coursework.answer, name="answer"),
    path("learn/assignments/<int:pk>/prompts/<int:prompt_pk>/autosave/", coursework.autosave, name="autosave"),
    path("learn/assignments/<int:pk>/prompts/<int:prompt_pk>/history/", coursework.history, name="history"),
    path(
        "learn/assignments/<int:pk>/prompts/<int:prompt_pk>/history/<int:version_pk>/restore/",
        coursework.restore,
        name="restore",
    ),
    path("learn/assignments/<int:pk>/prompts/<int:prompt_pk>/discussion/", coursework.discussion, name="discussion"),
    path("learn/assignments/<int:pk>/sections/<int:section_pk>/read/", coursework.mark_read, name="mark_read"),
    path("learn/assignments/<int:pk>/posts/<int:response_pk>/reply/", coursework.reply, name="reply"),
    path("teach/classes/<int:pk>/assign/", coursework.assign, name="assign"),
    path("teach/assignments/<int:pk>/edit/", coursework.edit_assignment, name="edit"),
    path("teach/assignments/<int:pk>/delete/", coursework.delete_assignment, name="delete"),
    path("teach/assignments/<int:pk>/discussion/", coursework.moderate, name="moderate"),
    path("teach/discussion/posts/<int:pk>/hide/", coursework.hide_post, name="hide_post"),
    path("teach/discussion/replies/<int:pk>/hide/", coursework.hide_reply, name="hide_reply"),
]
