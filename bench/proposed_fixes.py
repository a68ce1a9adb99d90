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

    if hasattr(Assignment, "forget_assigned_prompts"):
        raise LookupError("already in the code")
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

    if hasattr(lessons.markdown.render_markdown, "cache_info"):
        raise LookupError("already in the code")
    cached = functools.lru_cache(maxsize=1024)(lessons.markdown.render_markdown)
    lessons.markdown.render_markdown = cached
    tags.render_markdown = cached


def snapshot_key(assignment_id: int, prompt_id: int, student_id: int) -> str:
    return f"snapshot-at:{assignment_id}:{prompt_id}:{student_id}"


def words_key(assignment_id: int, prompt_id: int, student_id: int) -> str:
    return f"saved-words:{assignment_id}:{prompt_id}:{student_id}"


def snapshot_time_in_cache() -> None:
    """lessons/services.py _snapshot_due/_keep_snapshot: remember the last snapshot's time
    in the cache, so that within SNAPSHOT_INTERVAL no query is needed to know none is due."""
    from django.core.cache import cache

    from lessons import services

    original_due, original_keep = services._snapshot_due, services._keep_snapshot

    def key(response) -> str:
        return snapshot_key(response.assignment_id, response.prompt_id, response.student_id)

    def _keep_snapshot(response, *, now):
        kept = original_keep(response, now=now)
        if kept is not None:
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


def autosave_fast_path() -> None:
    """lessons/views/coursework.py autosave (with lessons/services.py): one guarded UPDATE
    that is also the access check (the student's assignment, opened, the answer editable,
    the version it started from, cited sections of the assignment's lesson), and today's
    save_draft for everything else: the first save, a conflict, a closed or unknown
    answer, a snapshot due (none in the last SNAPSHOT_INTERVAL, or much text cut), a
    restore. Needs snapshot_time_in_cache. A sketch to measure; the real change would
    live in the service."""
    import json

    from django.core.cache import cache
    from django.db.models import F
    from django.http import JsonResponse
    from django.utils import timezone

    from lessons import services
    from lessons.models import Assignment, Prompt, Response, Section
    from lessons.views import coursework

    if hasattr(services, "quick_save_draft"):
        raise LookupError("already in the code")
    original = coursework.autosave
    prompt_kinds: dict[int, tuple | None] = {}  # per worker: prompts change rarely
    section_lessons: dict[int, int] = {}

    def lesson_of(section_ids: list[int]) -> int | None:
        missing = [pk for pk in section_ids if pk not in section_lessons]
        if missing:
            section_lessons.update(Section.objects.filter(pk__in=missing).values_list("pk", "lesson_id"))
        lessons = {section_lessons.get(pk) for pk in section_ids}
        return next(iter(lessons)) if len(lessons) == 1 and None not in lessons else None

    def fast(request, pk: int, prompt_pk: int):
        try:
            data = json.loads(request.body or b"{}")
            version = int(data.get("version", 0))
            cited = list(dict.fromkeys(int(x) for x in (data.get("cited_sections") or [])))
        except (ValueError, TypeError, AttributeError):
            return None
        if data.get("keep_previous") or version < 1:
            return None
        body = services._normalise_text(str(data.get("body") or ""))
        quote = services._normalise_text(str(data.get("quoted_sentence") or "")).strip()
        position = str(data.get("position") or "").strip()
        if len(body) > services.MAX_BODY_CHARS or len(quote) > services.MAX_QUOTE_CHARS:
            return None
        if prompt_pk not in prompt_kinds:
            prompt_kinds[prompt_pk] = Prompt.objects.filter(pk=prompt_pk).values_list("kind", "positions").first()
        if prompt_kinds[prompt_pk] is None:
            return None
        kind, positions = prompt_kinds[prompt_pk]
        if kind != Prompt.Kind.POSITION:
            position = ""
        elif position and position not in (positions or []):
            return None
        student = request.user.pk
        keys = (snapshot_key(pk, prompt_pk, student), words_key(pk, prompt_pk, student))
        found = cache.get_many(keys)
        if keys[0] not in found or keys[1] not in found:
            return None  # a snapshot may be due, or the last saved text is unknown: the full path decides
        old_words, new_words = found[keys[1]], len(body.split())
        if old_words - new_words >= services.BIG_CUT_WORDS or (old_words >= 4 and new_words < old_words / 2):
            return None
        now = timezone.now()
        rows = Response.objects.filter(
            assignment_id=pk,
            prompt_id=prompt_pk,
            student_id=student,
            version=version,
            status__in=services.EDITABLE,
            assignment__opens_at__lte=now,
            assignment__in=Assignment.objects.for_student(request.user).filter(pk=pk),
        )
        if cited:
            lesson = lesson_of(cited)
            if lesson is None:
                return None
            rows = rows.filter(assignment__lesson_id=lesson)
        updated = rows.update(
            body=body,
            position=position,
            cited_sections=cited,
            quoted_sentence=quote,
            version=F("version") + 1,
            updated_at=now,
        )
        if updated != 1:
            return None
        cache.set(keys[1], new_words, 3600)
        saved_at = timezone.localtime(now)
        return JsonResponse(
            {
                "version": version + 1,
                "saved_at": saved_at.isoformat(),
                "saved_at_display": coursework._display_time(saved_at),
            }
        )

    def autosave(request, pk: int, prompt_pk: int):
        if request.method == "POST" and request.user.is_authenticated:
            answered = fast(request, pk, prompt_pk)
            if answered is not None:
                return answered
        response = original(request, pk, prompt_pk)
        if response.status_code == 200 and request.user.is_authenticated:
            try:
                words = len(str(json.loads(request.body).get("body") or "").split())
            except (ValueError, AttributeError):
                return response
            cache.set(words_key(pk, prompt_pk, request.user.pk), words, 3600)
        return response

    coursework.autosave = autosave


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
            raise LookupError("templates/review/progress.html changed (already fixed?)")
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


for fix in (memoise_assigned_prompts, cache_markdown, snapshot_time_in_cache, autosave_fast_path, grid_strings_once):
    try:
        fix()
        APPLIED.append(fix.__name__)
    except (AttributeError, ImportError, LookupError) as error:
        SKIPPED.append(f"{fix.__name__}: {error}")
log.warning("proposed fixes applied: %s; skipped: %s", ", ".join(APPLIED), "; ".join(SKIPPED) or "none")
