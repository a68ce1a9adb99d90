"""Sign-up, sign-in, joining a class, and the teacher's classes and rosters."""

import secrets

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import services, throttle
from .access import classroom_for_teacher, student_in_classroom, teacher_required
from .forms import BulkAddForm, ClassroomForm, JoinCodeForm, LoginForm, StudentSignupForm, TeacherSignupForm
from .models import Classroom, User

SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"
LOGIN_CARDS_TIMEOUT = 10 * 60


def home_for(user: User) -> str:
    """Where a signed-in person starts: teachers their classes, students their work."""
    if user.is_authenticated and user.is_teacher:
        return reverse("teach:dashboard")
    if user.is_authenticated and user.is_student:
        return reverse("coursework:learn")
    return resolve_url("home")


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return home_for(self.request.user)


def signup(request: HttpRequest) -> HttpResponse:
    """Teachers sign up here; students get accounts from /join/ or their teacher."""
    if request.user.is_authenticated:
        return redirect(home_for(request.user))
    form = TeacherSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        teacher = services.create_teacher(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            display_name=form.cleaned_data["display_name"],
            password=form.cleaned_data["password1"],
        )
        login(request, teacher, backend=SIGN_IN_BACKEND)
        messages.success(request, _("Welcome! Create your first class to get a join code."))
        return redirect("teach:dashboard")
    return render(request, "accounts/signup.html", {"form": form})


def join(request: HttpRequest) -> HttpResponse:
    """A student enters a class code; without an account they create one here."""
    user = request.user
    anonymous = not user.is_authenticated
    if user.is_authenticated and not user.is_student:
        return render(request, "accounts/join.html", {"not_a_student": True})

    if request.method == "POST":
        if throttle.bad_codes_exhausted(request):
            return render(request, "accounts/join.html", {"throttled": True}, status=429)
        code_form = JoinCodeForm(request.POST)
        account_form = StudentSignupForm(request.POST) if anonymous else None
        code_ok = code_form.is_valid()
        if code_form.has_error("code", JoinCodeForm.UNKNOWN):
            throttle.record_bad_code(request)
        account_ok = account_form.is_valid() if account_form is not None else True
        if code_ok and account_ok:
            classroom = code_form.classroom
            if anonymous:
                student = services.create_student_and_join(
                    username=account_form.cleaned_data["username"],
                    display_name=account_form.cleaned_data["display_name"],
                    password=account_form.cleaned_data["password1"],
                    classroom=classroom,
                )
                login(request, student, backend=SIGN_IN_BACKEND)
                messages.success(request, _("Welcome! You have joined %(class)s.") % {"class": classroom.name})
            elif services.join_classroom(student=user, classroom=classroom):
                messages.success(request, _("You have joined %(class)s.") % {"class": classroom.name})
            else:
                messages.info(request, _("You are already in %(class)s.") % {"class": classroom.name})
            return redirect("coursework:learn")
    else:
        code_form = JoinCodeForm(initial={"code": request.GET.get("code", "")[:32]})
        account_form = StudentSignupForm() if anonymous else None
    return render(request, "accounts/join.html", {"code_form": code_form, "account_form": account_form})


@login_required
def password_change_done(request: HttpRequest) -> HttpResponse:
    if request.user.must_change_password:
        request.user.must_change_password = False
        request.user.save(update_fields=["must_change_password"])
    messages.success(request, _("Your password has been changed."))
    return redirect(home_for(request.user))


# --- The teacher's classes -------------------------------------------------


@teacher_required
def teacher_dashboard(request: HttpRequest) -> HttpResponse:
    mine = Classroom.objects.taught_by(request.user)
    classrooms = mine.active().with_student_count()
    archived_count = mine.filter(archived_at__isnull=False).count()
    return render(request, "teach/dashboard.html", {"classrooms": classrooms, "archived_count": archived_count})


@teacher_required
def archived_classrooms(request: HttpRequest) -> HttpResponse:
    classrooms = (
        Classroom.objects.taught_by(request.user)
        .filter(archived_at__isnull=False)
        .with_student_count()
        .order_by("-archived_at")
    )
    return render(request, "teach/archived.html", {"classrooms": classrooms})


@teacher_required
def classroom_new(request: HttpRequest) -> HttpResponse:
    form = ClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        classroom = services.create_classroom(teacher=request.user, name=form.cleaned_data["name"])
        messages.success(request, _("Class created. Show your students the join code."))
        return redirect(classroom)
    return render(request, "teach/classroom_form.html", {"form": form})


def _assign_url(classroom: Classroom) -> str | None:
    """The assign page once the coursework area provides it; until then no link."""
    path = f"{classroom.get_absolute_url()}assign/"
    try:
        resolve(path)
    except Resolver404:
        return None
    return path


@teacher_required
def classroom_detail(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request.user, pk)
    enrollments = classroom.enrollments.select_related("student").order_by(
        "student__display_name", "student__username"
    )
    assignments = classroom.assignments.select_related("lesson")
    return render(
        request,
        "teach/classroom_detail.html",
        {
            "classroom": classroom,
            "enrollments": enrollments,
            "assignments": assignments,
            "assign_url": _assign_url(classroom),
        },
    )


