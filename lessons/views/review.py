"""Teacher review: the progress grid, the review screen and the exports."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lessons import charts, exports, review_services
from lessons.access import assignment_for_teacher, classroom_for_teacher, response_for_teacher
from lessons.diff import has_changes, word_diff
from lessons.models import (
    RUBRIC,
    Assignment,
    CommentBankEntry,
    Feedback,
    Prompt,
    Response,
    ResponseVersion,
    Section,
    SectionRead,
)
from lessons.review_forms import CommentBankForm, FeedbackForm

Status = Response.Status

# What a cell of the grid says, and the CSS class that colours it (the text is always shown).
CELL_STATES = [
    ("not_started", gettext_lazy("Not started")),
    ("draft", gettext_lazy("Draft")),
    ("submitted", gettext_lazy("Submitted")),
    ("late", gettext_lazy("Late")),
    ("returned", gettext_lazy("Returned")),
    ("revising", gettext_lazy("Needs revision")),
]


def _feedback_of(response: Response) -> Feedback | None:
    try:
        return response.feedback
    except Feedback.DoesNotExist:
        return None


def cell_state(response: Response | None) -> str:
    if response is None:
        return "not_started"
    if response.status == Status.SUBMITTED:
        return "late" if response.is_late else "submitted"
    return {Status.DRAFT: "draft", Status.RETURNED: "returned", Status.REVISING: "revising"}[response.status]


@dataclass
class Cell:
    prompt: Prompt
    response: Response | None
    state: str
    label: str
    reviewed: bool  # draft feedback waiting to be returned
    url: str = ""  # the review screen of the answer
    aria: str = ""  # the link's accessible name


@dataclass
class Row:
    student: object
    cells: list[Cell]
    sections_read: int
    progress_label: str = ""
    sections_label: str = ""


def _students_in_order(assignment: Assignment) -> list:
    return exports.roster_for(assignment)


_URL_MARK = 987654321


def _filled(translated: str, **values) -> str:
    """What {% blocktranslate %} gives: the values escaped, the translated text as it is."""
    return mark_safe(translated % {key: conditional_escape(value) for key, value in values.items()})  # noqa: S308


@login_required
def progress(request, pk: int):
    assignment = assignment_for_teacher(request.user, pk)
    prompts = list(assignment.assigned_prompts())
    students = _students_in_order(assignment)
    responses = {
        (r.student_id, r.prompt_id): r
        # The grid shows statuses: the essays' text is not needed.
        for r in Response.objects.filter(assignment=assignment)
        .select_related("feedback")
        .defer("body", "quoted_sentence")
    }
    reads = dict(
        SectionRead.objects.filter(assignment=assignment, section__lesson_id=assignment.lesson_id)
        .values("student_id")
        .annotate(n=Count("section_id", distinct=True))
        .values_list("student_id", "n")
    )
    section_count = Section.objects.filter(lesson_id=assignment.lesson_id).count()
    # A 150-student grid has 450 cells: translate the labels and formats once per
    # request, and build each review URL from one reverse(), instead of a
    # {% blocktranslate %} and a {% url %} per cell (the HTML is the same).
    labels = {state: str(label) for state, label in CELL_STATES}
    cell_format = _("%(label)s: %(name)s, prompt %(n)s")
    progress_format = _("Reading progress of %(name)s")
    sections_format = _("%(read)s of %(total)s sections")
    url_head, url_tail = reverse("review:response", args=[_URL_MARK]).split(str(_URL_MARK))

    rows = []
    counts = {prompt.pk: {state: 0 for state, _label in CELL_STATES} for prompt in prompts}
    to_return = 0
    for student in students:
        name = student.name
        cells = []
        for prompt in prompts:
            response = responses.get((student.pk, prompt.pk))
            state = cell_state(response)
            feedback = _feedback_of(response) if response else None
            reviewed = bool(
                feedback
                and not feedback.is_released
                and state in {"submitted", "late"}
                and (feedback.comment or feedback.total is not None)
            )
            to_return += reviewed
            counts[prompt.pk][state] += 1
            cell = Cell(prompt, response, state, labels[state], reviewed)
            if response is not None:
                cell.url = f"{url_head}{response.pk}{url_tail}"
                cell.aria = _filled(cell_format, label=cell.label, name=name, n=len(cells) + 1)
            cells.append(cell)
        read = min(reads.get(student.pk, 0), section_count)
        rows.append(
            Row(
                student,
                cells,
                read,
                progress_label=_filled(progress_format, name=name),
                sections_label=_filled(sections_format, read=read, total=section_count),
            )
        )

    summaries = [
        {"prompt": prompt, "counts": [(state, labels[state], counts[prompt.pk][state]) for state, _l in CELL_STATES]}
        for prompt in prompts
    ]
    roster_ids = {s.pk for s in students}
    split_charts = [
        {
            "prompt": prompt,
            "chart": charts.position_split(
                prompt.positions,
                [
                    r.position
                    for (sid, pid), r in responses.items()
                    if pid == prompt.pk and sid in roster_ids and r.status != Status.DRAFT
                ],
            ),
        }
        for prompt in prompts
        if prompt.is_position
    ]
    context = {
        "assignment": assignment,
        "classroom": assignment.classroom,
        "prompts": prompts,
        "rows": rows,
        "summaries": summaries,
        "section_count": section_count,
        "to_return": to_return,
        "split_charts": split_charts,
        "flow": _first_to_final_flow(assignment, prompts, roster_ids),
        "states": CELL_STATES,
    }
    return render(request, "review/progress.html", context)


def _first_to_final_flow(assignment: Assignment, prompts: list[Prompt], roster_ids: set[int]) -> dict | None:
    """The first-take-to-final-argument chart, shown on the grid of either of the two lessons.

    Each student's latest submitted position for each of the two linked prompts in this class.
    """
    roles = {p.role for p in prompts} & {Prompt.Role.FIRST_TAKE, Prompt.Role.FINAL_ARGUMENT}
    if not roles:
        return None
    linked = (
        Response.objects.filter(
            assignment__classroom_id=assignment.classroom_id,
            prompt__role__in=[Prompt.Role.FIRST_TAKE, Prompt.Role.FINAL_ARGUMENT],
            student_id__in=roster_ids,
        )
        .exclude(status=Status.DRAFT)
        .select_related("prompt")
        .order_by("submitted_at", "pk")
    )
    first: dict[int, str] = {}
    final: dict[int, str] = {}
    positions: list[str] = []
    for response in linked:
        target = first if response.prompt.role == Prompt.Role.FIRST_TAKE else final
        target[response.student_id] = response.position  # later submissions overwrite earlier ones
        positions += [p for p in response.prompt.positions if p not in positions]
    for prompt in prompts:
        positions += [p for p in prompt.positions if p not in positions]
    return {"chart": charts.position_flow(positions, first, final), "has_both": bool(first) and bool(final)}


@login_required
@require_POST
def return_all(request, pk: int):
    assignment = assignment_for_teacher(request.user, pk)
    count = review_services.return_all_reviewed(teacher=request.user, assignment=assignment)
    if count:
        messages.success(request, _("Returned %(count)s reviewed answers to their students.") % {"count": count})
    else:
        messages.info(request, _("There were no reviewed answers waiting to be returned."))
    return redirect("review:progress", pk=assignment.pk)


def _review_sequence(response: Response) -> list[Response]:
    """The answers to the same prompt a teacher steps through, in roster order: not drafts."""
    return list(
        Response.objects.filter(assignment_id=response.assignment_id, prompt_id=response.prompt_id)
        .exclude(status=Status.DRAFT)
        .select_related("student")
        .only(
            "pk",
            "status",
            "is_late",
            "student__display_name",
            "student__username",
            "student__first_name",
            "student__last_name",
        )
        .order_by("student__display_name", "student__username", "pk")
    )


def _neighbours(sequence: list[Response], current: Response) -> tuple[Response | None, Response | None]:
    ids = [r.pk for r in sequence]
    if current.pk not in ids:
        return None, None
    index = ids.index(current.pk)
    previous = sequence[index - 1] if index > 0 else None
    following = sequence[index + 1] if index + 1 < len(sequence) else None
    return previous, following


def _revision_diff(response: Response) -> dict | None:
    """What changed between the last two submitted versions, if the answer was resubmitted."""
    latest_two = list(
        ResponseVersion.objects.filter(response=response, kind=ResponseVersion.Kind.SUBMITTED).order_by(
            "-created_at", "-pk"
        )[:2]
    )
    if len(latest_two) < 2:
        return None
    new, old = latest_two
    return {
        "old": old,
        "new": new,
        "body": word_diff(old.body, new.body),
        "body_changed": has_changes(old.body, new.body),
        "position_changed": old.position != new.position,
        "quote_changed": old.quoted_sentence != new.quoted_sentence,
        "quote": word_diff(old.quoted_sentence, new.quoted_sentence),
        "added_sections": [pk for pk in new.cited_sections or [] if pk not in (old.cited_sections or [])],
        "removed_sections": [pk for pk in old.cited_sections or [] if pk not in (new.cited_sections or [])],
    }


@login_required
def response_review(request, pk: int):
    response = response_for_teacher(request.user, pk)
    feedback = _feedback_of(response)
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        action = request.POST.get("action")
        if action not in FeedbackForm.ACTIONS:
            form.add_error(
                None, _("Choose what to do with the feedback: save a draft, return it, or ask for a revision.")
            )
        elif form.is_valid():
            result = _apply_feedback(request, response, form, action)
            if result is not None:
                return result
        status = 400
    else:
        form = FeedbackForm(initial=FeedbackForm.initial_for(feedback, response))
        status = 200
    return render(request, "review/response.html", _review_context(request, response, feedback, form), status=status)


def _apply_feedback(request, response: Response, form: FeedbackForm, action: str):
    service = {
        "draft": review_services.save_feedback,
        "return": review_services.return_feedback,
        "revision": review_services.request_revision,
    }[action]
    try:
        service(
            teacher=request.user,
            response=response,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data.get("version"),
        )
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None
    if form.cleaned_data.get("add_to_bank") and form.cleaned_data["comment"].strip():
        review_services.add_comment_to_bank(teacher=request.user, text=form.cleaned_data["comment"])
    name = response.student.name
    if action == "draft":
        messages.success(
            request, _("Draft feedback for %(name)s saved. The student cannot see it yet.") % {"name": name}
        )
        return redirect("review:response", pk=response.pk)
    if action == "return":
        messages.success(request, _("Feedback returned to %(name)s.") % {"name": name})
    else:
        messages.success(request, _("%(name)s has been asked to revise their answer.") % {"name": name})
    _previous, following = _neighbours(_review_sequence(response), response)
    if following is not None:
        return redirect("review:response", pk=following.pk)
    return redirect("review:progress", pk=response.assignment_id)


def _review_context(request, response: Response, feedback: Feedback | None, form: FeedbackForm) -> dict:
    lesson_sections = {
        s.pk: s for s in Section.objects.filter(lesson_id=response.assignment.lesson_id).order_by("order")
    }
    cited = [lesson_sections[pk] for pk in response.cited_sections or [] if pk in lesson_sections]
    sequence = _review_sequence(response)
    previous, following = _neighbours(sequence, response)
    revision = _revision_diff(response)
    if revision:
        revision["added_sections"] = [lesson_sections[pk] for pk in revision["added_sections"] if pk in lesson_sections]
        revision["removed_sections"] = [
            lesson_sections[pk] for pk in revision["removed_sections"] if pk in lesson_sections
        ]
    return {
        "response": response,
        "assignment": response.assignment,
        "prompt": response.prompt,
        "student": response.student,
        "feedback": feedback,
        "form": form,
        "rubric": RUBRIC,
        "cited_sections": cited,
        "sequence": sequence,
        "position_in_sequence": next((i for i, r in enumerate(sequence, 1) if r.pk == response.pk), None),
        "previous": previous,
        "next": following,
        "revision": revision,
        "can_review": response.status in review_services.REVIEWABLE,
        "comment_bank": CommentBankEntry.objects.filter(teacher=request.user),
        "bank_form": CommentBankForm(),
        "state": cell_state(response),
        "state_label": dict(CELL_STATES)[cell_state(response)],
    }


def _back(request, fallback: str) -> str:
    """The page the form came from, if it is a path on this site; otherwise `fallback`."""
    target = request.POST.get("next", "")
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback


@login_required
@require_POST
def comment_bank_add(request):
    if not request.user.is_teacher:
        raise Http404
    form = CommentBankForm(request.POST)
    if form.is_valid():
        review_services.add_comment_to_bank(teacher=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Comment added to your comment bank."))
    else:
        for error in form.errors.get("text", []):
            messages.error(request, error)
    return redirect(_back(request, reverse("teach:dashboard")))


@login_required
@require_POST
def comment_bank_delete(request, pk: int):
    entry = get_object_or_404(CommentBankEntry.objects.filter(teacher=request.user), pk=pk)
    review_services.delete_comment_from_bank(teacher=request.user, entry_id=entry.pk)
    messages.success(request, _("Comment removed from your comment bank."))
    return redirect(_back(request, reverse("teach:dashboard")))


def _csv_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def export_csv(request, pk: int):
    assignment = assignment_for_teacher(request.user, pk)
    rows = exports.assignment_rows(assignment, list(assignment.assigned_prompts()))
    name = exports.filename_for(assignment.classroom.name, assignment.lesson.slug)
    return _csv_response(exports.to_csv(rows), name)


@login_required
def gradebook(request, pk: int):
    classroom = classroom_for_teacher(request.user, pk, active_only=False)
    rows = exports.gradebook_rows(classroom)
    return _csv_response(exports.to_csv(rows), exports.filename_for(classroom.name, "gradebook"))
