"""A teacher acting on a student's data: download it all, or delete it all."""

import json

from django import forms
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .access import teacher_required
from .models import Classroom
from .privacy import delete_student, export_student_data, student_for_teacher


class DeleteStudentForm(forms.Form):
    confirm_username = forms.CharField(
        label=gettext_lazy("Type the student's username to confirm"),
        max_length=150,
        strip=True,
    )

    def __init__(self, *args, student, **kwargs):
        super().__init__(*args, **kwargs)
        self.student = student

    def clean_confirm_username(self):
        value = self.cleaned_data["confirm_username"]
        if value != self.student.username:
            raise forms.ValidationError(_("That is not this student's username; nothing was deleted."))
        return value


@never_cache
@require_GET
@teacher_required
def student_export(request, pk: int):
    student = student_for_teacher(teacher=request.user, student_id=pk)
    data = export_student_data(teacher=request.user, student=student)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="student-{student.pk}-data.json"'
    return response


def _back_to(request) -> str:
    """The roster the teacher came from (`?from=<class id>`), if it is theirs; else the dashboard."""
    raw = request.GET.get("from", "")
    if raw.isdecimal() and Classroom.objects.taught_by(request.user).filter(pk=int(raw)).exists():
        return reverse("teach:classroom", args=[int(raw)])
    return reverse("teach:dashboard")


@never_cache
@require_http_methods(["GET", "POST"])
@teacher_required
def student_delete(request, pk: int):
    student = student_for_teacher(teacher=request.user, student_id=pk)
    form = DeleteStudentForm(request.POST or None, student=student)
    back = _back_to(request)
    if request.method == "POST" and form.is_valid():
        name = student.name
        delete_student(teacher=request.user, student=student)
        messages.success(request, _("%(name)s and all of their work have been deleted.") % {"name": name})
        return redirect(back)
    enrolments = student.enrollments.select_related("classroom").order_by("classroom__name")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "privacy_tools/delete_student.html",
        {"student": student, "form": form, "enrolments": enrolments, "back": back},
        status=status,
    )
