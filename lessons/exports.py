"""CSV exports for teachers: one assignment's answers, and a class gradebook.

Cells are made safe against spreadsheet formula injection, and files start
with a UTF-8 byte-order mark so that spreadsheet programs read non-Latin
names correctly.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Classroom, Enrollment
from lessons.models import Assignment, Feedback, Prompt, Response, Section
from lessons.models.coursework import RUBRIC, RUBRIC_KEYS, RUBRIC_MAX_LEVEL

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> object:
    """A cell a spreadsheet will show as text, never run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def to_csv(rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def filename_for(*parts: str) -> str:
    """An ASCII file name; non-Latin class names fall back to a plain word."""
    slug = "-".join(filter(None, (slugify(p) for p in parts)))
    return f"{slug or 'export'}.csv"


def roster_for(assignment: Assignment) -> list:
    """The students an assignment is for: the chosen ones, or the whole class, by name."""
    chosen = Assignment.students.through.objects.filter(assignment_id=assignment.pk)
    chosen_me = chosen.filter(user_id=OuterRef("student_id"))
    enrollments = (
        Enrollment.objects.filter(classroom_id=assignment.classroom_id)
        .filter(~Exists(chosen) | Exists(chosen_me))
        .select_related("student")
        .order_by("student__display_name", "student__username")
    )
    return [e.student for e in enrollments]


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def assignment_rows(assignment: Assignment, prompts: list[Prompt]) -> list[list]:
    """One row per student and prompt, including work not started, so gaps are visible."""
    students = roster_for(assignment)
    responses = {
        (r.student_id, r.prompt_id): r
        for r in Response.objects.filter(assignment=assignment).select_related("feedback")
    }
    headings = dict(Section.objects.filter(lesson_id=assignment.lesson_id).values_list("pk", "heading"))
    criteria = [str(label) for _key, label, _levels in RUBRIC]
    header = [
        _("Student"),
        _("Username"),
        _("Prompt"),
        _("Status"),
        _("Position"),
        _("Answer"),
        _("Cited sections"),
        _("Quoted sentence"),
        _("Word count"),
        _("Submitted at"),
        _("Late"),
        *criteria,
        _("Total (out of %(max)s)") % {"max": RUBRIC_MAX_LEVEL * len(RUBRIC_KEYS)},
        _("Comment"),
        _("Feedback returned"),
    ]
    rows: list[list] = [header]
    for student in students:
        for prompt in prompts:
            response = responses.get((student.pk, prompt.pk))
            if response is None:
                rows.append([student.name, student.username, prompt.text, _("Not started")])
                continue
            feedback = _feedback_of(response)
            cited = [headings[pk] for pk in response.cited_sections or [] if pk in headings]
            rows.append(
                [
                    student.name,
                    student.username,
                    prompt.text,
                    response.get_status_display(),
                    response.position,
                    response.body,
                    "; ".join(cited),
                    response.quoted_sentence,
                    response.word_count,
                    _local(response.submitted_at),
                    response.is_late,
                    *[getattr(feedback, key) if feedback else None for key in RUBRIC_KEYS],
                    feedback.total if feedback else None,
                    feedback.comment if feedback else "",
                    feedback.is_released if feedback else False,
                ]
            )
    return rows


def _feedback_of(response: Response) -> Feedback | None:
    try:
        return response.feedback
    except Feedback.DoesNotExist:
        return None


def gradebook_rows(classroom: Classroom) -> list[list]:
    """One row per student, one column per assignment: the returned rubric total.

    Only returned feedback counts, so the gradebook never shows a draft grade.
    A student an assignment was not set for gets "n/a"; set but not graded is empty.
    """
    assignments = list(
        Assignment.objects.filter(classroom=classroom)
        .select_related("lesson")
        .prefetch_related("prompts")
        .order_by("lesson__order", "due_at", "pk")
    )
    published_counts: dict[int, int] = defaultdict(int)
    lesson_ids = {a.lesson_id for a in assignments}
    for lesson_id in Prompt.objects.published().filter(lesson_id__in=lesson_ids).values_list("lesson_id", flat=True):
        published_counts[lesson_id] += 1
    chosen: dict[int, set[int]] = defaultdict(set)
    for assignment_id, user_id in Assignment.students.through.objects.filter(
        assignment__classroom=classroom
    ).values_list("assignment_id", "user_id"):
        chosen[assignment_id].add(user_id)

    totals: dict[tuple[int, int], int] = defaultdict(int)
    graded: set[tuple[int, int]] = set()
    released = Feedback.objects.filter(
        response__assignment__classroom=classroom, released_at__isnull=False
    ).values_list("response__student_id", "response__assignment_id", *RUBRIC_KEYS)
    for student_id, assignment_id, *scores in released:
        key = (student_id, assignment_id)
        graded.add(key)
        totals[key] += sum(s for s in scores if s is not None)

    per_prompt = RUBRIC_MAX_LEVEL * len(RUBRIC_KEYS)
    header = [_("Student"), _("Username")]
    for assignment in assignments:
        prompt_count = len(assignment.prompts.all()) or published_counts[assignment.lesson_id]
        header.append(
            _("%(lesson)s (out of %(max)s)") % {"lesson": assignment.lesson.title, "max": per_prompt * prompt_count}
        )
    rows: list[list] = [header]
    enrollments = (
        Enrollment.objects.filter(classroom=classroom)
        .select_related("student")
        .order_by("student__display_name", "student__username")
    )
    for enrollment in enrollments:
        student = enrollment.student
        row = [student.name, student.username]
        for assignment in assignments:
            key = (student.pk, assignment.pk)
            if chosen[assignment.pk] and student.pk not in chosen[assignment.pk]:
                row.append(_("n/a"))
            elif key in graded:
                row.append(totals[key])
            else:
                row.append("")
        rows.append(row)
    return rows
