from django.urls import path

from .views import curriculum

app_name = "lessons"

urlpatterns = [
    path("lessons/", curriculum.lesson_index, name="index"),
    path("lessons/<slug:slug>/", curriculum.lesson_detail, name="detail"),
    path("lessons/<slug:slug>/plan/", curriculum.lesson_plan, name="plan"),
    path("lessons/<slug:slug>/handout/", curriculum.lesson_handout, name="handout"),
    path("timeline/", curriculum.timeline, name="timeline"),
    path("map/", curriculum.korea_map, name="map"),
]