@teacher_required
def classroom_edit(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request.user, pk)
    form = ClassroomForm(request.POST or None, instance=classroom)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Class renamed."))
        return redirect(classroom)
    return render(request, "teach/classroom_form.html", {"form": form, "classroom": classroom})


@require_POST
@teacher_required
def classroom_archive(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request.user, pk)
    if not classroom.is_archived:
        classroom.archive()
    messages.success(
        request, _("%(class)s is archived. Its students and work are kept.") % {"class": classroom.name}
    )
    return redirect("teach:dashboard")


@require_POST
@teacher_required
def classroom_restore(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request.user, pk)
    if classroom.is_archived:
        classroom.unarchive()
    messages.success(request, _("%(class)s is back on your dashboard.") % {"class": classroom.name})
    return redirect(classroom)


# --- Join codes ------------------------------------------------------------


def join_url(request: HttpRequest, classroom: Classroom) -> str:
    return request.build_absolute_uri(f"{reverse('join')}?code={classroom.join_code}")


@teacher_required
def join_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The code, the address and a QR code, large enough to project."""
    import segno

    classroom = classroom_for_teacher(request.user, pk)
    url = join_url(request, classroom)
    qr_svg = segno.make(url, error="m").svg_inline(
        scale=10, svgclass="join-qr", lineclass="join-qr-line", omitsize=True, title=_("QR code for the join address")
    )
    return render(
        request,
        "teach/join_code.html",
        {
            "classroom": classroom,
            "join_address": request.build_absolute_uri(reverse("join")),
            "qr_svg": qr_svg,
            "code_groups": [classroom.join_code[:4], classroom.join_code[4:]],
        },
    )


@require_POST
@teacher_required
def regenerate_join_code(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request.user, pk)
    if classroom.is_archived:
        raise Http404
    classroom.regenerate_join_code()
    messages.success(
        request,
        _("New join code: %(code)s. The old code no longer works; students already in the class stay in.")
        % {"code": classroom.join_code},
    )
    if request.POST.get("next") == "code":
        return redirect("teach:join_code", pk=classroom.pk)
    return redirect(classroom)


@require_POST
@teacher_required
def toggle_joining(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request.user, pk)
    classroom.joining_open = not classroom.joining_open
    classroom.save(update_fields=["joining_open"])
    if classroom.joining_open:
        messages.success(request, _("Joining is open: students can join with the code."))
    else:
        messages.success(request, _("Joining is closed: the code no longer lets anyone in."))
    return redirect(classroom)


# --- Roster ----------------------------------------------------------------


def _cards_session_key(classroom: Classroom) -> str:
    return f"login-cards-{classroom.pk}"


def _stash_login_cards(request: HttpRequest, classroom: Classroom, cards: list[services.LoginCard]) -> None:
    """Keep the new passwords for one showing: in the cache (Redis in
    production) for ten minutes, never in the database; the session holds only
    a random token pointing at them."""
    token = secrets.token_urlsafe(24)
    cache.set(f"login-cards:{token}", [card.as_dict() for card in cards], timeout=LOGIN_CARDS_TIMEOUT)
    request.session[_cards_session_key(classroom)] = token


def _take_login_cards(request: HttpRequest, classroom: Classroom) -> list[dict[str, str]] | None:
    token = request.session.pop(_cards_session_key(classroom), None)
    if not token:
        return None
    key = f"login-cards:{token}"
    cards = cache.get(key)
    cache.delete(key)
    return cards


@teacher_required
def students_add(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request.user, pk)
    form = BulkAddForm(request.POST or None, classroom=classroom)
    if request.method == "POST" and form.is_valid():
        cards = services.bulk_add_students(classroom=classroom, names=form.cleaned_data["names"])
        _stash_login_cards(request, classroom, cards)
        return redirect("teach:login_cards", pk=classroom.pk)
    return render(request, "teach/students_add.html", {"classroom": classroom, "form": form})


@never_cache
@teacher_required
def login_cards(request: HttpRequest, pk: int) -> HttpResponse:
    """New usernames and temporary passwords, shown this once, ready to print."""
    classroom = classroom_for_teacher(request.user, pk)
    cards = _take_login_cards(request, classroom)
    if cards is None:
        messages.info(
            request,
            _("Temporary passwords are shown only once. To give a student a new one, use Reset password."),
        )
        return redirect(classroom)
    return render(
        request,
        "teach/login_cards.html",
        {"classroom": classroom, "cards": cards, "login_address": request.build_absolute_uri(reverse("accounts:login"))},
    )


@require_POST
@teacher_required
def student_reset_password(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request.user, pk)
    student = student_in_classroom(classroom, student_pk)
    card = services.reset_student_password(classroom=classroom, student=student)
    _stash_login_cards(request, classroom, [card])
    return redirect("teach:login_cards", pk=classroom.pk)


@teacher_required
def student_remove(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request.user, pk)
    student = student_in_classroom(classroom, student_pk)
    if request.method == "POST":
        services.remove_student(classroom=classroom, student=student)
        messages.success(
            request,
            _("%(name)s is no longer in %(class)s. Their account and work are kept.")
            % {"name": student.name, "class": classroom.name},
        )
        return redirect(classroom)
    return render(request, "teach/student_remove.html", {"classroom": classroom, "student": student})
