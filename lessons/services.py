"""Every write to coursework: drafts, submissions, history, reading, discussion and assignments.

Views call these functions and nothing else writes coursework rows. Each one is
atomic and checks its own rules, so that a view, a test or a management command
all get the same behaviour.

No work is ever lost:
- a draft save names the version it started from, and the `UPDATE ... WHERE
  version = n` refuses it when another tab has saved since (StaleVersion, 409);
- before a save overwrites text, the old text is kept as a snapshot when the
  last snapshot is a few minutes old, when much of the text is being removed,
  or when the student resolves a conflict or restores an older version;
- submitting keeps a submitted copy, and submitting twice makes one submission.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Classroom, Enrollment, User

from .models import (
    Assignment,
    Feedback,
    Lesson,
    Prompt,
    Reply,
    Response,
    ResponseVersion,
    Section,
    SectionRead,
    Status,
)

SNAPSHOT_INTERVAL = datetime.timedelta(minutes=3)
# Removing this many words (or half the text) at once keeps the old text first.
BIG_CUT_WORDS = 20
MAX_BODY_CHARS = 20_000
MAX_QUOTE_CHARS = 1_000
MAX_REPLY_CHARS = 500
# The largest id a BigAutoField holds: SQLite cannot compare a column with more.
MAX_ID = 2**63 - 1
EDITABLE = (Response.Status.DRAFT, Response.Status.REVISING)
POSTED = (Response.Status.SUBMITTED, Response.Status.RETURNED)


class CourseworkError(Exception):
    """A rule stopped the write; `message` says why, in words for the person who tried."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotOpen(CourseworkError):
    pass


class NotEditable(CourseworkError):
    def __init__(self, message: str, response: Response):
        super().__init__(message)
        self.response = response


class StaleVersion(CourseworkError):
    """Another tab or device saved since this one loaded: `current` is what is stored."""

    def __init__(self, current: Response):
        super().__init__(
            _("This answer was changed in another tab or on another device. Choose which version to keep.")
        )
        self.current = current


class SubmissionClosed(CourseworkError):
    pass


class IncompleteAnswer(CourseworkError):
    pass


class NeedsConfirmation(CourseworkError):
    pass


@dataclass(frozen=True)
class Answer:
    """What a student writes for one prompt."""

    position: str = ""
    body: str = ""
    cited_sections: list[int] = field(default_factory=list)
    quoted_sentence: str = ""

    @classmethod
    def of(cls, obj: Response | ResponseVersion) -> Answer:
        return cls(
            position=obj.position,
            body=obj.body,
            cited_sections=list(obj.cited_sections or []),
            quoted_sentence=obj.quoted_sentence,
        )

    @property
    def is_empty(self) -> bool:
        return not (self.body.strip() or self.position or self.cited_sections or self.quoted_sentence.strip())

    @property
    def word_count(self) -> int:
        return len(self.body.split())

    def as_fields(self) -> dict:
        return {
            "position": self.position,
            "body": self.body,
            "cited_sections": list(self.cited_sections),
            "quoted_sentence": self.quoted_sentence,
        }


@dataclass(frozen=True)
class SubmitOutcome:
    response: Response
    newly_submitted: bool


def _when(value: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "j M Y, H:i T")


def _normalise_text(text: str | None) -> str:
    # Browsers post CRLF from a form and LF from a script; store one form so
    # that comparing a retry with what is stored works. NUL never belongs in text
    # (PostgreSQL refuses it), so a pasted one is dropped.
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def _check_prompt(assignment: Assignment, prompt: Prompt) -> None:
    if not any(p.pk == prompt.pk for p in assignment.assigned_prompts()):
        raise CourseworkError(_("That question is not part of this assignment."))


