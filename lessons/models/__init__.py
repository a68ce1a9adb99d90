"""The lessons app's models, split by what they describe: the curriculum
(what is taught) and the coursework (the work done on it)."""

from .coursework import (
    RUBRIC,
    RUBRIC_KEYS,
    RUBRIC_MAX_LEVEL,
    Assignment,
    CommentBankEntry,
    Feedback,
    Reply,
    Response,
    ResponseVersion,
    SectionRead,
)
from .curriculum import KeyTerm, Lesson, PlanStep, Prompt, Quotation, Section, Status, TimelineEvent, Unit

__all__ = [
    "RUBRIC",
    "RUBRIC_KEYS",
    "RUBRIC_MAX_LEVEL",
    "Assignment",
    "CommentBankEntry",
    "Feedback",
    "KeyTerm",
    "Lesson",
    "PlanStep",
    "Prompt",
    "Quotation",
    "Reply",
    "Response",
    "ResponseVersion",
    "Section",
    "SectionRead",
    "Status",
    "TimelineEvent",
    "Unit",
]
