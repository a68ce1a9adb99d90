"""The assignment page: reading, questions, autosave, plain-form save and submit, history."""

import datetime
import json

import pytest
from django.urls import reverse

from lessons.models import Prompt, Response, ResponseVersion, SectionRead
from tests import factories as f

from .coursework_setup import first_prompt, make_assignment, make_lesson, open_prompt, past

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(classroom):
    return make_assignment(classroom)


def page_url(assignment):
    return reverse("coursework:assignment", args=[assignment.pk])


def autosave_url(assignment, prompt):
    return reverse("coursework:autosave", args=[assignment.pk, prompt.pk])


def answer_url(assignment, prompt):
    return reverse("coursework:answer", args=[assignment.pk, prompt.pk])


def autosave(client, assignment, prompt, **data):
    payload = {"version": 0, "position": "Partly", "body": "Some words.", "cited_sections": [], **data}
    return client.post(
        autosave_url(assignment, prompt),
        json.dumps(payload),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )


def test_student_sees_reading_key_terms_and_questions(client, student, assignment):
    client.force_login(student)
    page = client.get(page_url(assignment)).content.decode()
    for section in assignment.lesson.sections.all():
        assert section.heading in page
    assert assignment.lesson.key_terms.first().term in page
    for prompt in assignment.assigned_prompts():
        assert prompt.text in page
    assert 'name="cited_sections"' in page
    assert "Your position" in page


def test_student_of_another_class_cannot_open_the_assignment(client, outsider_student, assignment):
    client.force_login(outsider_student)
    assert client.get(page_url(assignment)).status_code == 404


def test_student_not_chosen_for_the_assignment_gets_404(client, student, classroom):
    chosen = f.EnrollmentFactory(classroom=classroom).student
    assignment = make_assignment(classroom, students=[chosen])
    client.force_login(student)
    assert client.get(page_url(assignment)).status_code == 404
    client.force_login(chosen)
    assert client.get(page_url(assignment)).status_code == 200


def test_another_teacher_gets_404(client, other_teacher, assignment):
    client.force_login(other_teacher)
    assert client.get(page_url(assignment)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, assignment):
    response = client.get(page_url(assignment))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_prompt_outside_the_assignment_is_404(client, student, assignment):
    client.force_login(student)
    stray = f.PromptFactory()
    assert autosave(client, assignment, stray).status_code == 404


def test_an_assignment_not_yet_open_shows_when_it_opens_and_no_form(client, student, classroom):
    assignment = make_assignment(
        classroom,
        opens_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
        due_at=datetime.datetime(2099, 2, 1, tzinfo=datetime.UTC),
    )
    client.force_login(student)
    page = client.get(page_url(assignment)).content.decode()
    assert "opens on" in page
    assert 'name="body"' not in page


def test_autosave_stores_the_draft_and_answers_the_new_version(client, student, assignment):
    client.force_login(student)
    prompt = first_prompt(assignment)
    response = autosave(client, assignment, prompt, body="Draft one.")
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert response.json()["saved_at_display"]
    assert autosave(client, assignment, prompt, body="Draft two.", version=1).json()["version"] == 2
    assert Response.objects.get().body == "Draft two."


def test_autosave_from_a_stale_tab_is_409_with_the_stored_text(client, student, assignment):
    client.force_login(student)
    prompt = first_prompt(assignment)
    autosave(client, assignment, prompt, body="Tab A first.")
    autosave(client, assignment, prompt, body="Tab A again.", version=1)
    stale = autosave(client, assignment, prompt, body="Tab B.", version=1)
    assert stale.status_code == 409
    assert stale.json()["current"]["body"] == "Tab A again."
    assert stale.json()["current"]["version"] == 2
    assert Response.objects.get().body == "Tab A again."


def test_autosave_with_a_session_gone_is_401_json_not_a_login_page(client, assignment):
    response = autosave(client, assignment, first_prompt(assignment))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["login_url"] == reverse("accounts:login")


def test_autosave_with_bad_input_is_400_and_changes_nothing(client, student, assignment):
    client.force_login(student)
    response = autosave(client, assignment, first_prompt(assignment), position="Not a choice")
    assert response.status_code == 400 and response.json()["error"]
    assert not Response.objects.exists()