def clean_answer(
    *,
    assignment: Assignment,
    prompt: Prompt,
    answer: Answer,
    drop_unknown: bool = False,
    lesson_sections: set[int] | None = None,
) -> Answer:
    """The answer with its text normalised, or CourseworkError saying what is wrong.

    `lesson_sections`: the ids of the lesson's sections when the caller has
    them already (the plain form loads them for its choices); otherwise only
    the cited ids are looked up.
    """
    body = _normalise_text(answer.body)
    quote = _normalise_text(answer.quoted_sentence).strip()
    position = (answer.position or "").strip()
    if len(body) > MAX_BODY_CHARS:
        raise CourseworkError(_("Your answer is too long: at most %(n)s characters.") % {"n": MAX_BODY_CHARS})
    if len(quote) > MAX_QUOTE_CHARS:
        raise CourseworkError(_("The quoted sentence is too long: at most %(n)s characters.") % {"n": MAX_QUOTE_CHARS})
    if prompt.is_position:
        if position and position not in prompt.positions:
            raise CourseworkError(_("Choose one of the positions offered."))
    else:
        position = ""
    wanted: list[int] = []
    for raw in answer.cited_sections or []:
        try:
            section_id = int(raw)
        except (TypeError, ValueError):
            raise CourseworkError(_("Cite sections of this lesson's reading only."))
        if section_id not in wanted:
            wanted.append(section_id)
    if not wanted:
        return Answer(position=position, body=body, cited_sections=[], quoted_sentence=quote)
    if lesson_sections is None:
        # Only the cited ids, and no query at all when nothing is cited.
        in_range = [pk for pk in wanted if 0 < pk <= MAX_ID]
        lesson_sections = set(
            Section.objects.filter(lesson_id=assignment.lesson_id, pk__in=in_range)
            .order_by()
            .values_list("pk", flat=True)
        )
    cited = [pk for pk in wanted if pk in lesson_sections]
    if len(cited) != len(wanted) and not drop_unknown:
        raise CourseworkError(_("Cite sections of this lesson's reading only."))
    return Answer(position=position, body=body, cited_sections=cited, quoted_sentence=quote)


def _same_content(response: Response, answer: Answer) -> bool:
    return Answer.of(response) == answer


def _locked_row(*, student: User, assignment: Assignment, prompt: Prompt) -> Response | None:
    return (
        Response.objects.select_for_update(of=("self",))
        .filter(assignment=assignment, prompt=prompt, student=student)
        .order_by("pk")
        .first()
    )


def _create_row(*, student: User, assignment: Assignment, prompt: Prompt, answer: Answer) -> Response | None:
    """Insert the first version, or None when another request inserted it first."""
    try:
        with transaction.atomic():
            return Response.objects.create(
                assignment=assignment, prompt=prompt, student=student, version=1, **answer.as_fields()
            )
    except IntegrityError:
        return None


def _snapshot_key(response: Response) -> str:
    # The row's creation time too, so that a reused id (a restored database) never reads another's entry.
    return f"snapshot-at:{response.pk}:{int(response.created_at.timestamp())}"


def _remember_version_time(response: Response, created_at: datetime.datetime) -> None:
    """Note in the cache that `response` has a version made at `created_at`, once
    the transaction that made it has committed (a rolled-back snapshot is not
    remembered). The entry lives as long as it can say "no snapshot is due"."""
    key, value = _snapshot_key(response), created_at.timestamp()
    timeout = int(SNAPSHOT_INTERVAL.total_seconds())
    transaction.on_commit(lambda: cache.set(key, value, timeout))


def _keep_snapshot(response: Response, *, now: datetime.datetime) -> ResponseVersion | None:
    stored = Answer.of(response)
    if stored.is_empty:
        return None
    last = response.versions.order_by("-created_at", "-pk").first()
    if last is not None and Answer.of(last) == stored:
        _remember_version_time(response, last.created_at)
        return None
    _remember_version_time(response, now)
    return ResponseVersion.objects.create(
        response=response,
        kind=ResponseVersion.Kind.SNAPSHOT,
        version=response.version,
        created_at=now,
        **stored.as_fields(),
    )


