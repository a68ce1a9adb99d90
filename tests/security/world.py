"""One small school, with a row in every model: the fixture world of the
privacy, backup and access-matrix tests.

`mark` is put into everything a person types (names, class names, answers,
replies, comments), so the escaping tests can use a hostile value.
"""

import datetime
from dataclasses import dataclass
from importlib import import_module

from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Classroom, User
from lessons import models as lm
from tests import factories


@dataclass
class World:
    teacher: User
    other_teacher: User
    staff: User
    student: User
    classmate: User
    other_student: User
    classroom: Classroom
    other_classroom: Classroom
    lesson: lm.Lesson
    section: lm.Section
    prompt: lm.Prompt
    position_prompt: lm.Prompt
    assignment: lm.Assignment
    other_assignment: lm.Assignment
    response: lm.Response
    classmate_response: lm.Response
    other_response: lm.Response
    feedback: lm.Feedback
    reply: lm.Reply
    student_reply: lm.Reply
    comment: lm.CommentBankEntry
    other_comment: lm.CommentBankEntry


def coursework_for(*, student: User, assignment: lm.Assignment, prompt: lm.Prompt, section: lm.Section, mark: str):
    response = factories.ResponseFactory(
        assignment=assignment,
        prompt=prompt,
        student=student,
        body=f"{mark} Stalin hoped to tie the Americans down in Asia.",
        position="",
        quoted_sentence=f"{mark} quoted",
        cited_sections=[section.pk],
        status=lm.Response.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    lm.ResponseVersion.objects.create(
        response=response, kind=lm.ResponseVersion.Kind.SNAPSHOT, version=1, body=f"{mark} first draft"
    )
    lm.ResponseVersion.objects.create(
        response=response, kind=lm.ResponseVersion.Kind.SUBMITTED, version=2, body=response.body
    )
    lm.SectionRead.objects.create(assignment=assignment, student=student, section=section)
    return response


def signin_records(username: str) -> None:
    attempt = AccessAttempt.objects.create(
        username=username, ip_address="10.0.0.2", user_agent="Chromebook", failures_since_start=1
    )
    AccessAttemptExpiration.objects.create(
        access_attempt=attempt, expires_at=timezone.now() + datetime.timedelta(minutes=15)
    )
    AccessLog.objects.create(username=username, ip_address="10.0.0.2", user_agent="Chromebook")
    AccessFailureLog.objects.create(username=username, ip_address="10.0.0.2", user_agent="Chromebook")


def open_session(user: User) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store.create()


def build_world(mark: str = "") -> World:
    def named(text: str) -> str:
        return f"{mark}{text}" if mark else text

    teacher = factories.TeacherFactory(display_name=named("Ms Teacher"))
    other_teacher = factories.TeacherFactory(display_name=named("Mr Other"))
    staff = factories.StaffFactory(display_name=named("Admin"))
    classroom = factories.ClassroomFactory(teacher=teacher, name=named("History 9A"))
    other_classroom = factories.ClassroomFactory(teacher=other_teacher, name=named("History 9B"))
    student = factories.EnrollmentFactory(
        classroom=classroom, student=factories.StudentFactory(display_name=named("Student One"))
    ).student
    classmate = factories.EnrollmentFactory(
        classroom=classroom, student=factories.StudentFactory(display_name=named("Class Mate"))
    ).student
    other_student = factories.EnrollmentFactory(
        classroom=other_classroom, student=factories.StudentFactory(display_name=named("Other Student"))
    ).student

    lesson = factories.LessonFactory()
    section = factories.SectionFactory(lesson=lesson)
    factories.SectionFactory(lesson=lesson)
    factories.KeyTermFactory(lesson=lesson)
    factories.QuotationFactory(lesson=lesson)
    factories.PlanStepFactory(lesson=lesson)
    factories.TimelineEventFactory(unit=lesson.unit, lesson=lesson)
    prompt = factories.PromptFactory(lesson=lesson)
    position_prompt = factories.PositionPromptFactory(lesson=lesson)
    factories.LessonFactory(unit=lesson.unit, status=lm.Status.DRAFT)

    assignment = factories.AssignmentFactory(classroom=classroom, lesson=lesson)
    assignment.prompts.add(prompt, position_prompt)
    assignment.students.add(student, classmate)
    other_assignment = factories.AssignmentFactory(classroom=other_classroom, lesson=lesson)

    response = coursework_for(student=student, assignment=assignment, prompt=prompt, section=section, mark=mark)
    classmate_response = coursework_for(
        student=classmate, assignment=assignment, prompt=prompt, section=section, mark=mark
    )
    other_response = coursework_for(
        student=other_student, assignment=other_assignment, prompt=prompt, section=section, mark=mark
    )
    feedback = factories.FeedbackFactory(response=response, comment=named("Good use of the letter."))
    factories.FeedbackFactory(response=other_response, comment=named("Name the source."))
    reply = factories.ReplyFactory(response=response, author=classmate, body=named("I see it differently."))
    student_reply = factories.ReplyFactory(response=classmate_response, author=student, body=named("Why so?"))
    factories.ReplyFactory(response=other_response, author=other_student, body=named("My own note."))
    comment = lm.CommentBankEntry.objects.create(teacher=teacher, text=named("Cite the reading."))
    other_comment = lm.CommentBankEntry.objects.create(teacher=other_teacher, text=named("Use evidence."))

    group, _ = Group.objects.get_or_create(name="Content editors")
    group.permissions.add(Permission.objects.get(codename="change_lesson"))
    staff.groups.add(group)
    staff.user_permissions.add(Permission.objects.get(codename="view_classroom"))
    for user in (student, other_student):
        LogEntry.objects.log_actions(
            user_id=staff.pk,
            queryset=[user],
            action_flag=ADDITION,
            change_message="Added.",
            single_object=True,
        )
        signin_records(user.username)
        open_session(user)
    signin_records(teacher.username)
    open_session(teacher)
    ContentType.objects.get_for_model(User)

    return World(
        teacher=teacher,
        other_teacher=other_teacher,
        staff=staff,
        student=student,
        classmate=classmate,
        other_student=other_student,
        classroom=classroom,
        other_classroom=other_classroom,
        lesson=lesson,
        section=section,
        prompt=prompt,
        position_prompt=position_prompt,
        assignment=assignment,
        other_assignment=other_assignment,
        response=response,
        classmate_response=classmate_response,
        other_response=other_response,
        feedback=feedback,
        reply=reply,
        student_reply=student_reply,
        comment=comment,
        other_comment=other_comment,
    )
