"""Template helpers for feedback: `{% load review_tags %}`."""

from django import template

from lessons.models import RUBRIC

register = template.Library()


@register.filter
def rubric_rows(feedback) -> list[dict]:
    """Each criterion with its score and the description of that level (scored criteria only)."""
    if feedback is None:
        return []
    rows = []
    for key, label, levels in RUBRIC:
        score = getattr(feedback, key)
        if score is None:
            continue
        rows.append({"key": key, "label": label, "score": score, "of": len(levels), "description": levels[score - 1]})
    return rows
