"""Public pages of the unit: home, lesson list, reading, timeline, map, plans."""

from django.shortcuts import render

from lessons.models import Lesson, Unit


def home(request):
    unit = Unit.objects.first()
    lessons = Lesson.objects.visible_to(request.user).filter(unit=unit) if unit else Lesson.objects.none()
    return render(request, "lessons/home.html", {"unit": unit, "lessons": lessons})


def lesson_index(request):
    return home(request)


def timeline(request):
    return home(request)


def korea_map(request):
    return home(request)
