"""CSV exports: one assignment's answers, and a class gradebook."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from lessons.exports import safe_cell
from lessons.models import Response
from tests import factories
from tests.lessons.review_helpers import fill_class, make_review_class, submitted

pytestmark = pytest.mark.django_db
Status = Response.Status


def read_csv(reply) -> list[list[str]]:
    text = b"".join(reply.streaming_content).decode("utf-8") if reply.streaming else reply.content.decode("utf-8")
    assert text.startswith("\ufeff"), "spreadsheets need the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("value", ['=HYPERLINK("x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_could_run_as_formulas_are_prefixed(value):
    assert safe_cell(value) == "'" + value


def test_plain_cells_and_numbers_are_left_alone():
    assert safe_cell("Stalin") == "Stalin"
    assert safe_cell(12) == 12
    assert safe_cell(None) == ""


def test_assignment_export_has_the_listed_columns_and_one_row_per_student_and_prompt(client):
    rc = make_review_class(students=2, prompts=1)
    rc.students[0].display_name = "김민준"
    rc.students[0].save()
    response = submitted(
        assignment=rc.assignment,
        prompt=rc.prompts[0],
        student=rc.students[0],
        body="=cmd|' /C calc'!A0 is not a formula here",
        cited=[rc.sections[0].pk, rc.sections[2].pk],
        late=True,
    )
    factories.FeedbackFactory(response=response, claim=4, evidence=3, reasoning=2, sources=1, comment="Well argued.")
    client.force_login(rc.teacher)

    reply = client.get(reverse("review:export_csv", args=[rc.assignment.pk]))

    assert reply["Content-Type"].startswith("text/csv")
    assert "attachment;" in reply["Content-Disposition"]
    header, *rows = read_csv(reply)
    assert header[:11] == [
        "Student",
        "Username",
        "Prompt",
        "Status",
        "Position",
        "Answer",
        "Cited sections",
        "Quoted sentence",
        "Word count",
        "Submitted at",
        "Late",
    ]
    assert header[11:] == [
        "Claim",
        "Evidence",
        "Reasoning",
        "Use of sources",
        "Total (out of 16)",
        "Comment",
        "Feedback returned",
    ]
    assert len(rows) == 2
    row = next(r for r in rows if r[0] == "김민준")
    assert row[3] == "Submitted"
    assert row[4] == rc.prompts[0].positions[0]
    assert row[5].startswith("'=cmd")
    assert row[6] == f"{rc.sections[0].heading}; {rc.sections[2].heading}"
    assert row[8] == str(response.word_count)
    assert row[10] == "yes"
    assert row[11:] == ["4", "3", "2", "1", "10", "Well argued.", "no"]
    other = next(r for r in rows if r[0] != "김민준")
    assert other[3] == "Not started"


def test_gradebook_has_one_row_per_student_and_one_column_per_assignment_with_returned_totals_only(client):
    rc = make_review_class(students=3, prompts=1)
    second = factories.AssignmentFactory(classroom=rc.classroom, lesson=factories.LessonFactory())
    second_prompt = factories.PromptFactory(lesson=second.lesson)
    rc.students[0].display_name = "@evil"
    rc.students[0].save()
    s0, s1, s2 = rc.students
    returned = submitted(assignment=rc.assignment, prompt=rc.prompts[0], student=s0, status=Status.RETURNED)
    factories.FeedbackFactory(
        response=returned, released_at=timezone.now(), claim=4, evidence=4, reasoning=3, sources=None
    )
    draft_feedback = submitted(assignment=rc.assignment, prompt=rc.prompts[0], student=s1)
    factories.FeedbackFactory(response=draft_feedback, released_at=None)
    second_answer = submitted(assignment=second, prompt=second_prompt, student=s1, status=Status.RETURNED)
    factories.FeedbackFactory(
        response=second_answer, released_at=timezone.now(), claim=2, evidence=2, reasoning=2, sources=2
    )
    second.students.set([s1])
    client.force_login(rc.teacher)

    reply = client.get(reverse("review:gradebook", args=[rc.classroom.pk]))

    header, *rows = read_csv(reply)
    assert header == [
        "Student",
        "Username",
        f"{rc.assignment.lesson.title} (out of 16)",
        f"{second.lesson.title} (out of 16)",
    ]
    by_username = {row[1]: row for row in rows}
    assert len(rows) == 3
    assert by_username[s0.username] == ["'@evil", s0.username, "11", "n/a"]
    assert by_username[s1.username][2:] == ["", "8"]  # draft feedback is not a grade
    assert by_username[s2.username][2:] == ["", "n/a"]


def test_export_file_names_are_plain_ascii(client):
    rc = make_review_class(students=1)
    rc.classroom.name = "역사 7반"
    rc.classroom.save()
    client.force_login(rc.teacher)
    reply = client.get(reverse("review:gradebook", args=[rc.classroom.pk]))
    disposition = reply["Content-Disposition"]
    assert disposition.isascii()
    assert disposition.startswith('attachment; filename="') and disposition.endswith('gradebook.csv"')


# --- access ---------------------------------------------------------------


def test_another_teacher_gets_404_for_both_exports(client, other_teacher):
    rc = make_review_class()
    client.force_login(other_teacher)
    assert client.get(reverse("review:export_csv", args=[rc.assignment.pk])).status_code == 404
    assert client.get(reverse("review:gradebook", args=[rc.classroom.pk])).status_code == 404


def test_students_get_404_for_both_exports(client):
    rc = make_review_class()
    client.force_login(rc.students[0])
    assert client.get(reverse("review:export_csv", args=[rc.assignment.pk])).status_code == 404
    assert client.get(reverse("review:gradebook", args=[rc.classroom.pk])).status_code == 404


def test_anonymous_visitor_cannot_download_exports(client):
    rc = make_review_class()
    assert client.get(reverse("review:export_csv", args=[rc.assignment.pk])).status_code == 302
    assert client.get(reverse("review:gradebook", args=[rc.classroom.pk])).status_code == 302


# --- query counts ---------------------------------------------------------


def _gradebook_queries(client, count_queries, students):
    rc = make_review_class(students=students, prompts=2)
    factories.AssignmentFactory(classroom=rc.classroom, lesson=rc.assignment.lesson).students.set(rc.students[:2])
    fill_class(rc)
    client.force_login(rc.teacher)
    url = reverse("review:gradebook", args=[rc.classroom.pk])
    client.get(url)
    return count_queries(lambda: client.get(url))


def test_gradebook_query_count_does_not_grow_with_the_class(client, count_queries):
    assert _gradebook_queries(client, count_queries, 3) == _gradebook_queries(client, count_queries, 150)


def test_assignment_export_query_count_does_not_grow_with_the_class(client, count_queries):
    def run(students):
        rc = make_review_class(students=students, prompts=2)
        fill_class(rc)
        client.force_login(rc.teacher)
        url = reverse("review:export_csv", args=[rc.assignment.pk])
        client.get(url)
        return count_queries(lambda: client.get(url))

    assert run(3) == run(60)
