"""Builders shared by the coursework tests: a lesson with reading and
questions, assigned to a class."""

import datetime

from django.utils import timezone

from lessons.services import Answer
from tests import factories as f


def make_lesson(*, sections: int = 3, prompts: int = 2, position: bool = True, **kwargs):
    lesson = f.LessonFactory(**kwargs)
    for _ in range(sections):
        f.SectionFactory(lesson=lesson)
    f.KeyTermFactory(lesson=lesson)
    if position:
        f.PositionPromptFactory(lesson=lesson)
    for _ in range(prompts - (1 if position else 0)):
        f.PromptFactory(lesson=lesson)
    return lesson


def make_assignment(classroom, *, lesson=None, students=(), **kwargs):
    lesson = lesson or make_lesson()
    assignment = f.AssignmentFactory(classroom=classroom, lesson=lesson, **kwargs)
    if students:
        assignment.students.set(students)
    return assignment


def first_prompt(assignment):
    return assignment.assigned_prompts()[0]


def open_prompt(assignment):
    return next(p for p in assignment.assigned_prompts() if not p.is_position)


def answer(body: str = "Stalin wanted the Americans busy in Asia.", position: str = "Partly", cited=()) -> Answer:
    return Answer(position=position, body=body, cited_sections=list(cited))


def past(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


def future(**delta) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(**delta)
