"""Submissions at the same moment, on PostgreSQL (SQLite serialises every writer,
so it cannot show a race)."""

import threading

import pytest
from django.db import connection, connections

from lessons import services
from lessons.models import Response, ResponseVersion
from tests import factories as f

from .coursework_setup import answer, first_prompt, make_assignment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks and concurrent transactions need PostgreSQL; SQLite runs one writer at a time.")


def run_together(jobs):
    """Start every job at the same moment; return the exceptions they raised."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait()
            job()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_thirty_students_submitting_at_once_make_thirty_submissions():
    classroom = f.ClassroomFactory()
    students = [f.EnrollmentFactory(classroom=classroom).student for _ in range(30)]
    assignment = make_assignment(classroom)
    prompt = first_prompt(assignment)

    def submit(student):
        return lambda: services.submit_response(
            student=student,
            assignment=assignment,
            prompt=prompt,
            answer=answer(f"Answer by {student.username}."),
            base_version=0,
        )

    errors = run_together([submit(s) for s in students])
    assert errors == []
    assert Response.objects.filter(status="submitted").count() == 30
    assert sorted(Response.objects.values_list("body", flat=True)) == sorted(
        f"Answer by {s.username}." for s in students
    )
    assert ResponseVersion.objects.filter(kind="submitted").count() == 30


def test_two_submits_of_one_form_at_once_make_one_submission():
    classroom = f.ClassroomFactory()
    student = f.EnrollmentFactory(classroom=classroom).student
    assignment = make_assignment(classroom)
    prompt = first_prompt(assignment)
    outcomes = []

    def submit():
        outcomes.append(
            services.submit_response(
                student=student, assignment=assignment, prompt=prompt, answer=answer("Once only."), base_version=0
            )
        )

    errors = run_together([submit, submit])
    assert errors == []
    assert Response.objects.count() == 1
    assert ResponseVersion.objects.filter(kind="submitted").count() == 1
    assert sorted(o.newly_submitted for o in outcomes) == [False, True]


def test_two_tabs_saving_at_once_from_one_version_never_both_win():
    classroom = f.ClassroomFactory()
    student = f.EnrollmentFactory(classroom=classroom).student
    assignment = make_assignment(classroom)
    prompt = first_prompt(assignment)
    services.save_draft(student=student, assignment=assignment, prompt=prompt, answer=answer("Start."), base_version=0)

    def save(text):
        return lambda: services.save_draft(
            student=student, assignment=assignment, prompt=prompt, answer=answer(text), base_version=1
        )

    errors = run_together([save("Tab A."), save("Tab B.")])
    assert len(errors) == 1 and isinstance(errors[0], services.StaleVersion)
    stored = Response.objects.get()
    assert stored.version == 2 and stored.body in {"Tab A.", "Tab B."}
