"""Teachers assign lessons to a class, edit and delete assignments."""

import datetime
import io
import zoneinfo

import pytest
from django.urls import reverse

from lessons import services
from lessons.models import Assignment, Response
from tests import factories as f

from .coursework_setup import answer, first_prompt, make_assignment, make_lesson, open_prompt

pytestmark = pytest.mark.django_db


def assign_url(classroom):
    return reverse("coursework:assign", args=[classroom.pk])


def form_data(lessons, **extra):
    data = {
        "lessons": [lesson.pk for lesson in lessons],
        "time_zone": "Asia/Seoul",
        "opens_at": "2030-03-02T09:00",
        "due_at": "2030-03-09T15:30",
        "discussion_on": "on",
        "post_first": "on",
        "late_policy": "accept",
    }
    data.update(extra)
    return data


def test_teacher_assigns_two_lessons_with_times_in_their_time_zone(client, teacher, classroom):
    lessons = [make_lesson(), make_lesson()]
    client.force_login(teacher)
    response = client.post(assign_url(classroom), form_data(lessons))
    assert response.status_code == 302
    assignments = list(Assignment.objects.order_by("lesson__order"))
    assert [a.lesson for a in assignments] == lessons
    seoul = zoneinfo.ZoneInfo("Asia/Seoul")
    assert assignments[0].opens_at == datetime.datetime(2030, 3, 2, 9, 0, tzinfo=seoul)
    assert assignments[0].due_at == datetime.datetime(2030, 3, 9, 15, 30, tzinfo=seoul)
    assert assignments[0].discussion_on and assignments[0].post_first


def test_post_first_is_on_by_default_in_the_form(client, teacher, classroom):
    client.force_login(teacher)
    form = client.get(assign_url(classroom)).context["form"]
    assert form["post_first"].initial is True
    assert form["discussion_on"].initial is True


def test_teacher_chooses_questions_and_students(client, teacher, classroom):
    lesson = make_lesson()
    chosen = f.EnrollmentFactory(classroom=classroom).student
    f.EnrollmentFactory(classroom=classroom)
    prompt = lesson.prompts.first()
    client.force_login(teacher)
    client.post(
        assign_url(classroom),
        form_data([lesson], prompts=[prompt.pk], students=[chosen.pk], late_policy="close", discussion_on=""),
    )
    assignment = Assignment.objects.get()
    assert list(assignment.prompts.all()) == [prompt]
    assert list(assignment.students.all()) == [chosen]
    assert assignment.late_policy == "close" and not assignment.discussion_on


def test_a_due_time_before_opening_is_refused_with_a_message(client, teacher, classroom):
    client.force_login(teacher)
    response = client.post(assign_url(classroom), form_data([make_lesson()], due_at="2030-03-01T09:00"))
    assert response.status_code == 200
    assert "after the opening time" in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_question_of_a_lesson_not_chosen_is_refused(client, teacher, classroom):
    lesson, other = make_lesson(), make_lesson()
    client.force_login(teacher)
    response = client.post(assign_url(classroom), form_data([lesson], prompts=[other.prompts.first().pk]))
    assert response.status_code == 200 and not Assignment.objects.exists()


def test_a_student_of_another_class_cannot_be_chosen(client, teacher, classroom, outsider_student):
    client.force_login(teacher)
    response = client.post(assign_url(classroom), form_data([make_lesson()], students=[outsider_student.pk]))
    assert response.status_code == 200 and not Assignment.objects.exists()


def test_another_teacher_cannot_assign_to_the_class(client, other_teacher, classroom):
    client.force_login(other_teacher)
    assert client.get(assign_url(classroom)).status_code == 404
    assert client.post(assign_url(classroom), form_data([make_lesson()])).status_code == 404
    assert not Assignment.objects.exists()


def test_a_student_cannot_assign(client, student, classroom):
    client.force_login(student)
    assert client.get(assign_url(classroom)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, classroom):
    assert client.get(assign_url(classroom)).status_code == 302


def test_class_page_links_to_assign_and_to_each_assignments_progress_edit_and_discussion(client, teacher, classroom):
    assignment = make_assignment(classroom)
    client.force_login(teacher)
    page = client.get(classroom.get_absolute_url()).content.decode()
    for url in (
        reverse("coursework:assign", args=[classroom.pk]),
        reverse("review:progress", args=[assignment.pk]),
        reverse("coursework:edit", args=[assignment.pk]),
        reverse("coursework:moderate", args=[assignment.pk]),
        reverse("coursework:delete", args=[assignment.pk]),
    ):
        assert url in page


