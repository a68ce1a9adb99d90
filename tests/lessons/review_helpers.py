"""Building blocks for the review tests: a class with an assignment and answers in every state."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from lessons.models import Response
from tests import factories

Status = Response.Status


@dataclass
class ReviewClass:
    teacher: object
    classroom: object
    assignment: object
    prompts: list
    sections: list
    students: list = field(default_factory=list)


def make_review_class(*, teacher=None, students: int = 3, prompts: int = 2, sections: int = 4) -> ReviewClass:
    teacher = teacher or factories.TeacherFactory()
    classroom = factories.ClassroomFactory(teacher=teacher)
    lesson = factories.LessonFactory()
    section_rows = [factories.SectionFactory(lesson=lesson) for _ in range(sections)]
    prompt_rows = [factories.PositionPromptFactory(lesson=lesson)] + [
        factories.PromptFactory(lesson=lesson) for _ in range(prompts - 1)
    ]
    assignment = factories.AssignmentFactory(classroom=classroom, lesson=lesson)
    built = ReviewClass(teacher, classroom, assignment, prompt_rows, section_rows)
    for _ in range(students):
        built.students.append(factories.EnrollmentFactory(classroom=classroom).student)
    return built


def submitted(
    *,
    assignment,
    prompt,
    student,
    body="Stalin wanted America tied down in Asia.",
    position="",
    late=False,
    cited=None,
    quote="",
    **extra,
) -> Response:
    """A submitted answer with its submitted version, as the submit service leaves it."""
    response = factories.ResponseFactory(
        assignment=assignment,
        prompt=prompt,
        student=student,
        body=body,
        position=position or (prompt.positions[0] if prompt.positions else ""),
        status=extra.pop("status", Status.SUBMITTED),
        submitted_at=timezone.now() - datetime.timedelta(hours=2),
        is_late=late,
        cited_sections=cited or [],
        quoted_sentence=quote,
        **extra,
    )
    factories.ResponseVersionFactory(response=response, created_at=timezone.now() - datetime.timedelta(hours=2))
    return response


def resubmit(response: Response, *, body: str, position: str | None = None) -> Response:
    """What the student's resubmission does: new text, SUBMITTED again, a new submitted version."""
    response.body = body
    if position is not None:
        response.position = position
    response.status = Status.SUBMITTED
    response.version += 1
    response.submitted_at = timezone.now()
    response.save()
    factories.ResponseVersionFactory(response=response)
    return response


def fill_class(review_class: ReviewClass) -> None:
    """Answers in every state for each student, plus reading, so each page draws everything."""
    states = [Status.SUBMITTED, Status.DRAFT, Status.RETURNED, Status.REVISING]
    for index, student in enumerate(review_class.students):
        for p_index, prompt in enumerate(review_class.prompts):
            status = states[(index + p_index) % len(states)]
            if status == Status.DRAFT:
                factories.ResponseFactory(
                    assignment=review_class.assignment, prompt=prompt, student=student, status=Status.DRAFT
                )
                continue
            response = submitted(
                assignment=review_class.assignment,
                prompt=prompt,
                student=student,
                status=status,
                late=index % 3 == 0,
                cited=[review_class.sections[0].pk],
                quote="It undoubtedly does.",
            )
            factories.FeedbackFactory(
                response=response, released_at=timezone.now() if status != Status.SUBMITTED else None
            )
        for section in review_class.sections[: index % (len(review_class.sections) + 1)]:
            factories.SectionReadFactory(assignment=review_class.assignment, student=student, section=section)