def _snapshot_due(response: Response, new: Answer, *, now: datetime.datetime) -> bool:
    old_words = len(response.body.split())
    removed = old_words - new.word_count
    if removed >= BIG_CUT_WORDS or (old_words >= 4 and new.word_count < old_words / 2):
        return True
    # The cache holds the time of a version that exists (versions are never
    # deleted on their own), so the newest one is at least as recent: when that
    # time is recent enough, no query is needed. Without the entry the database decides.
    remembered = cache.get(_snapshot_key(response))
    if (
        remembered is not None
        and now - datetime.datetime.fromtimestamp(remembered, tz=datetime.UTC) < SNAPSHOT_INTERVAL
    ):
        return False
    last = response.versions.order_by("-created_at", "-pk").values_list("created_at", flat=True).first()
    if last is not None:
        _remember_version_time(response, last)
    return last is None or now - last >= SNAPSHOT_INTERVAL


def save_draft(
    *,
    student: User,
    assignment: Assignment,
    prompt: Prompt,
    answer: Answer,
    base_version: int,
    keep_previous: bool = False,
    now: datetime.datetime | None = None,
    lesson_sections: set[int] | None = None,
) -> Response:
    """Store the student's draft if nobody saved since `base_version` (0 = no answer yet).

    Saving the same content twice is harmless (a retried request): the stored
    response is returned. `keep_previous` snapshots the stored text whatever
    its age (used when a conflict is resolved or an old version restored).
    `lesson_sections`: see clean_answer.
    """
    now = now or timezone.now()
    if now < assignment.opens_at:
        raise NotOpen(_("This assignment opens on %(when)s.") % {"when": _when(assignment.opens_at)})
    _check_prompt(assignment, prompt)
    answer = clean_answer(assignment=assignment, prompt=prompt, answer=answer, lesson_sections=lesson_sections)
    with transaction.atomic():
        response = _locked_row(student=student, assignment=assignment, prompt=prompt)
        if response is None:
            created = _create_row(student=student, assignment=assignment, prompt=prompt, answer=answer)
            if created is not None:
                return created
            response = _locked_row(student=student, assignment=assignment, prompt=prompt)
        if _same_content(response, answer) and response.is_editable:
            return response
        if not response.is_editable:
            raise NotEditable(_("This answer has been submitted and can no longer be changed."), response)
        if response.version != base_version:
            raise StaleVersion(response)
        if keep_previous or _snapshot_due(response, answer, now=now):
            _keep_snapshot(response, now=now)
        updated = Response.objects.filter(pk=response.pk, version=base_version, status__in=EDITABLE).update(
            version=F("version") + 1, updated_at=now, **answer.as_fields()
        )
        if updated != 1:
            response.refresh_from_db()
            raise StaleVersion(response)
        for name, value in answer.as_fields().items():
            setattr(response, name, value)
        response.version = base_version + 1
        response.updated_at = now
        return response


# The autosave's quick path ----------------------------------------------------
#
# Autosave is most of a school's load. Once a draft has been saved through
# save_draft and its last version is known to be recent, the next saves of the
# same answer need no row lock, no snapshot and no access query of their own:
# one guarded UPDATE is both the access check and the write. Anything it cannot
# vouch for falls back to save_draft, which decides (and answers 404, 409 or 400).


@dataclass(frozen=True)
class QuickSave:
    version: int
    updated_at: datetime.datetime


def _draft_key(assignment_id: int, prompt_id: int, student_id: int) -> str:
    return f"draft:{assignment_id}:{prompt_id}:{student_id}"


def remember_draft(*, response: Response, assignment: Assignment, prompt: Prompt) -> None:
    """After save_draft has committed: note what the quick path needs to check the
    next save of this answer without reading the database. Nothing is noted while
    no recent version is known (a snapshot may be due)."""
    from . import content_cache

    snapshot_at = cache.get(_snapshot_key(response))
    if snapshot_at is None or not response.is_editable:
        return
    version = content_cache.content_version()
    sections = [s["pk"] for s in content_cache.reading(assignment.lesson_id)["sections"]]
    entry = {
        "version": response.version,  # the entry describes this version of the answer and no other
        "words": response.word_count,
        "snapshot_at": snapshot_at,  # the time of a version that exists
        "lesson": assignment.lesson_id,
        "sections": sections,
        "positions": list(prompt.positions) if prompt.is_position else None,
        "content": version,  # the curriculum as it was; an edit makes the entry unusable
    }
    cache.set(
        _draft_key(response.assignment_id, response.prompt_id, response.student_id),
        entry,
        int(SNAPSHOT_INTERVAL.total_seconds()),
    )


