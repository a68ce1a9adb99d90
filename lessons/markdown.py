"""Markdown for content that admins edit: rendered, then sanitised.

Admins are trusted but not infallible, and text may be pasted from anywhere, so
every rendering goes through nh3 with a short allow-list. Raw HTML in the
source is removed rather than shown as tags.
"""

import functools

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote",
    "code", "pre", "h3", "h4", "h5", "h6", "hr", "sup", "sub", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


@functools.lru_cache(maxsize=1024)
def render_markdown(text: str | None) -> SafeString:
    """Markdown to HTML that is safe to put in a page.

    A pure function of the text, so its results are kept (per process): the
    same sections are shown on every view, and building a parser for each was
    a tenth of a page's time. An edited text is a new key."""
    if not text:
        return mark_safe("")
    html = markdown_lib.markdown(text, extensions=["sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
