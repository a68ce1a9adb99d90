"""A student's data, on request: everything we hold as one document, or all of it gone.

Students are minors and their school answers for their data. A teacher of one
of the student's classes acts for the school: they can download what the app
holds about the student, and delete the student's account with every row that
belongs to it.
"""

from collections.abc import Iterable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import timezone

from .models import Classroom, Enrollment, User

EXPORT_FORMAT_VERSION = 1


def student_for_teacher(*, teacher: User, student_id: int) -> User:
    """The student, when `teacher` teaches one of the student's classes
    (archived ones included); otherwise 404, so a stranger learns nothing."""
    if not teacher.is_authenticated or not teacher.is_teacher:
        raise Http404
    taught = Enrollment.objects.filter(student=OuterRef("pk"), classroom__in=Classroom.objects.taught_by(teacher))
    student = User.objects.students().filter(Exists(taught), pk=student_id).first()
    if student is None:
        raise Http404
    return student


def _check_teacher(*, teacher: User, student: User) -> None:
    if student_for_teacher(teacher=teacher, student_id=student.pk) != student:
        raise Http404


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_student_data(*, teacher: User, student: User) -> dict[str, Any]:
    """Everything the app holds about `student`, as plain JSON-ready data:
    account, enrolments, answers with every saved version and feedback, the
    student's discussion replies, and reading progress."""
    from lessons.models import Reply, Response, SectionRead

    _check_teacher(teacher=teacher, student=student)

    enrolments = Enrollment.objects.filter(student=student).select_related("classroom__teacher").order_by("joined_at")
    responses = (
        Response.objects.filter(student=student)
        .select_related("assignment__classroom", "assignment__lesson", "prompt", "feedback")
        .prefetch_related("versions")
        .order_by("assignment__lesson__order", "prompt__order", "pk")
    )
    replies = (
        Reply.objects.filter(author=student)
        .select_related("response__assignment__classroom", "response__assignment__lesson", "response__prompt")
        .order_by("created_at", "pk")
    )
    reads = (
        SectionRead.objects.filter(student=student)
        .select_related("assignment__classroom", "section__lesson")
        .order_by("read_at", "pk")
    )

    def feedback_of(response) -> dict | None:
        feedback = getattr(response, "feedback", None)
        if feedback is None:
            return None
        return {
            "scores": feedback.scores(),
            "comment": feedback.comment,
            "returned_at": _iso(feedback.released_at),
            "updated_at": _iso(feedback.updated_at),
        }

    return {
        "format": "korea-lessons-student-export",
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "exported_by": teacher.username,
        "student": {
            "id": student.pk,
            "username": student.username,
            "display_name": student.display_name,
            "first_name": student.first_name,
            "last_name": student.last_name,
            "email": student.email,
            "date_joined": _iso(student.date_joined),
            "last_login": _iso(student.last_login),
        },
        "enrolments": [
            {
                "class": e.classroom.name,
                "teacher": e.classroom.teacher.name,
                "joined_at": _iso(e.joined_at),
                "class_archived_at": _iso(e.classroom.archived_at),
            }
            for e in enrolments
        ],
        "answers": [
            {
                "id": r.pk,
                "class": r.assignment.classroom.name,
                "lesson": r.assignment.lesson.title,
                "question": r.prompt.text,
                "position": r.position,
                "answer": r.body,
                "cited_sections": r.cited_sections,
                "quoted_sentence": r.quoted_sentence,
                "status": r.status,
                "submitted_at": _iso(r.submitted_at),
                "late": r.is_late,
                "hidden_from_discussion": r.hidden,
                "created_at": _iso(r.created_at),
                "updated_at": _iso(r.updated_at),
                "versions": [
                    {
                        "version": v.version,
                        "kind": v.kind,
                        "position": v.position,
                        "answer": v.body,
                        "cited_sections": v.cited_sections,
                        "quoted_sentence": v.quoted_sentence,
                        "saved_at": _iso(v.created_at),
                    }
                    for v in sorted(r.versions.all(), key=lambda v: (v.created_at, v.pk))
                ],
                "feedback": feedback_of(r),
            }
            for r in responses
        ],
        "discussion_replies": [
            {
                "class": reply.response.assignment.classroom.name,
                "lesson": reply.response.assignment.lesson.title,
                "question": reply.response.prompt.text,
                "reply": reply.body,
                "hidden": reply.hidden,
                "created_at": _iso(reply.created_at),
            }
            for reply in replies
        ],
        "reading_progress": [
            {
                "class": read.assignment.classroom.name,
                "lesson": read.section.lesson.title,
                "section": read.section.heading,
                "read_at": _iso(read.read_at),
            }
            for read in reads
        ],
    }


def erase_students(*, students: Iterable[User]) -> dict[str, int]:
    """Delete the students' accounts and every row that belongs to them.

    The cascade takes enrolments, answers (with their versions, feedback and
    the replies under them), the students' own replies, reading progress and
    their places on assignments. What no foreign key ties to an account is
    removed here by hand: sign-in records (django-axes keeps the username),
    open sessions, and admin history about the account.
    Returns the number of rows deleted per model label.
    """
    from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog

    students = list(students)
    if any(not student.is_student for student in students):
        raise ValueError("Only student accounts are erased this way.")
    counts: dict[str, int] = {}
    if not students:
        return counts

    def add(result: tuple[int, dict[str, int]]) -> None:
        for label, n in result[1].items():
            if n:
                counts[label] = counts.get(label, 0) + n

    usernames = [student.username for student in students]
    ids = [student.pk for student in students]
    with transaction.atomic():
        add(AccessAttemptExpiration.objects.filter(access_attempt__username__in=usernames).delete())
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            add(model.objects.filter(username__in=usernames).delete())
        user_type = ContentType.objects.get_for_model(User)
        add(LogEntry.objects.filter(content_type=user_type, object_id__in=[str(pk) for pk in ids]).delete())
        ended = _end_sessions(set(ids))
        if ended:
            counts["sessions.Session"] = ended
        add(User.objects.filter(pk__in=ids).delete())
    return counts


def erase_student(*, student: User) -> dict[str, int]:
    """Delete one student's account and every row that belongs to it (see erase_students)."""
    return erase_students(students=[student])


def delete_student(*, teacher: User, student: User) -> dict[str, int]:
    """A teacher of one of the student's classes deletes the student entirely."""
    _check_teacher(teacher=teacher, student=student)
    return erase_student(student=student)


def _end_sessions(user_ids: set[int]) -> int:
    """End these users' sessions (database and cache). Sessions are signed
    blobs with no user column, so each one is decoded, once, to find theirs."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    wanted = {str(pk) for pk in user_ids}
    ended = 0
    for session in Session.objects.iterator(chunk_size=2000):
        if str(session.get_decoded().get("_auth_user_id")) in wanted:
            store_class(session.session_key).delete()
            ended += 1
    return ended
