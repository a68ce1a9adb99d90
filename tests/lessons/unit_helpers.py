"""Build lessons of any size for the page tests."""

from tests import factories


def full_lesson(*, size: int = 2, **kwargs):
    """A published lesson with `size` of each part: sections, terms, quotations, prompts, plan steps."""
    lesson = factories.LessonFactory(**kwargs)
    for _ in range(size):
        factories.SectionFactory(lesson=lesson)
        factories.KeyTermFactory(lesson=lesson)
        factories.QuotationFactory(lesson=lesson)
        factories.PromptFactory(lesson=lesson)
        factories.PlanStepFactory(lesson=lesson, minutes=45 // size if size else 45)
    return lesson
