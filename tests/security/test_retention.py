"""`purge_old_data`: archived classes and old sign-in records do not stay forever."""

import datetime
from io import StringIO

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core.management import call_command

from accounts.models import Classroom, Enrollment, User
from lessons.models import Assignment, Feedback, Reply, Response, ResponseVersion, SectionRead
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 6, 1, 12, 0, tzinfo=datetime.UTC)


def classroom_with_work(*, archived_days_ago: int | None, shared_student=None) -> Classroom:
    """A class with two students, an assignment, answers, versions, feedback,
    a reply and reading progress; archived the given number of days before NOW."""
    classroom = factories.ClassroomFactory()
    students = [factories.EnrollmentFactory(classroom=classroom).student]
    if shared_student is not None:
        factories.EnrollmentFactory(classroom=classroom, student=shared_student)
        students.append(shared_student)
    assignment = factories.AssignmentFactory(classroom=classroom)
    section = factories.SectionFactory(lesson=assignment.lesson)
    for student in students:
        response = factories.ResponseFactory(assignment=assignment, student=student)
        ResponseVersion.objects.create(response=response, kind="submitted", version=1, body=response.body)
        factories.FeedbackFactory(response=response)
        factories.ReplyFactory(response=response, author=students[0])
        SectionRead.objects.create(assignment=assignment, student=student, section=section)
    if archived_days_ago is not None:
        classroom.archived_at = NOW - datetime.timedelta(days=archived_days_ago)
        classroom.save(update_fields=["archived_at"])
    return classroom


def sign_in_record(model, *, days_ago: int, username: str = "someone"):
    with time_machine.travel(NOW - datetime.timedelta(days=days_ago), tick=False):
        extra = {"failures_since_start": 1} if model is AccessAttempt else {}
        return model.objects.create(username=username, ip_address="10.0.0.1", user_agent="test", **extra)


