"""Delete what we no longer need to keep: run daily (cron, or a scheduled task).

- classes archived more than ARCHIVED_CLASS_RETENTION_DAYS ago, with their
  roster, assignments and all the work done on them; students who are left
  with no class at all are deleted with everything of theirs, and so are
  students in no class who have not signed in for that long;
- sign-in records (django-axes attempts, logs and failure logs) older than
  SIGNIN_RECORD_RETENTION_DAYS;
- expired sessions.
"""

import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Classroom, Enrollment, User
from accounts.privacy import erase_students
from lessons.models import Response


def purge_old_data(*, now: datetime.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete expired data; return the number of rows deleted per model label.

    With `dry_run`, the same deletions run inside a transaction that is rolled
    back, so the counts are exact and nothing changes."""
    now = now or timezone.now()
    class_cutoff = now - datetime.timedelta(days=settings.ARCHIVED_CLASS_RETENTION_DAYS)
    signin_cutoff = now - datetime.timedelta(days=settings.SIGNIN_RECORD_RETENTION_DAYS)
    counts: dict[str, int] = {}

    def add(deleted: dict[str, int]) -> None:
        for label, n in deleted.items():
            if n:
                counts[label] = counts.get(label, 0) + n

    with transaction.atomic():
        expired_classes = Classroom.objects.filter(archived_at__lt=class_cutoff)
        # Everyone who was in these classes, including students removed from them
        # whose work stayed behind.
        student_ids = set(
            Enrollment.objects.filter(classroom__in=expired_classes).values_list("student_id", flat=True)
        ) | set(Response.objects.filter(assignment__classroom__in=expired_classes).values_list("student_id", flat=True))
        add(expired_classes.delete()[1])
        # Students whose only classes were these have nothing left to do here; nor
        # have students in no class who have not signed in for the same period.
        classless = User.objects.students().filter(enrollments__isnull=True)
        unused = Q(last_login__lt=class_cutoff) | Q(last_login__isnull=True, date_joined__lt=class_cutoff)
        add(erase_students(students=classless.filter(Q(pk__in=student_ids) | unused).distinct()))
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            add(model.objects.filter(attempt_time__lt=signin_cutoff).delete()[1])
        add(Session.objects.filter(expire_date__lt=now).delete()[1])
        if dry_run:
            transaction.set_rollback(True)
    return counts


class Command(BaseCommand):
    help = "Delete classes archived past their retention period, old sign-in records and expired sessions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be deleted, and delete nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        counts = purge_old_data(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        if not counts:
            self.stdout.write("Nothing to delete.")
            return
        for label in sorted(counts):
            self.stdout.write(f"{verb} {counts[label]} {label}")
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"{verb} {total} rows in all."))