def quick_save_draft(
    *,
    student: User,
    assignment_id: int,
    prompt_id: int,
    answer: Answer,
    base_version: int,
    now: datetime.datetime | None = None,
) -> QuickSave | None:
    """Save the draft with one guarded UPDATE, or None when save_draft must decide.

    The UPDATE only matches the student's own editable answer at `base_version`,
    on an assignment of one of their active classes that is meant for them and
    open, for a prompt the assignment asks, of the lesson whose sections and
    positions were checked here; any other case (a first save, another tab, a
    submitted answer, lost access, a snapshot due, invalid input, an edited
    curriculum) updates nothing or is not tried.
    """
    from . import content_cache

    key = _draft_key(assignment_id, prompt_id, student.pk)
    found = cache.get_many([key, content_cache.VERSION_KEY])
    entry = found.get(key)
    if entry is None or entry["version"] != base_version or entry["content"] != found.get(content_cache.VERSION_KEY):
        return None
    now = now or timezone.now()
    if now - datetime.datetime.fromtimestamp(entry["snapshot_at"], tz=datetime.UTC) >= SNAPSHOT_INTERVAL:
        return None
    body = _normalise_text(answer.body)
    quote = _normalise_text(answer.quoted_sentence).strip()
    position = (answer.position or "").strip()
    if len(body) > MAX_BODY_CHARS or len(quote) > MAX_QUOTE_CHARS:
        return None
    if entry["positions"] is None:
        position = ""
    elif position and position not in entry["positions"]:
        return None
    cited: list[int] = []
    for raw in answer.cited_sections or []:
        if type(raw) is not int or raw not in entry["sections"]:
            return None
        if raw not in cited:
            cited.append(raw)
    old_words, new_words = entry["words"], len(body.split())
    if old_words - new_words >= BIG_CUT_WORDS or (old_words >= 4 and new_words < old_words / 2):
        return None
    fields = {
        "position": position,
        "body": body,
        "cited_sections": cited,
        "quoted_sentence": quote,
        "updated_at": now,
    }
    conditions = {
        "assignment_id": assignment_id,
        "prompt_id": prompt_id,
        "student_id": student.pk,
        "version": base_version,
        "lesson_id": entry["lesson"],
        "now": now,
    }
    updated = _quick_update(fields, conditions)
    if updated != 1:
        return None
    entry.update(version=base_version + 1, words=new_words)
    cache.set(key, entry, int(SNAPSHOT_INTERVAL.total_seconds()))
    return QuickSave(version=base_version + 1, updated_at=now)


QUICK_FIELDS = ("position", "body", "cited_sections", "quoted_sentence", "updated_at")


