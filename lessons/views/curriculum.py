"""Public pages of the unit: home, lesson list, reading, handout, timeline, map;
and the lesson plan, for teachers and staff."""

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from lessons.models import KeyTerm, Lesson, PlanStep, Prompt, Quotation, Section, Unit


def _unit() -> Unit | None:
    return Unit.objects.order_by("pk").first()


def _lessons_for(user, unit: Unit | None):
    if unit is None:
        return Lesson.objects.none()
    return Lesson.objects.visible_to(user).filter(unit=unit).order_by("order")


def _lesson_for(user, slug: str, *, teacher_notes: bool = False) -> Lesson:
    """The lesson with everything its pages show, fetched up front; drafts are 404 for all but staff."""
    prompts = Prompt.objects.visible_to(user).order_by("order")
    if not teacher_notes:
        prompts = prompts.defer("strong_answer")
    related = [
        Prefetch("sections", queryset=Section.objects.order_by("order")),
        Prefetch("key_terms", queryset=KeyTerm.objects.order_by("order", "term")),
        Prefetch("quotations", queryset=Quotation.objects.order_by("order", "pk")),
        Prefetch("prompts", queryset=prompts),
    ]
    if teacher_notes:
        related.append(Prefetch("plan_steps", queryset=PlanStep.objects.order_by("order")))
    lessons = Lesson.objects.visible_to(user).select_related("unit").prefetch_related(*related)
    return get_object_or_404(lessons, slug=slug)


def _neighbours(user, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    siblings = _lessons_for(user, lesson.unit).only("slug", "title", "order")
    previous = siblings.filter(order__lt=lesson.order).order_by("-order").first()
    following = siblings.filter(order__gt=lesson.order).first()
    return previous, following


def home(request):
    unit = _unit()
    return render(request, "lessons/home.html", {"unit": unit, "lessons": _lessons_for(request.user, unit)})


def lesson_index(request):
    unit = _unit()
    lessons = _lessons_for(request.user, unit).prefetch_related(
        Prefetch("sections", queryset=Section.objects.only("lesson_id", "heading", "anchor").order_by("order"))
    )
    return render(request, "lessons/index.html", {"unit": unit, "lessons": lessons})


def lesson_detail(request, slug: str):
    lesson = _lesson_for(request.user, slug)
    previous, following = _neighbours(request.user, lesson)
    return render(
        request,
        "lessons/detail.html",
        {"lesson": lesson, "unit": lesson.unit, "previous": previous, "next": following},
    )


def lesson_handout(request, slug: str):
    lesson = _lesson_for(request.user, slug)
    return render(request, "lessons/handout.html", {"lesson": lesson, "unit": lesson.unit})


@login_required
def lesson_plan(request, slug: str):
    if not request.user.can_see_teacher_material:
        raise PermissionDenied
    lesson = _lesson_for(request.user, slug, teacher_notes=True)
    steps = list(lesson.plan_steps.all())
    planned = sum(step.minutes for step in steps)
    return render(
        request,
        "lessons/plan.html",
        {
            "lesson": lesson,
            "unit": lesson.unit,
            "steps": steps,
            "planned_minutes": planned,
            "minutes_match": planned == lesson.duration_minutes,
        },
    )


def timeline(request):
    unit = _unit()
    if unit is None:
        raise Http404
    visible = set(_lessons_for(request.user, unit).values_list("pk", flat=True))
    events = list(unit.timeline_events.select_related("lesson").order_by("date", "pk"))
    for event in events:
        # A draft lesson is not linked for those who cannot open it.
        event.visible_lesson = event.lesson if event.lesson_id in visible else None
    years = [(year, list(items)) for year, items in groupby(events, key=lambda e: e.date.year)]
    return render(request, "lessons/timeline.html", {"unit": unit, "years": years, "event_count": len(events)})


# Places on the map, and the lesson (by slug) that tells their part of the story.
MAP_PLACES = [
    ("parallel_38", "a-divided-korea"),
    ("seoul", "invasion-and-the-uns-answer"),
    ("pyongyang", "kim-il-sung"),
    ("inchon", "invasion-and-the-uns-answer"),
    ("yalu", "china-enters-the-war"),
    ("manchuria", "china-enters-the-war"),
    ("mig_alley", "mig-alley"),
]


def korea_map(request):
    unit = _unit()
    lessons = {lesson.slug: lesson for lesson in _lessons_for(request.user, unit).only("slug", "title", "order")}
    places = {place: lessons.get(slug) for place, slug in MAP_PLACES}
    return render(request, "lessons/map.html", {"unit": unit, "places": places})

