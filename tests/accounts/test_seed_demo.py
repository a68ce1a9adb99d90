import pytest
from django.core.management import CommandError, call_command

from accounts.models import Classroom, Enrollment, User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_admin_teacher_class_and_two_students(client):
    call_command("seed_demo")
    assert User.objects.get(username="demo_admin").is_superuser
    teacher = User.objects.get(username="demo_teacher")
    classroom = Classroom.objects.get(teacher=teacher)
    assert Enrollment.objects.filter(classroom=classroom).count() == 2
    assert User.objects.get(username="demo_student1").check_password("korea-demo-1950")


def test_seed_demo_run_twice_creates_no_duplicates_and_keeps_edits():
    call_command("seed_demo")
    teacher = User.objects.get(username="demo_teacher")
    teacher.set_password("changed-by-the-teacher")
    teacher.save()
    call_command("seed_demo")
    assert User.objects.filter(username__startswith="demo_").count() == 4
    assert Classroom.objects.count() == 1
    assert Enrollment.objects.count() == 2
    teacher.refresh_from_db()
    assert teacher.check_password("changed-by-the-teacher")


def test_seed_demo_refuses_outside_development(settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()