@functools.cache
def _quick_update_sql(vendor: str) -> str:
    """The quick path's one statement, written out: building it with the ORM (five
    subqueries) cost more CPU than the rest of the request. The conditions are
    those of Assignment.objects.for_student, Assignment.assigned_prompts and
    save_draft's own guard; tests/lessons/test_query_budgets.py checks each one.
    Identifiers come from the models; every value is a parameter."""
    q = connection.ops.quote_name
    response = Response._meta
    chosen_students = q(Assignment.students.through._meta.db_table)
    chosen_prompts = q(Assignment.prompts.through._meta.db_table)
    columns = ", ".join(f"{q(response.get_field(name).column)} = %s" for name in QUICK_FIELDS)
    return (
        f"UPDATE {q(response.db_table)} SET {columns}, {q('version')} = {q('version')} + 1"  # noqa: S608
        f" WHERE {q('assignment_id')} = %s AND {q('prompt_id')} = %s AND {q('student_id')} = %s"
        f" AND {q('version')} = %s AND {q('status')} IN (%s, %s)"
        # The student's active class, and the assignment meant for them and open.
        f" AND EXISTS (SELECT 1 FROM {q(Assignment._meta.db_table)} a"
        f" INNER JOIN {q(Classroom._meta.db_table)} c ON c.id = a.classroom_id"
        f" WHERE a.id = %s AND a.lesson_id = %s AND a.opens_at <= %s AND c.archived_at IS NULL"
        f" AND EXISTS (SELECT 1 FROM {q(Enrollment._meta.db_table)} e"
        f" WHERE e.classroom_id = a.classroom_id AND e.student_id = %s)"
        f" AND (NOT EXISTS (SELECT 1 FROM {chosen_students} s WHERE s.assignment_id = a.id)"
        f" OR EXISTS (SELECT 1 FROM {chosen_students} s WHERE s.assignment_id = a.id AND s.user_id = %s)))"
        # A prompt the assignment asks: chosen, or (none chosen) a published prompt of the lesson.
        f" AND (EXISTS (SELECT 1 FROM {chosen_prompts} ap WHERE ap.assignment_id = %s AND ap.prompt_id = %s)"
        f" OR (NOT EXISTS (SELECT 1 FROM {chosen_prompts} ap WHERE ap.assignment_id = %s)"
        f" AND EXISTS (SELECT 1 FROM {q(Prompt._meta.db_table)} p"
        f" WHERE p.id = %s AND p.lesson_id = %s AND p.status = %s)))"
    )


def _quick_update(fields: dict, where: dict) -> int:
    """Run the quick path's UPDATE; the number of rows it changed (0 or 1)."""
    sql = _quick_update_sql(connection.vendor)
    field = {name: Response._meta.get_field(name) for name in QUICK_FIELDS}
    now = Assignment._meta.get_field("opens_at").get_db_prep_value(where["now"], connection)
    params = [field[name].get_db_prep_value(fields[name], connection) for name in QUICK_FIELDS]
    params += [where["assignment_id"], where["prompt_id"], where["student_id"], where["version"], *EDITABLE]
    params += [where["assignment_id"], where["lesson_id"], now, where["student_id"], where["student_id"]]
    params += [where["assignment_id"], where["prompt_id"], where["assignment_id"]]
    params += [where["prompt_id"], where["lesson_id"], Status.PUBLISHED]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def submit_response(
    *,
    student: User,
    assignment: Assignment,
    prompt: Prompt,
    answer: Answer | None,
    base_version: int,
    now: datetime.datetime | None = None,
    lesson_sections: set[int] | None = None,
) -> SubmitOutcome:
    """Submit the answer (saving `answer` with it, if given). Idempotent: a double
    click or a resent form returns the one submission already made.

    The save and the submission are one transaction on one locked row, so a
    hand-in is either whole or not made at all. When the submission is refused
    (closed at its due time, not open yet, incomplete), the answer is still
    saved as the draft and the error says so.
    """
    now = now or timezone.now()
    _check_prompt(assignment, prompt)
    if answer is not None:
        if now < assignment.opens_at:
            raise NotOpen(_("This assignment opens on %(when)s.") % {"when": _when(assignment.opens_at)})
        answer = clean_answer(assignment=assignment, prompt=prompt, answer=answer, lesson_sections=lesson_sections)
    with transaction.atomic():
        response = _locked_row(student=student, assignment=assignment, prompt=prompt)
        stored_version = response.version if response is not None else 0
        changed = False
        if answer is not None:
            if response is None:
                response = _create_row(student=student, assignment=assignment, prompt=prompt, answer=answer)
                if response is None:  # another request inserted it first: use the row it made
                    response = _locked_row(student=student, assignment=assignment, prompt=prompt)
                    changed = response.is_editable and not _same_content(response, answer)
                stored_version = response.version
            else:
                changed = response.is_editable and not _same_content(response, answer)
            if changed:
                if response.version != base_version:
                    raise StaleVersion(response)
                if _snapshot_due(response, answer, now=now):
                    _keep_snapshot(response, now=now)
                for name, value in answer.as_fields().items():
                    setattr(response, name, value)
        if response is None:
            raise IncompleteAnswer(_("Write your answer before you submit it."))
        if response.is_submitted:
            return SubmitOutcome(response, newly_submitted=False)
        refusal = _submission_refusal(assignment=assignment, prompt=prompt, response=response, now=now)
        saved = answer.as_fields() if changed else {}
        # A save and a submission are two writes: the version moves by one for each,
        # as it did when they were made one after the other.
        steps = int(changed) + (refusal is None)
        fields = {"version": F("version") + steps, "updated_at": now, **saved}
        if refusal is None:
            revising = response.status == Response.Status.REVISING
            is_late = response.is_late if revising else assignment.is_past_due(now)
            fields.update(status=Response.Status.SUBMITTED, submitted_at=now, is_late=is_late)
        if steps:
            updated = Response.objects.filter(pk=response.pk, version=stored_version, status__in=EDITABLE).update(
                **fields
            )
            if updated != 1:  # cannot happen under the row lock; refuse rather than guess
                response.refresh_from_db()
                raise StaleVersion(response)
            response.version = stored_version + steps
            response.updated_at = now
        if refusal is None:
            response.status = Response.Status.SUBMITTED
            response.submitted_at = now
            response.is_late = fields["is_late"]
            ResponseVersion.objects.create(
                response=response,
                kind=ResponseVersion.Kind.SUBMITTED,
                version=response.version,
                created_at=now,
                **Answer.of(response).as_fields(),
            )
            _remember_version_time(response, now)
            return SubmitOutcome(response, newly_submitted=True)
    # Refused: the answer, if it changed, is saved (committed above); say why.
    raise refusal


