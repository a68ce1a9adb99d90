"""One helper per resource: the object if this user may see it, otherwise 404.

A 404 rather than a 403 so that another class's work is never confirmed to exist.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Classroom

from .models import Assignment, Reply, Response


def assignment_for_student(user, pk: int) -> Assignment:
    """An assignment of one of the student's active classes that is meant for them."""
    return get_object_or_404(
        Assignment.objects.for_student(user).select_related("lesson", "lesson__unit", "classroom"), pk=pk
    )


def assignment_for_teacher(user, pk: int) -> Assignment:
    """An assignment of one of the teacher's own classes."""
    return get_object_or_404(Assignment.objects.for_teacher(user).select_related("lesson", "classroom"), pk=pk)


def classroom_for_teacher(user, pk: int, *, active_only: bool = True) -> Classroom:
    classrooms = Classroom.objects.taught_by(user)
    if active_only:
        classrooms = classrooms.active()
    return get_object_or_404(classrooms, pk=pk)


def prompt_of_assignment(assignment: Assignment, prompt_pk: int):
    """One of the prompts the assignment asks; any other prompt is a 404."""
    for prompt in assignment.assigned_prompts():
        if prompt.pk == prompt_pk:
            return prompt
    raise Http404("No such prompt in this assignment.")


def discussion_post_for_teacher(user, pk: int) -> Response:
    """A classmate's answer shown in a discussion, for moderation by its class's teacher."""
    if not user.is_authenticated:
        raise Http404
    posts = Response.objects.filter(assignment__classroom__teacher=user).select_related("assignment__classroom")
    return get_object_or_404(posts, pk=pk)


def reply_for_teacher(user, pk: int) -> Reply:
    if not user.is_authenticated:
        raise Http404
    replies = Reply.objects.filter(response__assignment__classroom__teacher=user).select_related(
        "response__assignment__classroom"
    )
    return get_object_or_404(replies, pk=pk)


def response_for_teacher(user, pk: int) -> Response:
    """A student's answer in one of the teacher's classes, with what the review screen shows of it."""
    if not user.is_authenticated:
        raise Http404
    answers = Response.objects.filter(assignment__classroom__teacher=user).select_related(
        "assignment__lesson", "assignment__classroom", "prompt", "student", "feedback"
    )
    return get_object_or_404(answers, pk=pk)
