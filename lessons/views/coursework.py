"""Students' work (the /learn/ pages) and teachers assigning and moderating it.

Views load what the user may see through the access helpers, call a form or a
service, and render or redirect; every write goes through lessons.services.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Classroom

from .. import content_cache, services
from ..access import (
    assignment_for_student,
    assignment_for_teacher,
    classroom_for_teacher,
    discussion_post_for_teacher,
    prompt_of_assignment,
    reply_for_teacher,
)
from ..coursework_forms import AnswerForm, AssignForm, AssignmentEditForm, DeleteAssignmentForm, ReplyForm
from ..models import (
    Assignment,
    Feedback,
    Prompt,
    Reply,
    Response,
    ResponseVersion,
    Section,
    SectionRead,
)
from ..services import Answer


def _wants_json(request) -> bool:
    return (
        request.headers.get("x-requested-with") == "XMLHttpRequest"
        or "application/json" in request.headers.get("accept", "")
        or request.content_type == "application/json"
    )


def login_required_json(view):
    """Like login_required, but a script gets 401 JSON rather than the sign-in page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if _wants_json(request):
                return JsonResponse(
                    {
                        "error": _("Your session has ended. Sign in again; your text is kept on this device."),
                        "login_url": reverse("accounts:login"),
                    },
                    status=401,
                )
            return login_required(view)(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    return wrapper


def _display_time(value) -> str:
    return formats.date_format(timezone.localtime(value), "H:i")


# Student dashboard -----------------------------------------------------------


def _dashboard_rows(user, now):
    """The student's assignments with progress, grouped as the dashboard shows them."""
    section_count = (
        Section.objects.filter(lesson=OuterRef("lesson"))
        .order_by()
        .values("lesson")
        .annotate(n=Count("pk"))
        .values("n")
    )
    read_count = (
        SectionRead.objects.filter(assignment=OuterRef("pk"), student=user)
        .order_by()
        .values("assignment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    assignments = list(
        Assignment.objects.for_student(user)
        .select_related("lesson", "classroom")
        .prefetch_related(Prefetch("prompts", queryset=Prompt.objects.only("pk", "lesson_id")))
        .annotate(section_total=Coalesce(Subquery(section_count), 0), sections_read=Coalesce(Subquery(read_count), 0))
        .order_by("due_at", "pk")
    )
    lesson_prompts = defaultdict(set)
    for prompt_id, lesson_id in (
        Prompt.objects.published().filter(lesson__in={a.lesson_id for a in assignments}).values_list("pk", "lesson_id")
    ):
        lesson_prompts[lesson_id].add(prompt_id)
    statuses = defaultdict(dict)
    for assignment_id, prompt_id, status in Response.objects.filter(
        student=user, assignment__in=assignments
    ).values_list("assignment_id", "prompt_id", "status"):
        statuses[assignment_id][prompt_id] = status

    groups = {"todo": [], "overdue": [], "submitted": [], "returned": []}
    for assignment in assignments:
        chosen = {p.pk for p in assignment.prompts.all()}
        prompt_ids = chosen or lesson_prompts[assignment.lesson_id]
        mine = {pid: s for pid, s in statuses[assignment.pk].items() if pid in prompt_ids}
        posted = [s for s in mine.values() if s in services.POSTED]
        assignment.prompt_total = len(prompt_ids)
        assignment.prompts_answered = len(posted)
        assignment.needs_revision = Response.Status.REVISING in mine.values()
        assignment.not_open_yet = now < assignment.opens_at
        assignment.closed = not assignment.not_open_yet and not assignment.is_open(now)
        total = assignment.section_total + assignment.prompt_total
        done = min(assignment.sections_read, assignment.section_total) + assignment.prompts_answered
        assignment.progress = round(100 * done / total) if total else 0
        if assignment.needs_revision:
            groups["todo"].append(assignment)
        elif prompt_ids and len(posted) == len(prompt_ids):
            groups["returned" if Response.Status.RETURNED in posted else "submitted"].append(assignment)
        elif assignment.is_past_due(now):
            groups["overdue"].append(assignment)
        else:
            groups["todo"].append(assignment)
    return groups


@login_required
def learn_dashboard(request):
    now = timezone.now()
    classrooms = Classroom.objects.attended_by(request.user).active().select_related("teacher")
    groups = _dashboard_rows(request.user, now)
    sections = [
        ("todo", _("To do"), groups["todo"]),
        ("overdue", _("Overdue"), groups["overdue"]),
        ("submitted", _("Submitted"), groups["submitted"]),
        ("returned", _("Returned with feedback"), groups["returned"]),
    ]
    return render(request, "learn/dashboard.html", {"classrooms": classrooms, "groups": sections, "now": now})


# The assignment page -----------------------------------------------------------


def _linked_answers(user, assignment: Assignment, prompts: list[Prompt]) -> dict[str, Response]:
    """The student's own first take and final argument on the unit's central question."""
    roles = {Prompt.Role.FIRST_TAKE, Prompt.Role.FINAL_ARGUMENT}
    if not any(p.role in roles for p in prompts):
        return {}
    found: dict[str, Response] = {}
    for response in (
        Response.objects.filter(student=user, prompt__role__in=roles, prompt__lesson__unit_id=assignment.lesson.unit_id)
        .exclude(body="", position="")
        .select_related("prompt__lesson", "assignment")
        .order_by("-updated_at")
    ):
        found.setdefault(response.prompt.role, response)
    return found


def _assignment_context(request, assignment: Assignment, *, override: dict | None = None) -> dict:
    """Everything the assignment page shows, fetched in a fixed number of queries.

    `override` maps a prompt id to {"answer", "version", "conflict", "errors"} when
    a plain-form save is shown back to the student.
    """
    user = request.user
    now = timezone.now()
    lesson = assignment.lesson
    # The reading is the same for every student: rendered once per lesson and content version.
    reading = content_cache.reading(lesson.pk)
    sections = reading["sections"]
    prompts = list(assignment.assigned_prompts())
    responses = {
        r.prompt_id: r
        for r in Response.objects.filter(assignment=assignment, student=user).annotate(history_count=Count("versions"))
    }
    feedback = {
        f.response_id: f for f in Feedback.objects.filter(response__in=responses.values(), released_at__isnull=False)
    }
    read_ids = set(SectionRead.objects.filter(assignment=assignment, student=user).values_list("section_id", flat=True))
    linked = _linked_answers(user, assignment, prompts)
    section_names = {s["pk"]: s["heading"] for s in sections}
    override = override or {}
    items = []
    for prompt in prompts:
        response = responses.get(prompt.pk)
        extra = override.get(prompt.pk, {})
        answer = extra.get("answer") or (Answer.of(response) if response else Answer())
        item = {
            "prompt": prompt,
            "response": response,
            "answer": answer,
            "cited_names": [section_names[s] for s in answer.cited_sections if s in section_names],
            "version": extra.get("version", response.version if response else 0),
            "editable": (response is None or response.is_editable) and not extra.get("locked"),
            "feedback": feedback.get(response.pk) if response else None,
            "conflict": extra.get("conflict"),
            "errors": extra.get("errors", []),
            "discussion_open": services.discussion_visible(assignment=assignment, own_response=response),
        }
        if prompt.role == Prompt.Role.FINAL_ARGUMENT:
            item["linked"] = linked.get(Prompt.Role.FIRST_TAKE)
            item["linked_label"] = _("Your first take, before the unit")
        elif prompt.role == Prompt.Role.FIRST_TAKE:
            item["linked"] = linked.get(Prompt.Role.FINAL_ARGUMENT)
            item["linked_label"] = _("Your final argument, at the end of the unit")
        items.append(item)
    return {
        "assignment": assignment,
        "lesson": lesson,
        "sections": sections,
        "read_ids": read_ids,
        "sections_read": len(read_ids & set(section_names)),
        "reading_extras": reading["extras"],
        "items": items,
        "not_open_yet": now < assignment.opens_at,
        "closed": now >= assignment.opens_at and not assignment.is_open(now),
        "past_due": assignment.is_past_due(now),
    }


@login_required
def assignment_page(request, pk: int):
    assignment = assignment_for_student(request.user, pk)
    return render(request, "learn/assignment.html", _assignment_context(request, assignment))


def _answer_from_json(request) -> tuple[Answer, int, bool]:
    try:
        data = json.loads(request.body or b"{}")
        version = int(data.get("version", 0))
        cited = data.get("cited_sections") or []
        if not isinstance(cited, list):
            raise ValueError
        answer = Answer(
            position=str(data.get("position") or ""),
            body=str(data.get("body") or ""),
            cited_sections=cited,
            quoted_sentence=str(data.get("quoted_sentence") or ""),
        )
    except (ValueError, TypeError, AttributeError):
        raise services.CourseworkError(_("The saved data could not be read. Reload the page and try again."))
    return answer, version, bool(data.get("keep_previous"))


def _stored(response: Response) -> dict:
    return {"version": response.version, "status": response.status, **Answer.of(response).as_fields()}


@login_required_json
@require_POST
def autosave(request, pk: int, prompt_pk: int):
    """Save a draft from the page's script: the new version, or 409 with what is stored."""
    try:
        answer, version, keep_previous = _answer_from_json(request)
    except services.CourseworkError as error:
        unreadable = error
    else:
        unreadable = None
        if not keep_previous:
            # One guarded UPDATE when the service can vouch for this save; otherwise the full path below.
            quick = services.quick_save_draft(
                student=request.user, assignment_id=pk, prompt_id=prompt_pk, answer=answer, base_version=version
            )
            if quick is not None:
                return _saved(quick)
    assignment = assignment_for_student(request.user, pk)
    prompt = prompt_of_assignment(assignment, prompt_pk)
    if unreadable is not None:
        return JsonResponse({"error": unreadable.message}, status=400)
    try:
        response = services.save_draft(
            student=request.user,
            assignment=assignment,
            prompt=prompt,
            answer=answer,
            base_version=version,
            keep_previous=keep_previous,
        )
    except services.StaleVersion as stale:
        return JsonResponse({"error": stale.message, "current": _stored(stale.current)}, status=409)
    except services.NotEditable as locked:
        return JsonResponse({"error": locked.message, "current": _stored(locked.response)}, status=409)
    except services.CourseworkError as error:
        return JsonResponse({"error": error.message}, status=400)
    services.remember_draft(response=response, assignment=assignment, prompt=prompt)
    return _saved(response)


def _saved(saved: Response | services.QuickSave) -> JsonResponse:
    saved_at = timezone.localtime(saved.updated_at)
    return JsonResponse(
        {"version": saved.version, "saved_at": saved_at.isoformat(), "saved_at_display": _display_time(saved_at)}
    )


@login_required
@require_POST
def answer(request, pk: int, prompt_pk: int):
    """The plain form: Save (a draft) or Submit. Works without JavaScript."""
    assignment = assignment_for_student(request.user, pk)
    prompt = prompt_of_assignment(assignment, prompt_pk)
    sections = list(Section.objects.filter(lesson_id=assignment.lesson_id).order_by("order").only("pk", "heading"))
    section_ids = {s.pk for s in sections}  # the form's choices, shared with the service's check
    form = AnswerForm(request.POST, prompt=prompt, sections=sections)
    anchor = f"{reverse('coursework:assignment', args=[assignment.pk])}#prompt-{prompt.pk}"
    action = request.POST.get("action", "save")
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _show_again(request, assignment, prompt, form, errors=errors)
    try:
        if action == "submit":
            outcome = services.submit_response(
                student=request.user,
                assignment=assignment,
                prompt=prompt,
                answer=form.answer(),
                base_version=form.cleaned_data["version"],
                lesson_sections=section_ids,
            )
            if outcome.newly_submitted:
                note = _("Submitted late.") if outcome.response.is_late else _("Submitted.")
                messages.success(request, note)
            else:
                messages.info(request, _("This answer was already submitted; nothing changed."))
        else:
            services.save_draft(
                student=request.user,
                assignment=assignment,
                prompt=prompt,
                answer=form.answer(),
                base_version=form.cleaned_data["version"],
                keep_previous=form.cleaned_data["keep_previous"],
                lesson_sections=section_ids,
            )
            messages.success(request, _("Saved at %(time)s.") % {"time": _display_time(timezone.now())})
    except services.StaleVersion as stale:
        return _show_again(request, assignment, prompt, form, conflict=stale.current, errors=[stale.message])
    except services.NotEditable as locked:
        messages.info(request, locked.message)
    except services.CourseworkError as error:
        # Closed, incomplete or invalid: the draft (if any) is already kept; say why.
        messages.error(request, error.message)
    return redirect(anchor)


def _show_again(request, assignment, prompt, form, *, errors, conflict: Response | None = None):
    """The page again with the student's posted text in the form, so nothing typed is lost."""
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    posted = Answer(
        position=request.POST.get("position", ""),
        body=request.POST.get("body", ""),
        cited_sections=[int(v) for v in request.POST.getlist("cited_sections") if v.isdecimal()],
        quoted_sentence=request.POST.get("quoted_sentence", ""),
    )
    extra = {"answer": posted, "errors": errors}
    if conflict is not None:
        # The next Save overwrites the stored text, which is kept as a snapshot first.
        extra.update({"version": conflict.version, "conflict": Answer.of(conflict)})
    elif "version" in data:
        extra["version"] = data["version"]
    context = _assignment_context(request, assignment, override={prompt.pk: extra})
    return render(request, "learn/assignment.html", context, status=409 if conflict is not None else 400)


@login_required_json
@require_POST
def mark_read(request, pk: int, section_pk: int):
    assignment = assignment_for_student(request.user, pk)
    section = get_object_or_404(Section, pk=section_pk, lesson_id=assignment.lesson_id)
    services.mark_section_read(student=request.user, assignment=assignment, section=section)
    if _wants_json(request):
        return JsonResponse({"read": True, "section": section.pk})
    return redirect(f"{reverse('coursework:assignment', args=[assignment.pk])}#{section.anchor}")


@login_required
def history(request, pk: int, prompt_pk: int):
    assignment = assignment_for_student(request.user, pk)
    prompt = prompt_of_assignment(assignment, prompt_pk)
    response = get_object_or_404(Response, assignment=assignment, prompt=prompt, student=request.user)
    versions = list(response.versions.all())
    sections = {s.pk: s.heading for s in assignment.lesson.sections.all()}
    for version in versions:
        version.cited_names = [sections[s] for s in version.cited_sections if s in sections]
    return render(
        request,
        "learn/history.html",
        {"assignment": assignment, "prompt": prompt, "response": response, "versions": versions},
    )


@login_required
@require_POST
def restore(request, pk: int, prompt_pk: int, version_pk: int):
    assignment = assignment_for_student(request.user, pk)
    prompt = prompt_of_assignment(assignment, prompt_pk)
    response = get_object_or_404(
        Response.objects.select_related("assignment__lesson", "prompt"),
        assignment=assignment,
        prompt=prompt,
        student=request.user,
    )
    version = get_object_or_404(ResponseVersion, pk=version_pk, response=response)
    try:
        base = int(request.POST.get("version", ""))
    except ValueError:
        base = -1
    try:
        services.restore_version(student=request.user, response=response, version=version, base_version=base)
    except services.StaleVersion:
        messages.error(
            request, _("The answer changed since this page loaded (another tab?). Look again and choose once more.")
        )
        return redirect("coursework:history", pk=assignment.pk, prompt_pk=prompt.pk)
    except services.CourseworkError as error:
        messages.error(request, error.message)
        return redirect("coursework:history", pk=assignment.pk, prompt_pk=prompt.pk)
    messages.success(request, _("The earlier version is back in your draft; what you had is kept in the history."))
    return redirect(f"{reverse('coursework:assignment', args=[assignment.pk])}#prompt-{prompt.pk}")


# Discussion ---------------------------------------------------------------------


def _posts_with_replies(queryset, *, include_hidden: bool):
    replies = Reply.objects.select_related("author").order_by("created_at", "pk")
    if not include_hidden:
        replies = replies.filter(hidden=False)
    return queryset.select_related("student").prefetch_related(Prefetch("replies", queryset=replies))


def _grouped_by_position(prompt: Prompt, posts: list[Response], own_position: str) -> list[tuple[str, list]]:
    """Groups of posts by position, the positions that differ from the student's first."""
    if not prompt.is_position:
        return [(_("Classmates' answers"), posts)] if posts else []
    by_position = defaultdict(list)
    for post in posts:
        by_position[post.position].append(post)
    order = [p for p in prompt.positions if p != own_position]
    if own_position in prompt.positions:
        order.append(own_position)
    order += [p for p in by_position if p not in order]
    groups = []
    for position in order:
        if by_position.get(position):
            label = position if position != own_position else _("%(position)s (your position)") % {"position": position}
            groups.append((label, by_position[position]))
    return groups


@login_required
def discussion(request, pk: int, prompt_pk: int):
    assignment = assignment_for_student(request.user, pk)
    if not assignment.discussion_on:
        raise Http404("Discussion is off for this assignment.")
    prompt = prompt_of_assignment(assignment, prompt_pk)
    own = Response.objects.filter(assignment=assignment, prompt=prompt, student=request.user).first()
    visible = services.discussion_visible(assignment=assignment, own_response=own)
    groups = []
    if visible:
        posts = list(
            _posts_with_replies(
                Response.objects.filter(
                    assignment=assignment, prompt=prompt, status__in=services.POSTED, hidden=False
                ).exclude(student=request.user),
                include_hidden=False,
            ).order_by("submitted_at", "pk")
        )
        groups = _grouped_by_position(prompt, posts, own.position if own else "")
    sections = {s.pk: s.heading for s in assignment.lesson.sections.all()} if visible else {}
    for _label, posts in groups:
        for post in posts:
            post.cited_names = [sections[s] for s in post.cited_sections if s in sections]
    return render(
        request,
        "learn/discussion.html",
        {
            "assignment": assignment,
            "prompt": prompt,
            "own": own,
            "visible": visible,
            "groups": groups,
            "reply_form": ReplyForm(),
        },
    )


@login_required
@require_POST
def reply(request, pk: int, response_pk: int):
    assignment = assignment_for_student(request.user, pk)
    post = get_object_or_404(
        Response.objects.select_related("assignment__classroom"),
        pk=response_pk,
        assignment=assignment,
        status__in=services.POSTED,
        hidden=False,
    )
    back = reverse("coursework:discussion", args=[assignment.pk, post.prompt_id])
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(f"{back}#post-{post.pk}")
    try:
        services.post_reply(author=request.user, response=post, body=form.cleaned_data["body"])
    except services.CourseworkError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Reply posted."))
    return redirect(f"{back}#post-{post.pk}")


@login_required
def moderate(request, pk: int):
    """The teacher's view of every discussion on the assignment, hidden posts included."""
    assignment = assignment_for_teacher(request.user, pk)
    prompts = list(assignment.assigned_prompts())
    posts = _posts_with_replies(
        Response.objects.filter(assignment=assignment, status__in=services.POSTED), include_hidden=True
    ).order_by("submitted_at", "pk")
    by_prompt = defaultdict(list)
    for post in posts:
        by_prompt[post.prompt_id].append(post)
    threads = [(prompt, by_prompt.get(prompt.pk, [])) for prompt in prompts]
    return render(request, "coursework/moderate.html", {"assignment": assignment, "threads": threads})


def _hidden_flag(request) -> bool:
    return request.POST.get("hidden") == "1"


@login_required
@require_POST
def hide_post(request, pk: int):
    post = discussion_post_for_teacher(request.user, pk)
    services.set_post_hidden(teacher=request.user, response=post, hidden=_hidden_flag(request))
    messages.success(request, _("Post hidden from students.") if post.hidden else _("Post shown to students again."))
    return redirect(f"{reverse('coursework:moderate', args=[post.assignment_id])}#post-{post.pk}")


@login_required
@require_POST
def hide_reply(request, pk: int):
    item = reply_for_teacher(request.user, pk)
    services.set_reply_hidden(teacher=request.user, reply=item, hidden=_hidden_flag(request))
    messages.success(request, _("Reply hidden from students.") if item.hidden else _("Reply shown to students again."))
    return redirect(f"{reverse('coursework:moderate', args=[item.response.assignment_id])}#reply-{item.pk}")


# Teachers: assigning -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, pk: int):
    classroom = classroom_for_teacher(request.user, pk)
    form = AssignForm(request.POST if request.method == "POST" else None, classroom=classroom)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.assign_lessons(
                teacher=request.user, classroom=classroom, lessons=data["lessons"], **_assignment_settings(data)
            )
        except services.CourseworkError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Assigned %(n)s lesson(s) to %(class)s.") % {"n": len(created), "class": classroom.name}
            )
            return redirect(_class_page(classroom))
    return render(request, "coursework/assign.html", {"classroom": classroom, "form": form})


def _class_page(classroom: Classroom) -> str:
    try:
        return classroom.get_absolute_url()
    except NoReverseMatch:  # the class page belongs to the accounts area
        return reverse("teach:dashboard")


# What the assign and edit forms set on an assignment, passed to the services as they are.
ASSIGNMENT_SETTINGS = ("opens_at", "due_at", "prompts", "students", "discussion_on", "post_first", "late_policy")


def _assignment_settings(cleaned_data: dict) -> dict:
    return {name: cleaned_data[name] for name in ASSIGNMENT_SETTINGS}


def _edit_initial(assignment: Assignment) -> dict:
    initial = {name: getattr(assignment, name) for name in ASSIGNMENT_SETTINGS}
    initial["prompts"] = list(assignment.prompts.all())
    initial["students"] = list(assignment.students.all())
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def edit_assignment(request, pk: int):
    assignment = assignment_for_teacher(request.user, pk)
    form = AssignmentEditForm(
        request.POST if request.method == "POST" else None, assignment=assignment, initial=_edit_initial(assignment)
    )
    submitted = Response.objects.filter(assignment=assignment).exclude(status=Response.Status.DRAFT).count()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_assignment(
                teacher=request.user, assignment=assignment, confirmed=data["confirm"], **_assignment_settings(data)
            )
        except services.CourseworkError as error:
            form.add_error("confirm" if isinstance(error, services.NeedsConfirmation) else None, error.message)
        else:
            messages.success(request, _("Assignment updated."))
            return redirect(_class_page(assignment.classroom))
    return render(request, "coursework/edit.html", {"assignment": assignment, "form": form, "submitted": submitted})


@login_required
@require_http_methods(["GET", "POST"])
def delete_assignment(request, pk: int):
    assignment = assignment_for_teacher(request.user, pk)
    impact = services.deletion_impact(assignment)
    form = DeleteAssignmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_assignment(
                teacher=request.user, assignment=assignment, confirmed=form.cleaned_data["confirm"]
            )
        except services.CourseworkError as error:
            form.add_error("confirm", error.message)
        else:
            messages.success(request, _("Assignment deleted."))
            return redirect(_class_page(assignment.classroom))
    return render(request, "coursework/delete.html", {"assignment": assignment, "impact": impact, "form": form})