def _submission_refusal(
    *, assignment: Assignment, prompt: Prompt, response: Response, now: datetime.datetime
) -> CourseworkError | None:
    """Why this answer (as it is about to be stored) cannot be submitted now, or None."""
    revising = response.status == Response.Status.REVISING
    if not revising and not assignment.is_open(now):
        if now < assignment.opens_at:
            return NotOpen(_("This assignment opens on %(when)s.") % {"when": _when(assignment.opens_at)})
        return SubmissionClosed(
            _(
                "This assignment closed at its due time (%(when)s) and your teacher is not accepting late work. "
                "Your draft is saved."
            )
            % {"when": _when(assignment.due_at)}
        )
    if not response.body.strip():
        return IncompleteAnswer(_("Write your answer before you submit it. Your draft is saved."))
    if prompt.is_position and not response.position:
        return IncompleteAnswer(_("Choose a position before you submit. Your draft is saved."))
    return None


def restore_version(*, student: User, response: Response, version: ResponseVersion, base_version: int) -> Response:
    """Put an earlier version back as the draft; what was there is kept as a snapshot first."""
    if response.student_id != student.pk or version.response_id != response.pk:
        raise CourseworkError(_("That version is not part of your answer."))
    answer = Answer.of(version)
    answer = clean_answer(assignment=response.assignment, prompt=response.prompt, answer=answer, drop_unknown=True)
    return save_draft(
        student=student,
        assignment=response.assignment,
        prompt=response.prompt,
        answer=answer,
        base_version=base_version,
        keep_previous=True,
    )


def mark_section_read(*, student: User, assignment: Assignment, section: Section) -> bool:
    """Record that the student reached a section; True the first time."""
    if section.lesson_id != assignment.lesson_id:
        raise CourseworkError(_("That section is not part of this lesson."))
    _read, created = SectionRead.objects.get_or_create(assignment=assignment, student=student, section=section)
    return created


def discussion_visible(*, assignment: Assignment, own_response: Response | None) -> bool:
    """A student sees classmates' answers when discussion is on and, if the
    teacher asked for it, once they have posted their own."""
    if not assignment.discussion_on:
        return False
    if not assignment.post_first:
        return True
    return own_response is not None and own_response.status in (*POSTED, Response.Status.REVISING)


