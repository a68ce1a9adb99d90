"""What the busiest requests cost in queries: an autosave and a hand-in.

The benchmark (bench/results/) found these two paths dominate a school's load;
each test pins the number of queries so that a change that adds one is seen,
and checks it does not grow with the class.
"""

import datetime
import functools
import json

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons import services
from lessons.models import Response, ResponseVersion
from lessons.services import Answer
from tests import factories as f

from .coursework_setup import first_prompt, make_assignment, open_prompt

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 3, 1, 10, 0, tzinfo=datetime.UTC)


def _class(size, teacher):
    classroom = f.ClassroomFactory(teacher=teacher)
    student = f.EnrollmentFactory(classroom=classroom).student
    for _ in range(size - 1):
        f.EnrollmentFactory(classroom=classroom)
    assignment = make_assignment(
        classroom, opens_at=NOW - datetime.timedelta(days=1), due_at=NOW + datetime.timedelta(days=7)
    )
    return student, assignment


def _autosave(client, assignment, prompt, **data):
    payload = {"version": 0, "position": "", "body": "Some words.", "cited_sections": [], **data}
    return client.post(
        reverse("coursework:autosave", args=[assignment.pk, prompt.pk]),
        json.dumps(payload),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )


def _queries(func) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return [q["sql"] for q in ctx.captured_queries]


