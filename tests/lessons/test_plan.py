"""The lesson plan: teachers and staff only, with timed steps and teacher notes."""

import pytest
from django.urls import reverse

from lessons import loader
from lessons.models import Lesson, Status
from tests import factories
from tests.lessons.unit_helpers import full_lesson

pytestmark = pytest.mark.django_db


def plan_url(lesson) -> str:
    return reverse("lessons:plan", args=[lesson.slug])


def test_anonymous_visitor_is_sent_to_sign_in(client, lesson):
    response = client.get(plan_url(lesson))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "next=" in response.url


def test_student_is_refused(client, student, lesson):
    client.force_login(student)
    assert client.get(plan_url(lesson)).status_code == 403


def test_student_of_another_class_is_refused_too(client, outsider_student, lesson):
    client.force_login(outsider_student)
    assert client.get(plan_url(lesson)).status_code == 403


def test_teacher_sees_the_plan_with_objectives_standards_materials_and_steps(client, teacher):
    loader.load_unit()
    lesson = Lesson.objects.get(order=1)
    client.force_login(teacher)
    response = client.get(plan_url(lesson))
    assert response.status_code == 200
    html = response.content.decode()
    for item in lesson.objective_list() + lesson.standard_list():
        assert item[:30] in html
    for step in lesson.plan_steps.all():
        assert f"<th scope=\"row\">{step.phase}</th><td>{step.minutes}</td>" in html
    assert "<th scope=\"row\">Total</th><td>45</td>" in html
    assert "should be" not in html and "add up to" not in html


def test_teacher_sees_what_a_strong_answer_includes_for_each_prompt(client, teacher):
    lesson = factories.LessonFactory()
    factories.PromptFactory(lesson=lesson, strong_answer="Notes on the **date** of the letter.")
    client.force_login(teacher)
    html = client.get(plan_url(lesson)).content.decode()
    assert "Notes on the <strong>date</strong> of the letter." in html


def test_plan_credits_the_source(client, teacher, lesson):
    client.force_login(teacher)
    assert "Dave Roos" in client.get(plan_url(lesson)).content.decode()


def test_plan_warns_when_the_minutes_do_not_add_up(client, teacher):
    lesson = factories.LessonFactory(duration_minutes=45)
    factories.PlanStepFactory(lesson=lesson, minutes=20)
    client.force_login(teacher)
    html = client.get(plan_url(lesson)).content.decode()
    assert "The steps add up to 20 minutes, but the lesson lasts 45." in html


def test_every_loaded_plan_adds_up_to_its_lesson(db):
    loader.load_unit()
    for lesson in Lesson.objects.prefetch_related("plan_steps"):
        assert sum(step.minutes for step in lesson.plan_steps.all()) == lesson.duration_minutes


def test_staff_see_a_draft_lesson_plan_but_teachers_do_not(client, teacher, staff):
    lesson = factories.LessonFactory(status=Status.DRAFT)
    client.force_login(teacher)
    assert client.get(plan_url(lesson)).status_code == 404
    client.force_login(staff)
    assert client.get(plan_url(lesson)).status_code == 200


def test_draft_prompt_notes_are_for_staff_only(client, teacher, staff):
    lesson = factories.LessonFactory()
    factories.PromptFactory(lesson=lesson, text="Unfinished question", status=Status.DRAFT)
    client.force_login(teacher)
    assert "Unfinished question" not in client.get(plan_url(lesson)).content.decode()
    client.force_login(staff)
    assert "Unfinished question" in client.get(plan_url(lesson)).content.decode()


def test_plan_page_loads_the_print_stylesheet_and_print_button(client, teacher, lesson):
    client.force_login(teacher)
    html = client.get(plan_url(lesson)).content.decode()
    assert 'href="/static/css/print.css" media="print"' in html
    assert "data-print-page" in html
    assert "/static/js/print-page.js" in html


def test_plan_query_count_does_not_grow_with_steps_and_prompts(client, teacher, count_queries):
    small, large = full_lesson(size=2), full_lesson(size=9)
    client.force_login(teacher)
    assert count_queries(lambda: client.get(plan_url(small))) == count_queries(lambda: client.get(plan_url(large)))
