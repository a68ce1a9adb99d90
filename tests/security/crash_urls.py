"""A URL conf for tests: the project's URLs plus one view that crashes."""

from django.urls import path

from korea_lessons.urls import urlpatterns as project_urlpatterns


def crash(request):
    raise RuntimeError("secret detail: database password is hunter2")


urlpatterns = [path("crash-for-tests/", crash), *project_urlpatterns]
