"""A fault in the middle of a submission leaves no half-written rows.

The fault is injected at the database: the N-th write statement the service
makes runs, and then an exception is raised, for every N. Whatever N, the
database must be in a state the service could have left on purpose: as it was
before, or with the draft saved (a state a refused submission leaves, so that a
student's text is never lost), or fully submitted; never a submission without
its submitted copy, or a snapshot without the save it belongs to. (The save and
the submission are one transaction, so a fault leaves the state as it was.)
"""

import datetime
from contextlib import contextmanager

import pytest
import time_machine
from django.apps import apps
from django.db import connection, transaction

from lessons import services
from lessons.models import Response
from lessons.services import Answer
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 3, 1, 10, 0, tzinfo=datetime.UTC)
WRITES = ("INSERT", "UPDATE", "DELETE")


class InjectedFault(Exception):
    pass


class FailAfterWrite:
    """An execute wrapper: lets the first `n` writes run, then raises."""

    def __init__(self, n: int):
        self.n = n
        self.writes = 0

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith(WRITES):
            self.writes += 1
            if self.writes == self.n:
                raise InjectedFault(f"fault after write {self.n}: {sql[:60]}")
        return result


def state() -> dict:
    """Every coursework row, without the ids that rows inserted by the call get
    (PostgreSQL does not roll sequences back); each scenario has one answer."""
    ignored = {"id", "response_id"}
    return {
        m._meta.label: sorted(
            repr({k: v for k, v in row.items() if k not in ignored}) for row in m.objects.order_by("pk").values()
        )
        for m in apps.get_models()
        if m._meta.app_label == "lessons" and m._meta.label not in {"lessons.Unit"}
    }


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def consistent_states(call, *, draft_only) -> tuple[dict, dict, dict, int]:
    """The state before, after the draft save alone, after the whole call; and
    how many writes the whole call makes."""
    before = state()
    with rolled_back():
        draft_only()
        drafted = state()
    counter = FailAfterWrite(n=10**6)
    with rolled_back(), connection.execute_wrapper(counter):
        call()
        submitted = state()
    return before, drafted, submitted, counter.writes


def assert_no_partial_rows(call, *, draft_only) -> None:
    """Fail after each write in turn; each try runs in a transaction that the
    test rolls back afterwards, so every try starts from the same state (the
    service's own atomic blocks then nest inside it as savepoints)."""
    before, drafted, submitted, writes = consistent_states(call, draft_only=draft_only)
    assert writes >= 2, "the scenario should make several writes"
    assert submitted not in (before, drafted)
    for n in range(1, writes + 1):
        with rolled_back():
            with connection.execute_wrapper(FailAfterWrite(n)), pytest.raises(InjectedFault):
                call()
            # A write outside the service's atomic blocks leaves the transaction marked
            # for rollback; in production (autocommit) such a write would have stayed,
            # so look at what is there, as production would.
            transaction.set_rollback(False)
            after_fault = state()
        assert after_fault in (before, drafted), f"a fault after write {n} of {writes} left partial rows"
        assert state() == before
    call()
    assert state() == submitted


@pytest.fixture
def scene():
    with time_machine.travel(NOW, tick=False):
        assignment = factories.AssignmentFactory(
            opens_at=NOW - datetime.timedelta(days=1), due_at=NOW + datetime.timedelta(days=1)
        )
        prompt = factories.PromptFactory(lesson=assignment.lesson)
        student = factories.EnrollmentFactory(classroom=assignment.classroom).student
        yield assignment, prompt, student


def test_a_fault_while_submitting_a_saved_draft_leaves_it_a_draft(scene):
    assignment, prompt, student = scene
    with time_machine.travel(NOW - datetime.timedelta(minutes=10), tick=False):
        draft = services.save_draft(
            student=student, assignment=assignment, prompt=prompt,
            answer=Answer(body="Stalin wanted America busy in Asia."), base_version=0,
        )

    def submit():
        services.submit_response(
            student=student, assignment=assignment, prompt=prompt, answer=None, base_version=draft.version, now=NOW
        )

    with time_machine.travel(NOW, tick=False):
        assert_no_partial_rows(submit, draft_only=lambda: None)
    response = Response.objects.get()
    assert response.status == Response.Status.SUBMITTED
    assert response.versions.filter(kind="submitted").count() == 1


def test_a_fault_while_submitting_a_changed_draft_leaves_the_old_or_the_new_draft_whole(scene):
    """An old draft, edited and submitted at once: the save keeps a snapshot of
    the old text (it is minutes old), updates the text, then submits."""
    assignment, prompt, student = scene
    with time_machine.travel(NOW - datetime.timedelta(minutes=10), tick=False):
        draft = services.save_draft(
            student=student, assignment=assignment, prompt=prompt,
            answer=Answer(body="First thoughts about the letter."), base_version=0,
        )
    new = Answer(body="Stalin's letter shows he expected America to be tied down in Asia.")

    def submit():
        services.submit_response(
            student=student, assignment=assignment, prompt=prompt, answer=new, base_version=draft.version, now=NOW
        )

    def save_only():
        services.save_draft(
            student=student, assignment=assignment, prompt=prompt, answer=new, base_version=draft.version, now=NOW
        )

    with time_machine.travel(NOW, tick=False):
        assert_no_partial_rows(submit, draft_only=save_only)
    response = Response.objects.get()
    assert response.body == new.body
    assert list(response.versions.values_list("kind", flat=True).order_by("pk")) == ["snapshot", "submitted"]


def test_a_fault_during_a_first_submission_never_leaves_a_submitted_answer_without_its_copy(scene):
    assignment, prompt, student = scene
    answer = Answer(body="It backfired: China and America both grew stronger in Asia.")

    def submit():
        services.submit_response(
            student=student, assignment=assignment, prompt=prompt, answer=answer, base_version=0, now=NOW
        )

    def save_only():
        services.save_draft(student=student, assignment=assignment, prompt=prompt, answer=answer, base_version=0)

    with time_machine.travel(NOW, tick=False):
        assert_no_partial_rows(submit, draft_only=save_only)
    assert Response.objects.get().versions.filter(kind="submitted").count() == 1


def test_when_keeping_the_submitted_copy_fails_the_status_change_is_undone_too(scene):
    """The plainest case: the status UPDATE runs, then storing the submitted copy fails."""
    from unittest import mock

    from lessons.models import ResponseVersion

    assignment, prompt, student = scene
    draft = services.save_draft(
        student=student, assignment=assignment, prompt=prompt, answer=Answer(body="My answer."), base_version=0
    )
    with (
        mock.patch.object(ResponseVersion.objects, "create", side_effect=InjectedFault("disk full")),
        pytest.raises(InjectedFault),
    ):
        services.submit_response(
            student=student, assignment=assignment, prompt=prompt, answer=None, base_version=draft.version, now=NOW
        )
    response = Response.objects.get()
    assert response.status == Response.Status.DRAFT
    assert response.version == draft.version
    assert response.submitted_at is None
    assert not ResponseVersion.objects.exists()
