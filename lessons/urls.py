from django.urls import path

from .views import curriculum

app_name = "lessons"

urlpatterns = [
    path("lessons/", curriculum.lesson_index, name="index"),
    path("timeline/", curriculum.timeline, name="timeline"),
    path("map/", curriculum.korea_map, name="map"),
]