def purge(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("purge_old_data", *args, stdout=out)
    return out.getvalue()


def test_classes_archived_longer_than_the_retention_period_are_deleted_with_their_work(settings):
    settings.ARCHIVED_CLASS_RETENTION_DAYS = 365
    expired = classroom_with_work(archived_days_ago=366)
    kept_archived = classroom_with_work(archived_days_ago=364)
    active = classroom_with_work(archived_days_ago=None)

    output = purge()

    assert set(Classroom.objects.values_list("pk", flat=True)) == {kept_archived.pk, active.pk}
    assert not Assignment.objects.filter(classroom_id=expired.pk).exists()
    assert not Enrollment.objects.filter(classroom_id=expired.pk).exists()
    assert not Response.objects.filter(assignment__classroom_id=expired.pk).exists()
    # The other classes keep all their work.
    assert Response.objects.count() == 2
    assert ResponseVersion.objects.count() == 2
    assert Feedback.objects.count() == 2
    assert Reply.objects.count() == 2
    assert SectionRead.objects.count() == 2
    assert "Deleted 1 accounts.Classroom" in output


def test_the_retention_period_comes_from_settings(settings):
    settings.ARCHIVED_CLASS_RETENTION_DAYS = 30
    classroom_with_work(archived_days_ago=31)
    kept = classroom_with_work(archived_days_ago=29)
    purge()
    assert list(Classroom.objects.values_list("pk", flat=True)) == [kept.pk]


def test_students_left_without_any_class_are_deleted_but_not_those_still_in_another(settings):
    settings.ARCHIVED_CLASS_RETENTION_DAYS = 365
    shared = factories.StudentFactory()
    expired = classroom_with_work(archived_days_ago=400, shared_student=shared)
    only_expired_student = expired.enrollments.exclude(student=shared).get().student
    classroom_with_work(archived_days_ago=None, shared_student=shared)
    teacher = expired.teacher

    purge()

    assert not User.objects.filter(pk=only_expired_student.pk).exists()
    assert User.objects.filter(pk=shared.pk).exists()
    assert Response.objects.filter(student=shared).count() == 1  # the one in the active class
    assert User.objects.filter(pk=teacher.pk).exists()  # teachers keep their account


def test_sign_in_records_older_than_the_retention_period_are_deleted(settings):
    settings.SIGNIN_RECORD_RETENTION_DAYS = 90
    models = (AccessAttempt, AccessLog, AccessFailureLog)
    old = [sign_in_record(model, days_ago=91, username="old") for model in models]
    recent = [sign_in_record(model, days_ago=89, username="recent") for model in models]

    purge()

    for record in old:
        assert not type(record).objects.filter(pk=record.pk).exists()
    for record in recent:
        assert type(record).objects.filter(pk=record.pk).exists()


def test_expired_sessions_are_deleted():
    Session.objects.create(session_key="a" * 32, session_data="", expire_date=NOW - datetime.timedelta(days=1))
    Session.objects.create(session_key="b" * 32, session_data="", expire_date=NOW + datetime.timedelta(days=1))
    purge()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


def test_dry_run_reports_exact_counts_and_deletes_nothing(settings):
    settings.ARCHIVED_CLASS_RETENTION_DAYS = 365
    settings.SIGNIN_RECORD_RETENTION_DAYS = 90
    classroom_with_work(archived_days_ago=500)
    sign_in_record(AccessLog, days_ago=100)
    sign_in_record(AccessLog, days_ago=200)
    before = {model: model.objects.count() for model in (Classroom, Response, AccessLog, User)}

    output = purge("--dry-run")

    assert {model: model.objects.count() for model in before} == before
    assert "Would delete 1 accounts.Classroom" in output
    assert "Would delete 2 axes.AccessLog" in output
    assert "Would delete 1 lessons.Response" in output


def test_nothing_to_delete_says_so():
    classroom_with_work(archived_days_ago=None)
    assert "Nothing to delete." in purge()


def test_a_class_archived_just_now_is_kept_whatever_the_clock(settings):
    settings.ARCHIVED_CLASS_RETENTION_DAYS = 1
    classroom = classroom_with_work(archived_days_ago=None)
    with time_machine.travel(NOW, tick=False):
        classroom.archive()
    assert classroom.archived_at == NOW
    purge()
    assert Classroom.objects.filter(pk=classroom.pk).exists()
    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        call_command("purge_old_data", stdout=StringIO())
    assert not Classroom.objects.filter(pk=classroom.pk).exists()


def test_a_student_removed_from_a_class_goes_when_that_class_is_purged(settings):
    settings.ARCHIVED_CLASS_RETENTION_DAYS = 365
    expired = classroom_with_work(archived_days_ago=400)
    removed = expired.enrollments.get().student
    Enrollment.objects.filter(student=removed).delete()  # removed from the class; the work stayed
    assert Response.objects.filter(student=removed).exists()
    purge()
    assert not User.objects.filter(pk=removed.pk).exists()


def test_students_in_no_class_are_deleted_only_after_a_year_without_signing_in(settings):
    settings.ARCHIVED_CLASS_RETENTION_DAYS = 365
    year = datetime.timedelta(days=365)
    with time_machine.travel(NOW - year - datetime.timedelta(days=30), tick=False):
        idle = factories.StudentFactory()
        never_signed_in = factories.StudentFactory()
        came_back = factories.StudentFactory()
        in_a_class = factories.EnrollmentFactory().student
        teacher = factories.TeacherFactory()
    User.objects.filter(pk__in=[idle.pk, in_a_class.pk, teacher.pk]).update(last_login=NOW - year - datetime.timedelta(days=1))
    User.objects.filter(pk=came_back.pk).update(last_login=NOW - datetime.timedelta(days=2))
    with time_machine.travel(NOW - datetime.timedelta(days=10), tick=False):
        new = factories.StudentFactory()

    purge()

    remaining = set(User.objects.values_list("pk", flat=True))
    assert idle.pk not in remaining
    assert never_signed_in.pk not in remaining
    assert {came_back.pk, in_a_class.pk, teacher.pk, new.pk} <= remaining


def test_purging_a_big_class_takes_as_many_queries_as_a_small_one(settings, count_queries):
    """Deletion works on sets of rows, not student by student, so a school's
    yearly purge stays quick."""
    from lessons.management.commands.purge_old_data import purge_old_data

    settings.ARCHIVED_CLASS_RETENTION_DAYS = 365

    def expired_class_of(size: int) -> None:
        classroom = classroom_with_work(archived_days_ago=400)
        assignment = classroom.assignments.get()
        prompt = assignment.lesson.prompts.get()
        for _ in range(size):
            student = factories.EnrollmentFactory(classroom=classroom).student
            factories.ResponseFactory(assignment=assignment, prompt=prompt, student=student)
            sign_in_record(AccessLog, days_ago=1, username=student.username)

    expired_class_of(3)
    small = count_queries(lambda: purge_old_data(now=NOW))
    expired_class_of(40)
    large = count_queries(lambda: purge_old_data(now=NOW))
    assert large == small
