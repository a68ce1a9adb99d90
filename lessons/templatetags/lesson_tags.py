"""Template helpers for the unit's pages: `{% load lesson_tags %}`."""

from django import template

from lessons.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown", is_safe=True)
def markdown_filter(text):
    """`{{ section.body|markdown }}`: Markdown rendered, then sanitised."""
    return render_markdown(text)