def test_autosave_of_unreadable_data_is_400(client, student, assignment):
    client.force_login(student)
    response = client.post(
        autosave_url(assignment, first_prompt(assignment)), "not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_autosave_by_an_outsider_is_404(client, outsider_student, assignment):
    client.force_login(outsider_student)
    assert autosave(client, assignment, first_prompt(assignment)).status_code == 404
    assert not Response.objects.exists()


def test_save_button_without_javascript_stores_the_draft(client, student, assignment):
    client.force_login(student)
    prompt = first_prompt(assignment)
    section = assignment.lesson.sections.first()
    response = client.post(
        answer_url(assignment, prompt),
        {"version": 0, "position": "Partly", "body": "Plain form.", "cited_sections": [section.pk], "action": "save"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#prompt-{prompt.pk}")
    stored = Response.objects.get()
    assert (stored.body, stored.cited_sections, stored.status) == ("Plain form.", [section.pk], "draft")


def test_plain_form_save_from_a_stale_tab_shows_both_versions(client, student, assignment):
    client.force_login(student)
    prompt = first_prompt(assignment)
    autosave(client, assignment, prompt, body="Saved elsewhere.")
    autosave(client, assignment, prompt, body="Saved elsewhere, later.", version=1)
    response = client.post(
        answer_url(assignment, prompt), {"version": 1, "body": "Mine from the old tab.", "action": "save"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Saved elsewhere, later." in page and "Mine from the old tab." in page
    assert Response.objects.get().body == "Saved elsewhere, later."


def test_submit_button_submits_once_even_when_the_form_is_sent_twice(client, student, assignment):
    client.force_login(student)
    prompt = first_prompt(assignment)
    data = {"version": 0, "position": "Partly", "body": "Final words.", "action": "submit"}
    client.post(answer_url(assignment, prompt), data)
    client.post(answer_url(assignment, prompt), data)
    assert Response.objects.get().status == Response.Status.SUBMITTED
    assert ResponseVersion.objects.filter(kind="submitted").count() == 1


def test_submit_to_a_closed_assignment_says_so_and_keeps_the_draft(client, student, classroom):
    assignment = make_assignment(classroom, opens_at=past(days=3), due_at=past(days=1), late_policy="close")
    client.force_login(student)
    prompt = first_prompt(assignment)
    response = client.post(
        answer_url(assignment, prompt),
        {"version": 0, "position": "Partly", "body": "Too late?", "action": "submit"},
        follow=True,
    )
    assert "not accepting late work" in response.content.decode()
    assert Response.objects.get().status == Response.Status.DRAFT
    assert Response.objects.get().body == "Too late?"


def test_submitted_answer_is_shown_read_only_with_late_mark(client, student, classroom):
    assignment = make_assignment(classroom, opens_at=past(days=3), due_at=past(days=1))
    client.force_login(student)
    prompt = first_prompt(assignment)
    client.post(
        answer_url(assignment, prompt),
        {"version": 0, "position": "Partly", "body": "Late but done.", "action": "submit"},
    )
    page = client.get(page_url(assignment)).content.decode()
    assert "Late but done." in page and "Late" in page
    assert f'id="body-{prompt.pk}"' not in page


def test_mark_read_records_the_section_once(client, student, assignment):
    client.force_login(student)
    section = assignment.lesson.sections.first()
    url = reverse("coursework:mark_read", args=[assignment.pk, section.pk])
    assert client.post(url, HTTP_ACCEPT="application/json").json() == {"read": True, "section": section.pk}
    client.post(url)
    assert SectionRead.objects.filter(student=student).count() == 1


def test_mark_read_of_a_section_of_another_lesson_is_404(client, student, assignment):
    client.force_login(student)
    url = reverse("coursework:mark_read", args=[assignment.pk, f.SectionFactory().pk])
    assert client.post(url).status_code == 404


def test_history_lists_versions_and_restore_brings_one_back(client, student, assignment):
    client.force_login(student)
    prompt = open_prompt(assignment)
    autosave(client, assignment, prompt, body=" ".join(["good"] * 40))
    autosave(client, assignment, prompt, body="deleted by mistake", version=1)
    history = client.get(reverse("coursework:history", args=[assignment.pk, prompt.pk]))
    assert "good good" in history.content.decode()
    version = ResponseVersion.objects.get()
    client.post(reverse("coursework:restore", args=[assignment.pk, prompt.pk, version.pk]), {"version": 2})
    assert Response.objects.get().body.startswith("good good")


def test_history_of_another_students_answer_is_404(client, student, classroom, assignment):
    classmate = f.EnrollmentFactory(classroom=classroom).student
    client.force_login(classmate)
    prompt = first_prompt(assignment)
    autosave(client, assignment, prompt)
    client.force_login(student)
    assert client.get(reverse("coursework:history", args=[assignment.pk, prompt.pk])).status_code == 404


def test_final_argument_shows_the_students_own_first_take(client, student, classroom):
    first_lesson = make_lesson(prompts=1)
    first_take = first_lesson.prompts.get()
    first_take.role = Prompt.Role.FIRST_TAKE
    first_take.save()
    last_lesson = make_lesson(prompts=1)
    final = last_lesson.prompts.get()
    final.role = Prompt.Role.FINAL_ARGUMENT
    final.save()
    a1 = make_assignment(classroom, lesson=first_lesson)
    a2 = make_assignment(classroom, lesson=last_lesson)
    client.force_login(student)
    autosave(client, a1, first_take, body="At first I thought it paid off.", position="No, it paid off")
    page = client.get(page_url(a2)).content.decode()
    assert "Your first take" in page and "At first I thought it paid off." in page


def test_a_classmates_first_take_is_never_shown(client, student, classroom):
    lesson = make_lesson(prompts=1)
    prompt = lesson.prompts.get()
    prompt.role = Prompt.Role.FIRST_TAKE
    prompt.save()
    last = make_lesson(prompts=1)
    final = last.prompts.get()
    final.role = Prompt.Role.FINAL_ARGUMENT
    final.save()
    a1 = make_assignment(classroom, lesson=lesson)
    a2 = make_assignment(classroom, lesson=last)
    classmate = f.EnrollmentFactory(classroom=classroom).student
    client.force_login(classmate)
    autosave(client, a1, prompt, body="A classmate's private view.")
    client.force_login(student)
    assert "A classmate's private view." not in client.get(page_url(a2)).content.decode()


def _class_of(size, classroom, assignment):
    for _ in range(size):
        mate = f.EnrollmentFactory(classroom=classroom).student
        f.ResponseFactory(assignment=assignment, prompt=first_prompt(assignment), student=mate, status="submitted")


def test_assignment_page_query_count_is_the_same_for_3_and_60_classmates(client, student, teacher, count_queries):
    counts = []
    for size in (3, 60):
        classroom = f.ClassroomFactory(teacher=teacher)
        f.EnrollmentFactory(classroom=classroom, student=student)
        assignment = make_assignment(classroom)
        _class_of(size, classroom, assignment)
        f.ResponseFactory(assignment=assignment, prompt=first_prompt(assignment), student=student)
        client.force_login(student)
        counts.append(count_queries(lambda a=assignment: client.get(page_url(a))))
    assert counts[0] == counts[1]