def test_class_page_partial_links_to_progress_edit_and_discussion(teacher, classroom):
    from django.template.loader import render_to_string

    assignment = make_assignment(classroom)
    html = render_to_string(
        "coursework/includes/class_assignments.html", {"assignments": [assignment], "classroom": classroom}
    )
    assert reverse("review:progress", args=[assignment.pk]) in html
    assert reverse("coursework:edit", args=[assignment.pk]) in html
    assert reverse("coursework:moderate", args=[assignment.pk]) in html


def edit_data(assignment, **extra):
    data = {
        "time_zone": "UTC",
        "opens_at": assignment.opens_at.strftime("%Y-%m-%dT%H:%M"),
        "due_at": "2031-01-01T12:00",
        "late_policy": "close",
        "post_first": "on",
        "discussion_on": "on",
    }
    data.update(extra)
    return data


def test_teacher_edits_the_due_time_and_late_policy(client, teacher, classroom):
    assignment = make_assignment(classroom)
    client.force_login(teacher)
    response = client.post(reverse("coursework:edit", args=[assignment.pk]), edit_data(assignment))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.due_at == datetime.datetime(2031, 1, 1, 12, 0, tzinfo=datetime.UTC)
    assert assignment.late_policy == "close"


def test_removing_a_question_students_answered_needs_explicit_confirmation(client, teacher, student, classroom):
    assignment = make_assignment(classroom)
    services.submit_response(
        student=student, assignment=assignment, prompt=first_prompt(assignment), answer=answer(), base_version=0
    )
    url = reverse("coursework:edit", args=[assignment.pk])
    client.force_login(teacher)
    keep_only = open_prompt(assignment).pk
    refused = client.post(url, edit_data(assignment, prompts=[keep_only]))
    assert refused.status_code == 200 and "1 submitted answer" in refused.content.decode()
    assert not assignment.prompts.exists()
    client.post(url, edit_data(assignment, prompts=[keep_only], confirm="on"))
    assert list(assignment.prompts.values_list("pk", flat=True)) == [keep_only]


def test_another_teacher_cannot_edit_or_delete(client, other_teacher, classroom):
    assignment = make_assignment(classroom)
    client.force_login(other_teacher)
    assert client.get(reverse("coursework:edit", args=[assignment.pk])).status_code == 404
    assert client.post(reverse("coursework:delete", args=[assignment.pk]), {"confirm": "on"}).status_code == 404
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_delete_confirmation_says_what_will_be_lost(client, teacher, student, classroom):
    assignment = make_assignment(classroom)
    services.submit_response(
        student=student, assignment=assignment, prompt=first_prompt(assignment), answer=answer(), base_version=0
    )
    client.force_login(teacher)
    page = client.get(reverse("coursework:delete", args=[assignment.pk])).content.decode()
    assert "1 answer" in page and "1 of them submitted" in page and "1 saved version" in page


def test_delete_with_submissions_is_refused_unless_confirmed(client, teacher, student, classroom):
    assignment = make_assignment(classroom)
    services.submit_response(
        student=student, assignment=assignment, prompt=first_prompt(assignment), answer=answer(), base_version=0
    )
    url = reverse("coursework:delete", args=[assignment.pk])
    client.force_login(teacher)
    assert client.post(url, {}).status_code == 200
    assert Response.objects.exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not Assignment.objects.exists() and not Response.objects.exists()


def test_delete_without_any_work_needs_no_confirmation(client, teacher, classroom):
    assignment = make_assignment(classroom)
    client.force_login(teacher)
    assert client.post(reverse("coursework:delete", args=[assignment.pk])).status_code == 302
    assert not Assignment.objects.exists()


def test_seed_demo_assigns_lesson_one_to_the_demo_class_once():
    from django.core.management import call_command

    make_lesson()
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assignment = Assignment.objects.get()
    assert assignment.classroom.teacher.username == "demo_teacher"
    assert assignment.lesson.order == min(a.lesson.order for a in Assignment.objects.all())


def test_seed_demo_assigns_nothing_without_a_published_lesson():
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    assert not Assignment.objects.exists()