@pytest.fixture(autouse=True)
def _commits(monkeypatch, django_capture_on_commit_callbacks):
    """Each request and service call runs what it defers to its commit when it
    returns, as in production (the test's own transaction never commits)."""

    def committed(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return func(*args, **kwargs)

        return run

    monkeypatch.setattr(services, "save_draft", committed(services.save_draft))
    monkeypatch.setattr(services, "submit_response", committed(services.submit_response))


def _autosave_queries(client, teacher, size, *, cited) -> list[str]:
    student, assignment = _class(size, teacher)
    prompt = open_prompt(assignment)
    sections = list(assignment.lesson.sections.values_list("pk", flat=True))[:1] if cited else []
    with time_machine.travel(NOW, tick=False):
        client.force_login(student)
        first = _autosave(client, assignment, prompt, body="First words of mine.", cited_sections=sections)
        second = _autosave(client, assignment, prompt, body="First words of mine, and more.", version=1)
        assert second.status_code == 200, second.content
    with time_machine.travel(NOW + datetime.timedelta(seconds=10), tick=False):
        queries = _queries(
            lambda: _autosave(
                client,
                assignment,
                prompt,
                body="First words of mine, and more still.",
                version=2,
                cited_sections=sections,
            )
        )
    assert first.status_code == 200
    assert Response.objects.get(assignment=assignment, student=student).version == 3
    return queries


def test_an_autosave_costs_the_same_few_queries_for_3_and_60_classmates(client, teacher):
    small = _autosave_queries(client, teacher, 3, cited=True)
    large = _autosave_queries(client, teacher, 60, cited=True)
    assert len(small) == len(large)
    # session, user, assignment, its prompts, the cited section, the locked row, the update
    # (+ the transaction's own statements on PostgreSQL); the snapshot's time comes from the cache.
    assert len(small) <= 9, small


def test_an_autosave_citing_nothing_does_not_look_up_sections(client, teacher):
    queries = _autosave_queries(client, teacher, 3, cited=False)
    assert not any("lessons_section" in sql for sql in queries), queries


def test_an_autosave_soon_after_a_snapshot_asks_the_cache_not_the_database(client, teacher):
    queries = _autosave_queries(client, teacher, 3, cited=False)
    assert not any("lessons_responseversion" in sql for sql in queries), queries


def test_an_autosave_minutes_after_the_last_snapshot_still_keeps_one(client, teacher):
    student, assignment = _class(3, teacher)
    prompt = open_prompt(assignment)
    with time_machine.travel(NOW, tick=False):
        client.force_login(student)
        _autosave(client, assignment, prompt, body="First words of mine.")
        _autosave(client, assignment, prompt, body="First words of mine, then more.", version=1)
    assert ResponseVersion.objects.filter(kind="snapshot").count() == 1
    with time_machine.travel(NOW + services.SNAPSHOT_INTERVAL + datetime.timedelta(seconds=1), tick=False):
        _autosave(client, assignment, prompt, body="First words of mine, then more, later.", version=2)
    assert list(ResponseVersion.objects.order_by("pk").values_list("body", flat=True)) == [
        "First words of mine.",
        "First words of mine, then more.",
    ]


def test_a_snapshot_rolled_back_is_not_remembered_so_the_next_save_keeps_one(
    teacher, django_capture_on_commit_callbacks
):
    """The cache says "a snapshot was kept" only once the snapshot is committed."""
    student, assignment = _class(3, teacher)
    prompt = open_prompt(assignment)
    with time_machine.travel(NOW, tick=False):
        services.save_draft(
            student=student,
            assignment=assignment,
            prompt=prompt,
            answer=Answer(body="One two three."),
            base_version=0,
        )
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            services.save_draft.__wrapped__(
                student=student,
                assignment=assignment,
                prompt=prompt,
                answer=Answer(body="One two three four."),
                base_version=1,
            )
            transaction.set_rollback(True)
        services.save_draft(
            student=student,
            assignment=assignment,
            prompt=prompt,
            answer=Answer(body="One two three five."),
            base_version=1,
        )
    assert list(ResponseVersion.objects.values_list("body", flat=True)) == ["One two three."]


def test_without_the_cache_the_database_decides_whether_a_snapshot_is_due(teacher):
    student, assignment = _class(3, teacher)
    prompt = open_prompt(assignment)
    with time_machine.travel(NOW, tick=False):
        services.save_draft(
            student=student,
            assignment=assignment,
            prompt=prompt,
            answer=Answer(body="One two three."),
            base_version=0,
        )
        services.save_draft(
            student=student,
            assignment=assignment,
            prompt=prompt,
            answer=Answer(body="One two three four."),
            base_version=1,
        )
        cache.clear()  # Redis restarted: the database still knows the snapshot is recent
        services.save_draft(
            student=student,
            assignment=assignment,
            prompt=prompt,
            answer=Answer(body="One two three five."),
            base_version=2,
        )
    assert list(ResponseVersion.objects.values_list("body", flat=True)) == ["One two three."]


def _hand_in_queries(client, teacher, size) -> list[str]:
    student, assignment = _class(size, teacher)
    prompt = first_prompt(assignment)
    url = reverse("coursework:answer", args=[assignment.pk, prompt.pk])
    with time_machine.travel(NOW, tick=False):
        client.force_login(student)
        client.post(url, {"version": 0, "position": "Partly", "body": "A draft.", "action": "save"})
    data = {"version": 1, "position": "Partly", "body": "My final answer.", "action": "submit"}
    with time_machine.travel(NOW + datetime.timedelta(minutes=1), tick=False):
        queries = _queries(lambda: client.post(url, data))
    response = Response.objects.get(assignment=assignment, student=student)
    assert response.status == Response.Status.SUBMITTED and response.body == "My final answer."
    return queries


def test_a_hand_in_with_its_answer_is_one_transaction_of_the_same_few_queries_for_3_and_60(client, teacher):
    small = _hand_in_queries(client, teacher, 3)
    large = _hand_in_queries(client, teacher, 60)
    assert len(small) == len(large)
    # The row is locked once: the save and the submission share the lock.
    assert sum("FOR UPDATE" in sql for sql in small) <= 1 or connection.vendor == "sqlite"
    assert sum(sql.startswith("SAVEPOINT") for sql in small) == 1, small
    # session, user, assignment, prompts, sections, locked row, update, submitted copy
    # (+ the session's and messages' writes and the transaction's statements)
    assert len(small) <= 13, small
