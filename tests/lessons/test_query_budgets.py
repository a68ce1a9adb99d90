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

from lessons import content_cache, services
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


# --- the autosave's quick path: one guarded UPDATE, every rule kept ---------------


@pytest.fixture
def quick(client, teacher):
    """A student whose answer has been saved twice (the second save kept a snapshot),
    so the next autosave may take the quick path."""
    classroom = f.ClassroomFactory(teacher=teacher)
    student = f.EnrollmentFactory(classroom=classroom).student
    f.EnrollmentFactory(classroom=classroom)
    assignment = make_assignment(
        classroom, opens_at=NOW - datetime.timedelta(days=1), due_at=NOW + datetime.timedelta(days=7)
    )
    prompt = first_prompt(assignment)  # a position prompt
    with time_machine.travel(NOW, tick=False):
        client.force_login(student)
        assert _autosave(client, assignment, prompt, body="One two three four.", position="Partly").status_code == 200
        second = _autosave(client, assignment, prompt, body="One two three four five.", position="Partly", version=1)
        assert second.json()["version"] == 2
    return client, student, assignment, prompt


def _later(seconds=20):
    return time_machine.travel(NOW + datetime.timedelta(seconds=seconds), tick=False)


def _stored(assignment, student):
    return Response.objects.get(assignment=assignment, student=student)


def test_a_quick_autosave_is_the_session_the_user_and_one_update(quick):
    client, student, assignment, prompt = quick
    cited = list(assignment.lesson.sections.values_list("pk", flat=True))[:2]
    with _later():
        queries = _queries(
            lambda: _autosave(
                client,
                assignment,
                prompt,
                body="One two three four five six.",
                position="Partly",
                cited_sections=cited,
                version=2,
            )
        )
    assert len(queries) == 3, queries
    assert queries[-1].startswith("UPDATE"), queries
    stored = _stored(assignment, student)
    assert (stored.body, stored.position, stored.cited_sections, stored.version) == (
        "One two three four five six.",
        "Partly",
        cited,
        3,
    )
    with _later(30):
        again = _autosave(
            client, assignment, prompt, body="One two three four five six seven.", position="Partly", version=3
        )
    assert again.json()["version"] == 4


def test_a_quick_autosave_from_a_stale_tab_is_still_409_with_the_stored_text(quick):
    client, student, assignment, prompt = quick
    with _later():
        _autosave(client, assignment, prompt, body="Saved in tab one, then more.", position="Partly", version=2)
        response = _autosave(client, assignment, prompt, body="Typed in tab two.", position="Partly", version=2)
    assert response.status_code == 409
    assert response.json()["current"]["body"] == "Saved in tab one, then more."
    assert _stored(assignment, student).body == "Saved in tab one, then more."


def test_a_student_no_longer_chosen_for_the_assignment_gets_404_and_changes_nothing(quick):
    client, student, assignment, prompt = quick
    other = f.EnrollmentFactory(classroom=assignment.classroom).student
    assignment.students.set([other])
    with _later():
        response = _autosave(client, assignment, prompt, body="One two three four five!", position="Partly", version=2)
    assert response.status_code == 404
    assert _stored(assignment, student).version == 2


def test_a_student_of_an_archived_class_gets_404_and_changes_nothing(quick):
    client, student, assignment, prompt = quick
    from django.utils import timezone

    type(assignment.classroom).objects.filter(pk=assignment.classroom_id).update(archived_at=timezone.now())
    with _later():
        response = _autosave(client, assignment, prompt, body="One two three four five!", position="Partly", version=2)
    assert response.status_code == 404
    assert _stored(assignment, student).version == 2


def test_a_prompt_taken_off_the_assignment_gets_404_and_changes_nothing(quick):
    client, student, assignment, prompt = quick
    assignment.prompts.set([open_prompt(assignment)])
    with _later():
        response = _autosave(client, assignment, prompt, body="One two three four five!", position="Partly", version=2)
    assert response.status_code == 404
    assert _stored(assignment, student).version == 2


def test_a_submitted_answer_is_not_changed_by_a_late_autosave(quick):
    client, student, assignment, prompt = quick
    Response.objects.filter(assignment=assignment, student=student).update(status=Response.Status.SUBMITTED)
    with _later():
        response = _autosave(client, assignment, prompt, body="One two three four five!", position="Partly", version=2)
    assert response.status_code == 409
    assert _stored(assignment, student).body == "One two three four five."


def test_an_assignment_moved_to_open_later_refuses_the_save(quick):
    client, student, assignment, prompt = quick
    type(assignment).objects.filter(pk=assignment.pk).update(opens_at=NOW + datetime.timedelta(days=1))
    with _later():
        response = _autosave(client, assignment, prompt, body="One two three four five!", position="Partly", version=2)
    assert response.status_code == 400
    assert _stored(assignment, student).version == 2


@pytest.mark.parametrize(
    "change",
    [
        {"position": "Not one of the positions"},
        {"cited_sections": [10**9]},
        {"cited_sections": ["not a number"]},
        {"body": "x" * (services.MAX_BODY_CHARS + 1)},
    ],
)
def test_invalid_input_on_the_quick_path_is_400_and_changes_nothing(quick, change):
    client, student, assignment, prompt = quick
    data = {"body": "One two three four five!", "position": "Partly", "version": 2, **change}
    with _later():
        response = _autosave(client, assignment, prompt, **data)
    assert response.status_code == 400
    assert _stored(assignment, student).version == 2


def test_a_section_of_another_lesson_cannot_be_cited(quick):
    client, student, assignment, prompt = quick
    elsewhere = f.SectionFactory()
    with _later():
        response = _autosave(
            client,
            assignment,
            prompt,
            body="One two three four five!",
            position="Partly",
            version=2,
            cited_sections=[elsewhere.pk],
        )
    assert response.status_code == 400


def test_a_position_removed_in_the_admin_is_refused_at_once(quick, staff):
    client, student, assignment, prompt = quick
    assert "Partly" in prompt.positions
    prompt.positions = [p for p in prompt.positions if p != "Partly"]
    prompt.save()
    content_cache.content_changed()  # what the admin's save does
    with _later():
        response = _autosave(client, assignment, prompt, body="One two three four five!", position="Partly", version=2)
    assert response.status_code == 400
    assert _stored(assignment, student).version == 2


def test_cutting_most_of_the_text_still_keeps_it_as_a_snapshot_first(quick):
    client, student, assignment, prompt = quick
    with _later():
        response = _autosave(client, assignment, prompt, body="One.", position="Partly", version=2)
    assert response.status_code == 200
    assert ResponseVersion.objects.filter(body="One two three four five.", kind="snapshot").exists()


def test_minutes_later_the_quick_path_steps_aside_for_the_snapshot(quick):
    client, student, assignment, prompt = quick
    with _later(int(services.SNAPSHOT_INTERVAL.total_seconds()) + 5):
        client.force_login(student)
        response = _autosave(
            client, assignment, prompt, body="One two three four five six.", position="Partly", version=2
        )
    assert response.status_code == 200
    assert ResponseVersion.objects.filter(body="One two three four five.", kind="snapshot").exists()