def post_reply(*, author: User, response: Response, body: str) -> Reply:
    """A brief reply to a classmate's posted answer, by a student who may see
    the discussion or by the class's teacher."""
    body = _normalise_text(body).strip()
    if not body:
        raise CourseworkError(_("Write a reply first."))
    if len(body) > MAX_REPLY_CHARS:
        raise CourseworkError(_("Keep replies brief: at most %(n)s characters.") % {"n": MAX_REPLY_CHARS})
    assignment = response.assignment
    if response.status not in POSTED or response.hidden:
        raise CourseworkError(_("That answer is not open for replies."))
    if assignment.classroom.teacher_id != author.pk:
        if not Assignment.objects.for_student(author).filter(pk=assignment.pk).exists():
            raise CourseworkError(_("That answer is not open for replies."))
        own = Response.objects.filter(assignment=assignment, prompt_id=response.prompt_id, student=author).first()
        if not discussion_visible(assignment=assignment, own_response=own):
            raise CourseworkError(_("Post your own answer before you reply to classmates."))
    reply = Reply(response=response, author=author, body=body)
    reply.full_clean()
    reply.save()
    return reply


def set_post_hidden(*, teacher: User, response: Response, hidden: bool) -> None:
    if response.assignment.classroom.teacher_id != teacher.pk:
        raise CourseworkError(_("Only the class's teacher can hide posts."))
    Response.objects.filter(pk=response.pk).update(hidden=hidden)
    response.hidden = hidden


def set_reply_hidden(*, teacher: User, reply: Reply, hidden: bool) -> None:
    if reply.response.assignment.classroom.teacher_id != teacher.pk:
        raise CourseworkError(_("Only the class's teacher can hide replies."))
    Reply.objects.filter(pk=reply.pk).update(hidden=hidden)
    reply.hidden = hidden


# Assignments ---------------------------------------------------------------


def _check_schedule(opens_at: datetime.datetime, due_at: datetime.datetime | None) -> None:
    if timezone.is_naive(opens_at) or (due_at is not None and timezone.is_naive(due_at)):
        raise CourseworkError(_("Dates need a time zone."))
    if due_at is not None and due_at <= opens_at:
        raise CourseworkError(_("The due time must be after the opening time."))


def _check_students(classroom: Classroom, students: Iterable[User]) -> list[User]:
    students = list(students)
    enrolled = set(
        Enrollment.objects.filter(classroom=classroom, student__in=students).values_list("student_id", flat=True)
    )
    if any(s.pk not in enrolled for s in students):
        raise CourseworkError(_("Choose students from this class only."))
    return students


def _prompts_for(lesson: Lesson, prompts: Iterable[Prompt]) -> list[Prompt]:
    """The chosen prompts of this lesson; empty when they are all of them (empty means all)."""
    chosen = [p for p in prompts if p.lesson_id == lesson.pk]
    published = set(lesson.prompts.published().values_list("pk", flat=True))
    if any(p.pk not in published for p in chosen):
        raise CourseworkError(_("Choose published questions of the lesson only."))
    if {p.pk for p in chosen} == published:
        return []
    return chosen


@transaction.atomic
def assign_lessons(
    *,
    teacher: User,
    classroom: Classroom,
    lessons: Iterable[Lesson],
    opens_at: datetime.datetime,
    due_at: datetime.datetime | None,
    prompts: Iterable[Prompt] = (),
    students: Iterable[User] = (),
    discussion_on: bool = True,
    post_first: bool = True,
    late_policy: str = Assignment.LatePolicy.ACCEPT,
) -> list[Assignment]:
    """One assignment per lesson for the class (or the chosen students)."""
    if classroom.teacher_id != teacher.pk or classroom.is_archived:
        raise CourseworkError(_("You can only assign lessons to your own active classes."))
    lessons = list(lessons)
    if not lessons:
        raise CourseworkError(_("Choose at least one lesson."))
    if any(not lesson.is_published for lesson in lessons):
        raise CourseworkError(_("Only published lessons can be assigned."))
    _check_schedule(opens_at, due_at)
    students = _check_students(classroom, students)
    prompts = list(prompts)
    stray = {p.pk for p in prompts} - {p.pk for p in prompts if p.lesson_id in {lesson.pk for lesson in lessons}}
    if stray:
        raise CourseworkError(_("Choose questions of the chosen lessons only."))
    created = []
    for lesson in lessons:
        assignment = Assignment(
            classroom=classroom,
            lesson=lesson,
            opens_at=opens_at,
            due_at=due_at,
            discussion_on=discussion_on,
            post_first=post_first,
            late_policy=late_policy,
        )
        assignment.full_clean()
        assignment.save()
        assignment.prompts.set(_prompts_for(lesson, prompts))
        assignment.forget_assigned_prompts()
        assignment.students.set(students)
        created.append(assignment)
    return created


