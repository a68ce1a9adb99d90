"""Students' work: the /learn/ dashboard and assignment pages; teachers assigning."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.models import Classroom


@login_required
def learn_dashboard(request):
    classrooms = Classroom.objects.attended_by(request.user).active().select_related("teacher")
    return render(request, "learn/dashboard.html", {"classrooms": classrooms})
