"""The fixes the benchmark report proposes, applied for a measurement only.

    .venv/bin/python bench/run.py --with-proposed-fixes

runs gunicorn with `bench.proposed_fixes:application`: the app as it is, with
the changes below patched in at start-up, so that the report can give the
"after" figures next to the "before" ones. Nothing here is used in production:
each fix belongs in the file named in its docstring, where the lead applies it.
A fix whose target has changed shape is skipped, and the report says which.
"""

from __future__ import annotations

import functools
import logging
import tempfile
from pathlib import Path

from korea_lessons.wsgi import application  # noqa: F401  (the app, loaded and set up)

log = logging.getLogger("bench.proposed_fixes")
APPLIED: list[str] = []
SKIPPED: list[str] = []


def memoise_assigned_prompts() -> None:
    """lessons/models/coursework.py Assignment.assigned_prompts: compute the list once per
    instance, so the view's and the service's prompt checks share it (-2 queries per save)."""
    from lessons.models import Assignment

    original = Assignment.assigned_prompts

    def assigned_prompts(self):
        if "_assigned_prompts" not in self.__dict__:
            self.__dict__["_assigned_prompts"] = list(original(self))
        return self.__dict__["_assigned_prompts"]

    Assignment.assigned_prompts = assigned_prompts


def cache_markdown() -> None:
    """lessons/markdown.py render_markdown: functools.lru_cache (a pure function of the text)."""
    import lessons.markdown
    import lessons.templatetags.lesson_tags as tags

    cached = functools.lru_cache(maxsize=1024)(lessons.markdown.render_markdown)
    lessons.markdown.render_markdown = cached
    tags.render_markdown = cached


def snapshot_time_in_cache() -> None:
    """lessons/services.py _snapshot_due/_keep_snapshot: remember the last snapshot's time
    in the cache, so that within SNAPSHOT_INTERVAL no query is needed to know none is due."""
    from django.core.cache import cache

    from lessons import services

    original_due, original_keep = services._snapshot_due, services._keep_snapshot

    def key(response) -> str:
        return f"snapshot-at:{response.pk}"

    def _keep_snapshot(response, *, now):
        kept = original_keep(response, now=now)
        cache.set(key(response), 1, int(services.SNAPSHOT_INTERVAL.total_seconds()))
        return kept

    def _snapshot_due(response, new, *, now):
        old_words = len(response.body.split())
        big_cut = old_words - new.word_count >= services.BIG_CUT_WORDS or (
            old_words >= 4 and new.word_count < old_words / 2
        )
        if not big_cut and cache.get(key(response)):
            return False
        return original_due(response, new, now=now)

    services._keep_snapshot = _keep_snapshot
    services._snapshot_due = _snapshot_due


GRID_REPLACEMENTS = [
    (
        'aria-label="{% blocktranslate with name=row.student.name %}Reading progress of {{ name }}'
        '{% endblocktranslate %}"',
        'aria-label="{{ row.progress_label }}"',
    ),
    (
        "{% blocktranslate with read=row.sections_read total=section_count %}{{ read }} of {{ total }} "
        "sections{% endblocktranslate %}",
        "{{ row.sections_label }}",
    ),
    (
        'href="{% url \'review:response\' cell.response.pk %}" aria-label="{% blocktranslate with '
        "label=cell.label name=row.student.name n=forloop.counter %}{{ label }}: {{ name }}, prompt {{ n }}"
        '{% endblocktranslate %}"',
        'href="{{ cell.url }}" aria-label="{{ cell.aria }}"',
    ),
]


def grid_strings_once() -> None:
    """lessons/views/review.py progress + templates/review/progress.html: translate the
    cell and row labels once per request and build each review URL from one reverse()
    prefix, instead of a {% blocktranslate %} and a {% url %} per cell."""
    from django.conf import settings
    from django.template import engines
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from lessons.views import review

    source = Path(settings.BASE_DIR, "templates", "review", "progress.html").read_text()
    for old, new in GRID_REPLACEMENTS:
        if old not in source:
            raise LookupError("templates/review/progress.html changed")
        source = source.replace(old, new)
    override = Path(tempfile.mkdtemp(prefix="kl-proposed-")) / "review"
    override.mkdir()
    (override / "progress.html").write_text(source)
    engines["django"].engine.dirs.insert(0, str(override.parent))
    original_render = review.render

    def render(request, template_name, context=None, *args, **kwargs):
        if template_name == "review/progress.html" and context:
            base = reverse("review:response", args=[0])[: -len("0/")]
            cell_format = _("%(label)s: %(name)s, prompt %(n)s")
            progress_format = _("Reading progress of %(name)s")
            sections_format = _("%(read)s of %(total)s sections")
            labels: dict[str, str] = {}
            for row in context["rows"]:
                name = row.student.name
                row.progress_label = progress_format % {"name": name}
                row.sections_label = sections_format % {"read": row.sections_read, "total": context["section_count"]}
                for n, cell in enumerate(row.cells, 1):
                    cell.label = labels.setdefault(cell.state, str(cell.label))
                    if cell.response is not None:
                        cell.url = f"{base}{cell.response.pk}/"
                        cell.aria = cell_format % {"label": cell.label, "name": name, "n": n}
        return original_render(request, template_name, context, *args, **kwargs)

    review.render = render


for fix in (memoise_assigned_prompts, cache_markdown, snapshot_time_in_cache, grid_strings_once):
    try:
        fix()
        APPLIED.append(fix.__name__)
    except (AttributeError, ImportError, LookupError) as error:
        SKIPPED.append(f"{fix.__name__}: {error}")
log.warning("proposed fixes applied: %s; skipped: %s", ", ".join(APPLIED), "; ".join(SKIPPED) or "none")
