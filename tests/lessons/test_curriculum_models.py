"""Rules the curriculum models hold: order, durations, positions, drafts."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lessons.models import Lesson, Prompt, Status
from tests import factories

pytestmark = pytest.mark.django_db


def test_two_lessons_cannot_share_an_order_in_a_unit(lesson):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.LessonFactory(unit=lesson.unit, order=lesson.order)


def test_two_sections_cannot_share_an_anchor_in_a_lesson(lesson):
    factories.SectionFactory(lesson=lesson, anchor="the-letter")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.SectionFactory(lesson=lesson, anchor="the-letter")


def test_the_same_anchor_is_fine_in_another_lesson(lesson):
    factories.SectionFactory(lesson=lesson, anchor="the-letter")
    factories.SectionFactory(anchor="the-letter")


def test_a_lesson_lasts_some_minutes(lesson):
    with pytest.raises(IntegrityError), transaction.atomic():
        Lesson.objects.filter(pk=lesson.pk).update(duration_minutes=0)


def test_a_plan_step_lasts_some_minutes(lesson):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.PlanStepFactory(lesson=lesson, minutes=0)


def test_a_position_prompt_needs_two_positions(lesson):
    prompt = Prompt(lesson=lesson, order=1, kind=Prompt.Kind.POSITION, text="Pick one", positions=["Yes"])
    with pytest.raises(ValidationError, match="at least two positions"):
        prompt.full_clean()


def test_an_open_prompt_has_no_positions(lesson):
    prompt = Prompt(lesson=lesson, order=1, kind=Prompt.Kind.OPEN, text="Explain", positions=["Yes", "No"])
    with pytest.raises(ValidationError, match="Only position prompts"):
        prompt.full_clean()


def test_lessons_and_prompts_start_as_drafts(lesson):
    assert Lesson(unit=lesson.unit, order=99, slug="x", title="x", summary="x").status == Status.DRAFT
    assert Prompt(lesson=lesson, order=1, text="x").status == Status.DRAFT


def test_drafts_are_visible_to_staff_only(staff, teacher, student):
    published = factories.LessonFactory()
    draft = factories.LessonFactory(status=Status.DRAFT)
    assert set(Lesson.objects.visible_to(staff)) == {published, draft}
    for user in (teacher, student):
        assert list(Lesson.objects.visible_to(user)) == [published]


def test_plan_lists_read_one_item_per_line():
    lesson = factories.LessonFactory(objectives="First\n\n  Second  \n")
    assert lesson.objective_list() == ["First", "Second"]
