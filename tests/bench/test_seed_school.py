"""The benchmark's school seeder, at a tiny scale: it must build a school that
the app can serve (users who can sign in, rosters, the unit assigned, work in
sensible states), on SQLite and on PostgreSQL alike."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Classroom, Enrollment, User
from lessons.models import Assignment, Feedback, Response, ResponseVersion
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_lessons(db):
    lessons = []
    for order in range(1, 6):
        lesson = factories.LessonFactory(order=order)
        factories.SectionFactory(lesson=lesson, order=1)
        factories.SectionFactory(lesson=lesson, order=2)
        factories.PromptFactory(lesson=lesson, order=1)
        factories.PositionPromptFactory(lesson=lesson, order=2)
        lessons.append(lesson)
    factories.LessonFactory(order=99, status="draft")
    return lessons


def seed(**options):
    defaults = {"teachers": 1, "classes": 1, "students": 3, "big_class": False, "password": "tiny-school-pass"}
    call_command("seed_school", **{**defaults, **options})


def test_it_builds_the_asked_school(unit_lessons):
    seed(teachers=2, classes=2, students=3)

    assert User.objects.teachers().count() == 2
    assert User.objects.students().count() == 12
    assert Classroom.objects.count() == 4
    assert Enrollment.objects.count() == 12
    # Every class has the whole published unit assigned, and nothing else.
    for classroom in Classroom.objects.all():
        assigned = set(Assignment.objects.filter(classroom=classroom).values_list("lesson_id", flat=True))
        assert assigned == {lesson.pk for lesson in unit_lessons}


def test_seeded_users_can_sign_in_with_the_shared_password(unit_lessons, client):
    seed()

    student = User.objects.students().first()
    teacher = User.objects.teachers().first()
    assert student.check_password("tiny-school-pass")
    assert not student.check_password("wrong")
    signed_in = client.post(reverse("accounts:login"), {"username": teacher.username, "password": "tiny-school-pass"})
    assert signed_in.status_code == 302
    assert client.get(reverse("teach:dashboard")).status_code == 200


def test_work_exists_only_on_opened_lessons_and_is_consistent(unit_lessons):
    seed(students=6)

    assert Response.objects.filter(status=Response.Status.DRAFT).exists()
    assert Response.objects.exclude(status=Response.Status.DRAFT).exists()
    opened = Assignment.objects.filter(responses__isnull=False).distinct()
    assert all(a.opens_at < a.due_at for a in opened)
    # Each handed-in answer has exactly one submitted copy; drafts have none.
    for response in Response.objects.prefetch_related("versions"):
        submitted_copies = [v for v in response.versions.all() if v.kind == ResponseVersion.Kind.SUBMITTED]
        if response.submitted_at is None:
            assert submitted_copies == []
            assert response.status == Response.Status.DRAFT
        else:
            assert len(submitted_copies) == 1
            assert submitted_copies[0].version == response.version
    # Released feedback goes with returned (or sent back) answers only.
    for feedback in Feedback.objects.select_related("response"):
        assert feedback.response.submitted_at is not None
        released = feedback.released_at is not None
        assert released == (feedback.response.status in (Response.Status.RETURNED, Response.Status.REVISING))


def test_only_lessons_up_to_the_current_one_are_open(unit_lessons, settings):
    from django.utils import timezone

    seed(students=3)

    now = timezone.now()
    classroom = Classroom.objects.get()
    assignments = list(Assignment.objects.filter(classroom=classroom).order_by("lesson__order"))
    open_now = [a for a in assignments if a.opens_at <= now]
    assert 1 <= len(open_now) < len(assignments)
    current = open_now[-1]
    assert current.due_at > now
    later = [a for a in assignments if a.opens_at > now]
    assert not Response.objects.filter(assignment__in=later).exists()


def test_the_big_class_holds_all_of_the_first_teachers_students(unit_lessons):
    seed(teachers=2, classes=2, students=3, big_class=True)

    big = Classroom.objects.get(name__startswith="Year group")
    first_teacher_students = set(
        Enrollment.objects.filter(classroom__teacher=big.teacher)
        .exclude(classroom=big)
        .values_list("student_id", flat=True)
    )
    assert set(big.enrollments.values_list("student_id", flat=True)) == first_teacher_students
    assert len(first_teacher_students) == 6


def test_it_refuses_a_database_that_already_has_users(unit_lessons):
    factories.TeacherFactory()

    with pytest.raises(CommandError, match="already has users"):
        seed()
    assert User.objects.count() == 1


def test_it_needs_the_unit_loaded_first(db):
    with pytest.raises(CommandError, match="load the unit"):
        seed()
    assert not User.objects.exists()
