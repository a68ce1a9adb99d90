"""The student dashboard at /learn/: assignments grouped, with progress."""

import pytest
from django.urls import reverse

from lessons import services
from lessons.models import Response
from tests import factories as f

from .coursework_setup import answer, first_prompt, future, make_assignment, open_prompt, past

pytestmark = pytest.mark.django_db

URL = reverse("coursework:learn")


def groups(client):
    response = client.get(URL)
    assert response.status_code == 200
    return {key: [a.pk for a in items] for key, _label, items in response.context["groups"]}


def submit_all(student, assignment):
    for prompt in assignment.assigned_prompts():
        services.submit_response(student=student, assignment=assignment, prompt=prompt, answer=answer(), base_version=0)


def test_assignments_are_grouped_to_do_overdue_submitted_and_returned(client, student, classroom):
    todo = make_assignment(classroom)
    overdue = make_assignment(classroom, opens_at=past(days=3), due_at=past(days=1))
    submitted = make_assignment(classroom)
    returned = make_assignment(classroom)
    submit_all(student, submitted)
    submit_all(student, returned)
    Response.objects.filter(assignment=returned).update(status=Response.Status.RETURNED)
    client.force_login(student)
    assert groups(client) == {
        "todo": [todo.pk],
        "overdue": [overdue.pk],
        "submitted": [submitted.pk],
        "returned": [returned.pk],
    }


def test_a_revision_request_puts_the_assignment_back_to_do(client, student, classroom):
    assignment = make_assignment(classroom)
    submit_all(student, assignment)
    Response.objects.filter(assignment=assignment).update(status=Response.Status.REVISING)
    client.force_login(student)
    assert groups(client)["todo"] == [assignment.pk]
    assert "asked you to revise" in client.get(URL).content.decode()


def test_progress_counts_sections_read_and_questions_answered(client, student, classroom):
    assignment = make_assignment(classroom)
    services.mark_section_read(student=student, assignment=assignment, section=assignment.lesson.sections.first())
    services.submit_response(
        student=student, assignment=assignment, prompt=open_prompt(assignment), answer=answer(), base_version=0
    )
    client.force_login(student)
    page = client.get(URL).content.decode()
    assert "1 of 3 sections read, 1 of 2 questions answered" in page
    # 2 of 5 steps done.
    assert 'value="40"' in page


def test_due_dates_are_shown(client, student, classroom):
    assignment = make_assignment(classroom, due_at=future(days=2))
    client.force_login(student)
    assert assignment.due_at.strftime("%Y") in client.get(URL).content.decode()


def test_a_student_sees_nothing_of_another_class_or_an_assignment_for_others(client, student, classroom):
    make_assignment(f.ClassroomFactory())
    chosen = f.EnrollmentFactory(classroom=classroom).student
    make_assignment(classroom, students=[chosen])
    client.force_login(student)
    assert groups(client) == {"todo": [], "overdue": [], "submitted": [], "returned": []}


def test_an_assignment_of_an_archived_class_is_not_listed(client, student, classroom):
    make_assignment(classroom)
    classroom.archive()
    client.force_login(student)
    assert groups(client)["todo"] == []


def test_anonymous_visitor_is_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_dashboard_query_count_is_the_same_for_3_and_60_classmates(client, teacher, count_queries):
    counts = []
    for size in (3, 60):
        classroom = f.ClassroomFactory(teacher=teacher)
        student = f.EnrollmentFactory(classroom=classroom).student
        for _ in range(2):
            assignment = make_assignment(classroom)
            for _ in range(size):
                mate = f.EnrollmentFactory(classroom=classroom).student
                f.ResponseFactory(assignment=assignment, prompt=first_prompt(assignment), student=mate)
            f.ResponseFactory(assignment=assignment, prompt=first_prompt(assignment), student=student)
        client.force_login(student)
        counts.append(count_queries(lambda: client.get(URL)))
    assert counts[0] == counts[1]


def test_dashboard_query_count_does_not_grow_with_the_number_of_assignments(client, student, classroom, count_queries):
    make_assignment(classroom)
    client.force_login(student)
    one = count_queries(lambda: client.get(URL))
    for _ in range(5):
        make_assignment(classroom)
    assert count_queries(lambda: client.get(URL)) == one
