"""The lesson's reading, rendered once and kept in the cache for every student.

The reading (sections, primary sources, key terms) is the same for every student
of every class, and the assignment page is the most viewed page: rendering its
Markdown and fetching its rows on every view was most of the page's cost. It is
kept under a key made of the lesson and a *content version*, a token that every
write to the curriculum replaces (the admin, on every save, delete and action;
the loader, after loading). An edit therefore shows at once: the next view finds
no entry for the new version and renders the reading again from the database.

Nothing per student is cached here: read ticks, forms and answers stay in the page.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .markdown import render_markdown
from .models import KeyTerm, Quotation, Section

VERSION_KEY = "curriculum-version"
# A day: entries of an old version are never read again, and expire on their own.
READING_TIMEOUT = 24 * 60 * 60


def content_version() -> str:
    """The current content version (a new one when the cache lost it)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or ""
    return version


def _bump() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def content_changed() -> None:
    """Call after writing curriculum content: cached readings are no longer used.

    Bumped now (the writer's next page shows the change) and again when the
    transaction commits, so that a page rendered from the old rows between the
    two is not kept under the new version.
    """
    _bump()
    transaction.on_commit(_bump)


def reading(lesson_id: int) -> dict[str, Any]:
    """The lesson's reading: `sections` (dicts with pk, heading, anchor and the
    rendered body as `html`) and `extras` (the primary sources and key terms,
    rendered). From the cache; on a miss, three queries and the rendering."""
    key = f"reading:{lesson_id}:{get_language()}:{content_version()}"
    found = cache.get(key)
    if found is None:
        found = _build(lesson_id)
        cache.set(key, found, READING_TIMEOUT)
    return {
        "sections": [{**s, "html": mark_safe(s["html"])} for s in found["sections"]],  # noqa: S308 - nh3-sanitised
        "extras": mark_safe(found["extras"]),  # noqa: S308 - rendered by our own template, autoescaped
    }


def _build(lesson_id: int) -> dict[str, Any]:
    sections = [
        {"pk": s.pk, "heading": s.heading, "anchor": s.anchor, "html": str(render_markdown(s.body))}
        for s in Section.objects.filter(lesson_id=lesson_id).order_by("order", "pk")
    ]
    extras = render_to_string(
        "learn/includes/reading_extras.html",
        {
            "quotations": list(Quotation.objects.filter(lesson_id=lesson_id).order_by("order", "pk")),
            "key_terms": list(KeyTerm.objects.filter(lesson_id=lesson_id).order_by("order", "term", "pk")),
        },
    )
    return {"sections": sections, "extras": str(extras)}
