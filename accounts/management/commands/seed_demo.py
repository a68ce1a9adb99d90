"""Create the demo accounts for development: idempotent, never in production."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Classroom, Enrollment, User

DEMO_PASSWORD = "korea-demo-1950"
DEMO_CLASS_NAME = "Demo: Year 10 History"
DEMO_USERS = [
    # username, display name, role, staff
    ("demo_admin", "Demo Admin", User.Role.TEACHER, True),
    ("demo_teacher", "Ms Demo Teacher", User.Role.TEACHER, False),
    ("demo_student1", "Ana (demo)", User.Role.STUDENT, False),
    ("demo_student2", "Ben (demo)", User.Role.STUDENT, False),
]


class Command(BaseCommand):
    help = "Create a demo admin, a demo teacher with a class, and two demo students (development only)."

    def handle(self, *args, **options):
        if not settings.DEMO_ACCOUNTS_ALLOWED:
            raise CommandError("Demo accounts are for development only (set DJANGO_DEBUG=1).")
        with transaction.atomic():
            users = {}
            for username, display_name, role, staff in DEMO_USERS:
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "display_name": display_name,
                        "role": role,
                        "is_staff": staff,
                        "is_superuser": staff,
                    },
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save(update_fields=["password"])
                users[username] = (user, created)
            teacher = users["demo_teacher"][0]
            classroom = Classroom.objects.filter(teacher=teacher, name=DEMO_CLASS_NAME).first()
            if classroom is None:
                classroom = Classroom.objects.create(teacher=teacher, name=DEMO_CLASS_NAME)
            for username in ("demo_student1", "demo_student2"):
                Enrollment.objects.get_or_create(classroom=classroom, student=users[username][0])
            assigned = self._assign_first_lesson(teacher, classroom)

        self.stdout.write(self.style.SUCCESS("Demo accounts (development only):"))
        for username, _display_name, role, staff in DEMO_USERS:
            created = users[username][1]
            kind = "admin" if staff else role
            note = "" if created else "  (already there; kept as it was)"
            self.stdout.write(f"  {kind:<8} {username:<15} password: {DEMO_PASSWORD}{note}")
        self.stdout.write(f"  class    {classroom.name!r} join code: {classroom.join_code}")
        if assigned is not None:
            self.stdout.write(f"  assigned {assigned.lesson.title!r}, due {assigned.due_at:%Y-%m-%d %H:%M %Z}")

    @staticmethod
    def _assign_first_lesson(teacher, classroom):
        """Lesson 1 for the demo class, once, so that a demo student has work to do."""
        from lessons.models import Assignment, Lesson
        from lessons.services import assign_lessons

        lesson = Lesson.objects.published().order_by("order").first()
        if lesson is None:
            return None
        existing = Assignment.objects.filter(classroom=classroom, lesson=lesson).first()
        if existing is not None:
            return existing
        now = timezone.now()
        [assignment] = assign_lessons(
            teacher=teacher, classroom=classroom, lessons=[lesson], opens_at=now, due_at=now + timedelta(days=7)
        )
        return assignment
