"""The progress grid at /teach/assignments/<id>/: statuses, counts, reading, charts, access."""

import pytest
from django.urls import reverse
from django.utils import timezone

from lessons.models import Prompt, Response
from tests import factories
from tests.lessons.review_helpers import fill_class, make_review_class, submitted

pytestmark = pytest.mark.django_db
Status = Response.Status


def grid_url(assignment):
    return reverse("review:progress", args=[assignment.pk])


def test_grid_shows_every_status_and_links_to_each_answer(client):
    rc = make_review_class(students=6, prompts=1)
    a, prompt = rc.assignment, rc.prompts[0]
    s = rc.students
    draft = factories.ResponseFactory(assignment=a, prompt=prompt, student=s[1], status=Status.DRAFT)
    on_time = submitted(assignment=a, prompt=prompt, student=s[2])
    late = submitted(assignment=a, prompt=prompt, student=s[3], late=True)
    returned = submitted(assignment=a, prompt=prompt, student=s[4], status=Status.RETURNED)
    revising = submitted(assignment=a, prompt=prompt, student=s[5], status=Status.REVISING)
    client.force_login(rc.teacher)

    page = client.get(grid_url(a))

    assert page.status_code == 200
    html = page.content.decode()
    for label in ["Not started", "Draft", "Submitted", "Late", "Returned", "Needs revision"]:
        assert label in html
    for response in [draft, on_time, late, returned, revising]:
        assert reverse("review:response", args=[response.pk]) in html
    counts = {state: count for state, _label, count in page.context["summaries"][0]["counts"]}
    assert counts == {"not_started": 1, "draft": 1, "submitted": 1, "late": 1, "returned": 1, "revising": 1}


def test_grid_shows_reading_progress_as_a_bar_of_sections_read(client):
    rc = make_review_class(students=1, sections=4)
    student = rc.students[0]
    for section in rc.sections[:3]:
        factories.SectionReadFactory(assignment=rc.assignment, student=student, section=section)
    client.force_login(rc.teacher)

    page = client.get(grid_url(rc.assignment))

    assert page.context["rows"][0].sections_read == 3
    assert '<progress class="reading-progress" max="4" value="3"' in page.content.decode()
    assert "3 of 4 sections" in page.content.decode()


def test_grid_lists_only_the_chosen_students_when_the_assignment_names_some(client):
    rc = make_review_class(students=3)
    rc.assignment.students.set([rc.students[0]])
    client.force_login(rc.teacher)

    page = client.get(grid_url(rc.assignment))

    assert [row.student for row in page.context["rows"]] == [rc.students[0]]


def test_grid_counts_reviewed_answers_waiting_to_be_returned(client):
    rc = make_review_class(students=2, prompts=1)
    response = submitted(assignment=rc.assignment, prompt=rc.prompts[0], student=rc.students[0])
    factories.FeedbackFactory(response=response, released_at=None)
    client.force_login(rc.teacher)

    page = client.get(grid_url(rc.assignment))

    assert page.context["to_return"] == 1
    assert "Return all reviewed (1 answer)" in page.content.decode()


def test_position_chart_counts_submitted_positions_and_gives_the_numbers_as_text(client):
    rc = make_review_class(students=4, prompts=1)
    prompt = rc.prompts[0]
    yes, partly, _no = prompt.positions
    submitted(assignment=rc.assignment, prompt=prompt, student=rc.students[0], position=yes)
    submitted(assignment=rc.assignment, prompt=prompt, student=rc.students[1], position=yes)
    submitted(assignment=rc.assignment, prompt=prompt, student=rc.students[2], position=partly)
    # A draft position is not yet a stand the student has taken.
    factories.ResponseFactory(
        assignment=rc.assignment, prompt=prompt, student=rc.students[3], position=partly, status=Status.DRAFT
    )
    client.force_login(rc.teacher)

    page = client.get(grid_url(rc.assignment))

    chart = page.context["split_charts"][0]["chart"]
    assert [(bar.label, bar.count) for bar in chart.bars] == [(yes, 2), (partly, 1), (_no, 0)]
    html = page.content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert f"{yes}: 2 (67%)" in html
    assert f"{partly}: 1 (33%)" in html


