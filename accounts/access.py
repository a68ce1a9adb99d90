"""Who may see what: each helper returns the object for this user or raises 404,
so another teacher's class is indistinguishable from one that does not exist."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Classroom, Enrollment, User


def teacher_required(view):
    """Anonymous users are sent to sign in; students (and anyone not a teacher) get 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_teacher:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def classroom_for_teacher(user: User, pk: int) -> Classroom:
    """The class with this id if `user` teaches it (archived or not), else 404."""
    return get_object_or_404(Classroom.objects.taught_by(user), pk=pk)


def student_in_classroom(classroom: Classroom, student_pk: int) -> User:
    """A student enrolled in this class, else 404."""
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("student"), classroom=classroom, student_id=student_pk
    )
    return enrollment.student
