"""Sign-up, joining a class, and the teacher's classes and rosters."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .models import Classroom


def signup(request):
    return render(request, "accounts/signup.html", {})


def join(request):
    return render(request, "accounts/join.html", {})


@login_required
def password_change_done(request):
    if request.user.must_change_password:
        request.user.must_change_password = False
        request.user.save(update_fields=["must_change_password"])
    messages.success(request, _("Your password has been changed."))
    return redirect("home")


@login_required
def teacher_dashboard(request):
    classrooms = Classroom.objects.taught_by(request.user).active().with_student_count()
    return render(request, "teach/dashboard.html", {"classrooms": classrooms})