def test_first_take_to_final_argument_chart_counts_moves_between_the_two_lessons(client):
    rc = make_review_class(students=3, prompts=1)
    first_prompt = rc.prompts[0]
    first_prompt.role = Prompt.Role.FIRST_TAKE
    first_prompt.save()
    last_lesson = factories.LessonFactory()
    final_prompt = factories.PositionPromptFactory(lesson=last_lesson, role=Prompt.Role.FINAL_ARGUMENT)
    final_assignment = factories.AssignmentFactory(classroom=rc.classroom, lesson=last_lesson)
    yes, partly, no = first_prompt.positions
    moves = [(yes, yes), (yes, partly), (no, partly)]
    for student, (before, after) in zip(rc.students, moves, strict=True):
        submitted(assignment=rc.assignment, prompt=first_prompt, student=student, position=before)
        submitted(assignment=final_assignment, prompt=final_prompt, student=student, position=after)
    # The same prompts answered in another teacher's class must not count.
    other = factories.EnrollmentFactory().student
    elsewhere = factories.AssignmentFactory(lesson=last_lesson)
    submitted(assignment=elsewhere, prompt=final_prompt, student=other, position=no)
    client.force_login(rc.teacher)

    for assignment in (rc.assignment, final_assignment):
        page = client.get(grid_url(assignment))
        flow = page.context["flow"]["chart"]
        assert flow.pairs == 3
        assert flow.changed == 2
        assert sorted(flow.rows) == sorted([(yes, yes, 1), (yes, partly, 1), (no, partly, 1)])
        assert "2 of 3 students changed position; 1 kept their first take." in page.content.decode()


def test_flow_chart_waits_until_both_answers_exist(client):
    rc = make_review_class(students=1, prompts=1)
    rc.prompts[0].role = Prompt.Role.FIRST_TAKE
    rc.prompts[0].save()
    submitted(assignment=rc.assignment, prompt=rc.prompts[0], student=rc.students[0])
    client.force_login(rc.teacher)

    page = client.get(grid_url(rc.assignment))

    assert "This chart appears once students in this class have submitted both" in page.content.decode()


def test_return_all_reviewed_returns_only_answers_with_draft_feedback(client):
    rc = make_review_class(students=3, prompts=1)
    prompt = rc.prompts[0]
    reviewed = submitted(assignment=rc.assignment, prompt=prompt, student=rc.students[0])
    factories.FeedbackFactory(response=reviewed, released_at=None)
    unreviewed = submitted(assignment=rc.assignment, prompt=prompt, student=rc.students[1])
    client.force_login(rc.teacher)

    answer = client.post(reverse("review:return_all", args=[rc.assignment.pk]), follow=True)

    assert "Returned 1 reviewed answers" in answer.content.decode()
    reviewed.refresh_from_db()
    unreviewed.refresh_from_db()
    assert reviewed.status == Status.RETURNED
    assert reviewed.feedback.released_at is not None
    assert unreviewed.status == Status.SUBMITTED


def test_return_all_refuses_get(client):
    rc = make_review_class()
    client.force_login(rc.teacher)
    assert client.get(reverse("review:return_all", args=[rc.assignment.pk])).status_code == 405


# --- access ---------------------------------------------------------------


def test_another_teacher_gets_404_for_the_grid_and_return_all(client, other_teacher):
    rc = make_review_class()
    client.force_login(other_teacher)
    assert client.get(grid_url(rc.assignment)).status_code == 404
    assert client.post(reverse("review:return_all", args=[rc.assignment.pk])).status_code == 404


def test_student_of_the_class_gets_404_for_the_grid(client):
    rc = make_review_class()
    client.force_login(rc.students[0])
    assert client.get(grid_url(rc.assignment)).status_code == 404
    assert client.post(reverse("review:return_all", args=[rc.assignment.pk])).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client):
    rc = make_review_class()
    page = client.get(grid_url(rc.assignment))
    assert page.status_code == 302
    assert reverse("accounts:login") in page["Location"]


def test_return_all_by_another_teacher_changes_nothing(client, other_teacher):
    rc = make_review_class(students=1, prompts=1)
    response = submitted(assignment=rc.assignment, prompt=rc.prompts[0], student=rc.students[0])
    factories.FeedbackFactory(response=response, released_at=None)
    client.force_login(other_teacher)

    client.post(reverse("review:return_all", args=[rc.assignment.pk]))

    response.refresh_from_db()
    assert response.status == Status.SUBMITTED
    assert response.feedback.released_at is None


# --- query counts ---------------------------------------------------------


def _grid_queries(client, count_queries, students):
    rc = make_review_class(students=students, prompts=3)
    rc.prompts[0].role = Prompt.Role.FIRST_TAKE
    rc.prompts[0].save()
    fill_class(rc)
    client.force_login(rc.teacher)
    url = grid_url(rc.assignment)
    client.get(url)  # warm the session
    return count_queries(lambda: client.get(url))


def test_grid_query_count_does_not_grow_with_the_class(client, count_queries):
    small = _grid_queries(client, count_queries, 3)
    large = _grid_queries(client, count_queries, 60)
    assert small == large


def test_returned_at_is_set_for_all_answers_at_the_same_moment(client):
    rc = make_review_class(students=2, prompts=1)
    responses = [submitted(assignment=rc.assignment, prompt=rc.prompts[0], student=s) for s in rc.students]
    for response in responses:
        factories.FeedbackFactory(response=response, released_at=None)
    client.force_login(rc.teacher)
    before = timezone.now()

    client.post(reverse("review:return_all", args=[rc.assignment.pk]))

    times = {r.feedback.released_at for r in Response.objects.filter(pk__in=[r.pk for r in responses])}
    assert len(times) == 1 and times.pop() >= before