def _affected_submissions(assignment: Assignment, prompts: list[Prompt], students: list[User]) -> int:
    """Posted answers that the new prompt/student choice would take off the assignment."""
    posted = Response.objects.filter(assignment=assignment).exclude(status=Response.Status.DRAFT)
    keep = Q()
    if prompts:
        keep &= Q(prompt__in=prompts)
    if students:
        keep &= Q(student__in=students)
    return posted.exclude(keep).count() if (prompts or students) else 0


@transaction.atomic
def update_assignment(
    *,
    teacher: User,
    assignment: Assignment,
    opens_at: datetime.datetime,
    due_at: datetime.datetime | None,
    prompts: Iterable[Prompt] = (),
    students: Iterable[User] = (),
    discussion_on: bool = True,
    post_first: bool = True,
    late_policy: str = Assignment.LatePolicy.ACCEPT,
    confirmed: bool = False,
) -> Assignment:
    """Change an assignment. Taking questions or students away from submitted
    work is refused unless `confirmed`: their answers would drop off the
    assignment's pages."""
    if assignment.classroom.teacher_id != teacher.pk:
        raise CourseworkError(_("You can only change your own assignments."))
    _check_schedule(opens_at, due_at)
    students = _check_students(assignment.classroom, students)
    prompts = _prompts_for(assignment.lesson, prompts)
    affected = _affected_submissions(assignment, prompts, students)
    if affected and not confirmed:
        raise NeedsConfirmation(
            _(
                "%(n)s submitted answer(s) belong to questions or students you removed; they would no longer "
                "appear on this assignment. Tick the confirmation to go ahead."
            )
            % {"n": affected}
        )
    assignment.opens_at = opens_at
    assignment.due_at = due_at
    assignment.discussion_on = discussion_on
    assignment.post_first = post_first
    assignment.late_policy = late_policy
    assignment.full_clean()
    assignment.save()
    assignment.prompts.set(prompts)
    assignment.forget_assigned_prompts()
    assignment.students.set(students)
    return assignment


@dataclass(frozen=True)
class DeletionImpact:
    answers: int
    submitted: int
    students: int
    feedback: int
    replies: int
    versions: int


def deletion_impact(assignment: Assignment) -> DeletionImpact:
    responses = Response.objects.filter(assignment=assignment)
    return DeletionImpact(
        answers=responses.count(),
        submitted=responses.exclude(status=Response.Status.DRAFT).count(),
        students=responses.values("student").distinct().count(),
        feedback=Feedback.objects.filter(response__assignment=assignment).count(),
        replies=Reply.objects.filter(response__assignment=assignment).count(),
        versions=ResponseVersion.objects.filter(response__assignment=assignment).count(),
    )


@transaction.atomic
def delete_assignment(*, teacher: User, assignment: Assignment, confirmed: bool = False) -> DeletionImpact:
    """Delete the assignment and all work on it; refused once students have
    submitted unless `confirmed`."""
    locked = Assignment.objects.select_for_update().filter(pk=assignment.pk, classroom__teacher=teacher).first()
    if locked is None:
        raise CourseworkError(_("You can only delete your own assignments."))
    impact = deletion_impact(locked)
    if impact.submitted and not confirmed:
        raise NeedsConfirmation(
            _("Students have submitted %(n)s answer(s). Tick the confirmation to delete them with the assignment.")
            % {"n": impact.submitted}
        )
    locked.delete()
    return impact
