"""Writes a teacher makes when reviewing: feedback drafts, returning, revisions, the comment bank.

Every function is atomic and checks that the teacher teaches the class, so
a view can never write across classes even if it forgot to scope a lookup.
The status changes are guarded in the UPDATE itself (`WHERE status IN ...`),
so a student's submit racing a teacher's click cannot be silently overwritten.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from lessons.models import RUBRIC_KEYS, RUBRIC_MAX_LEVEL, Assignment, CommentBankEntry, Feedback, Response

Status = Response.Status
REVIEWABLE = {Status.SUBMITTED, Status.RETURNED}
COMMENT_MAX_LENGTH = 5000


def _lock_response(*, teacher: User, response: Response, expected_version: int | None) -> Response:
    """The response row, locked for this transaction, after checking who may touch it."""
    locked = (
        Response.objects.select_for_update(of=("self",))
        .filter(pk=response.pk, assignment__classroom__teacher=teacher)
        .first()
    )
    if locked is None:
        raise ValidationError(_("You can only review answers from your own classes."))
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(
            _("This answer has changed since you opened it. Reload the page to see the current version.")
        )
    return locked


def _clean_scores(scores: Mapping[str, int | None]) -> dict[str, int | None]:
    unknown = set(scores) - set(RUBRIC_KEYS)
    if unknown:
        raise ValidationError(_("Unknown rubric criteria: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    cleaned: dict[str, int | None] = {}
    for key in RUBRIC_KEYS:
        value = scores.get(key)
        if value is not None and (not isinstance(value, int) or not 1 <= value <= RUBRIC_MAX_LEVEL):
            raise ValidationError(_("Each score must be a level from 1 to %(max)s.") % {"max": RUBRIC_MAX_LEVEL})
        cleaned[key] = value
    return cleaned


def _write_feedback(
    *, teacher: User, response: Response, scores: Mapping[str, int | None], comment: str, released: bool
) -> Feedback:
    cleaned = _clean_scores(scores)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(_("The comment is too long (at most %(max)s characters).") % {"max": COMMENT_MAX_LENGTH})
    feedback = Feedback.objects.filter(response=response).first() or Feedback(response=response)
    for key, value in cleaned.items():
        setattr(feedback, key, value)
    feedback.comment = comment
    feedback.teacher = teacher
    feedback.released_at = timezone.now() if released else None
    feedback.full_clean()
    feedback.save()
    return feedback


def _set_status(*, response: Response, from_statuses: set[str], to: str) -> None:
    updated = Response.objects.filter(pk=response.pk, status__in=from_statuses).update(
        status=to, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("This answer changed while you were reviewing it. Reload the page."))
    response.refresh_from_db(fields=["status", "version", "updated_at"])


@transaction.atomic
def save_feedback(
    *,
    teacher: User,
    response: Response,
    scores: Mapping[str, int | None],
    comment: str,
    expected_version: int | None = None,
) -> Feedback:
    """Save feedback as a draft the student does not see.

    A returned answer goes back to "submitted": the student no longer sees the
    old feedback until the teacher returns it again.
    """
    locked = _lock_response(teacher=teacher, response=response, expected_version=expected_version)
    if locked.status not in REVIEWABLE:
        raise ValidationError(_review_refusal(locked))
    feedback = _write_feedback(teacher=teacher, response=locked, scores=scores, comment=comment, released=False)
    if locked.status == Status.RETURNED:
        _set_status(response=locked, from_statuses={Status.RETURNED}, to=Status.SUBMITTED)
    response.status, response.version = locked.status, locked.version
    return feedback


@transaction.atomic
def return_feedback(
    *,
    teacher: User,
    response: Response,
    scores: Mapping[str, int | None],
    comment: str,
    expected_version: int | None = None,
) -> Feedback:
    """Save the feedback and show it to the student: the answer becomes "returned"."""
    locked = _lock_response(teacher=teacher, response=response, expected_version=expected_version)
    if locked.status not in REVIEWABLE:
        raise ValidationError(_review_refusal(locked))
    if all(scores.get(key) is None for key in RUBRIC_KEYS) and not (comment or "").strip():
        raise ValidationError(_("Give at least one rubric score or a comment before returning the answer."))
    feedback = _write_feedback(teacher=teacher, response=locked, scores=scores, comment=comment, released=True)
    if locked.status != Status.RETURNED:
        _set_status(response=locked, from_statuses=REVIEWABLE, to=Status.RETURNED)
    response.status, response.version = locked.status, locked.version
    return feedback


@transaction.atomic
def request_revision(
    *,
    teacher: User,
    response: Response,
    scores: Mapping[str, int | None],
    comment: str,
    expected_version: int | None = None,
) -> Feedback:
    """Reopen the answer for the student, with the comment saying what to improve.

    The feedback is shown to the student at once, since it is what they revise
    from; their next submit makes the answer "submitted" again.
    """
    locked = _lock_response(teacher=teacher, response=response, expected_version=expected_version)
    if locked.status not in REVIEWABLE:
        raise ValidationError(_review_refusal(locked))
    if not (comment or "").strip():
        raise ValidationError(_("Say in the comment what the student should revise."))
    feedback = _write_feedback(teacher=teacher, response=locked, scores=scores, comment=comment, released=True)
    _set_status(response=locked, from_statuses=REVIEWABLE, to=Status.REVISING)
    response.status, response.version = locked.status, locked.version
    return feedback


def _review_refusal(response: Response) -> str:
    if response.status == Status.REVISING:
        return _("The student is revising this answer; you can review it again after they resubmit.")
    return _("This answer has not been submitted yet.")


def reviewed_unreturned(assignment: Assignment):
    """Submitted answers of the assignment with draft feedback that has a score or a comment."""
    has_content = Q(feedback__comment__gt="")
    for key in RUBRIC_KEYS:
        has_content |= Q(**{f"feedback__{key}__isnull": False})
    return Response.objects.filter(
        assignment=assignment, status=Status.SUBMITTED, feedback__isnull=False, feedback__released_at__isnull=True
    ).filter(has_content)


@transaction.atomic
def return_all_reviewed(*, teacher: User, assignment: Assignment) -> int:
    """Return every answer of the assignment that has draft feedback; how many were returned."""
    if assignment.classroom.teacher_id != teacher.pk:
        raise ValidationError(_("You can only return answers from your own classes."))
    ids = list(reviewed_unreturned(assignment).select_for_update(of=("self",)).values_list("pk", flat=True))
    if not ids:
        return 0
    now = timezone.now()
    returned = Response.objects.filter(pk__in=ids, status=Status.SUBMITTED).update(
        status=Status.RETURNED, version=F("version") + 1, updated_at=now
    )
    Feedback.objects.filter(response_id__in=ids).update(released_at=now, updated_at=now)
    return returned


@transaction.atomic
def add_comment_to_bank(*, teacher: User, text: str) -> CommentBankEntry:
    """Add a reusable comment to the teacher's own bank; the same text is kept once."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the comment you want to keep."))
    existing = CommentBankEntry.objects.filter(teacher=teacher, text=text).first()
    if existing:
        return existing
    entry = CommentBankEntry(teacher=teacher, text=text)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def delete_comment_from_bank(*, teacher: User, entry_id: int) -> None:
    deleted, _rows = CommentBankEntry.objects.filter(teacher=teacher, pk=entry_id).delete()
    if not deleted:
        raise ValidationError(_("That comment is not in your comment bank."))
