from django.urls import path

from .views import coursework

app_name = "coursework"

urlpatterns = [
    path("learn/", coursework.learn_dashboard, name="learn"),
]
