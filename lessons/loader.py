"""Load the unit from the TOML files in `lessons/content/` into the database.

The files are the source of the content; the database is where admins edit
it. So loading is idempotent and careful:

- every row the loader writes remembers a digest of the values it wrote
  (`loaded_digest`); a row whose current values no longer match that digest
  has been edited by an admin and is left alone, unless `reset=True`;
- nothing is deleted: a prompt or section may already carry students' work;
- the content is checked first (counts, minutes adding up, the first take and
  the final argument), and nothing is written if any check fails.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, models, transaction

from lessons.content_cache import content_changed
from lessons.models import KeyTerm, Lesson, PlanStep, Prompt, Quotation, Section, Status, TimelineEvent, Unit

CONTENT_DIR = Path(__file__).resolve().parent / "content"

# The rules the unit's content keeps (see the issue and content/README.md).
MIN_LESSONS = 8
FACTS_SECTIONS = range(1, 10)
SECTIONS_PER_LESSON = (2, 5)
WORDS_PER_LESSON = (300, 700)
TERMS_PER_LESSON = (4, 8)
PROMPTS_PER_LESSON = (2, 4)
QUOTATIONS_PER_LESSON = (0, 3)
OBJECTIVES_PER_LESSON = (2, 3)
MIN_TIMELINE_EVENTS = 15
TIMELINE_YEARS = (1945, 1953)
OBJECTIVE_START = "Students will be able to"
SLUG_RE = re.compile(r"^[-a-z0-9]+$")


class ContentError(Exception):
    """The content files break one or more rules; `problems` lists them all."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("The unit's content has problems:\n" + "\n".join(f"- {p}" for p in problems))


class LoadConflict(Exception):
    """A row from the files clashes with a row in the database (e.g. a slug an admin took)."""


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # rows left alone because an admin edited them

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        parts = [f"{self.created} created", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.kept:
            parts.append(f"{len(self.kept)} edited in the admin and kept")
        return ", ".join(parts)


# ---------------------------------------------------------------- digests


def _normalise(value: Any) -> Any:
    # A textarea sends CRLF and Django strips fields: saving an untouched admin
    # form must not count as an edit.
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def digest(values: dict[str, Any]) -> str:
    payload = json.dumps({k: _normalise(v) for k, v in values.items()}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


# The fields the loader writes, per model; the digest covers exactly these.
LOADED_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Unit: ("slug", "title", "central_question", "positions", "intro", "source_credit"),
    Lesson: (
        "unit_id", "order", "slug", "title", "summary", "duration_minutes", "status",
        "objectives", "standards", "materials", "support", "extension",
    ),
    Section: ("lesson_id", "order", "heading", "anchor", "body"),
    KeyTerm: ("lesson_id", "order", "term", "definition"),
    Quotation: ("lesson_id", "order", "text", "speaker", "source", "date", "note"),
    Prompt: ("lesson_id", "order", "kind", "role", "skill", "text", "positions", "strong_answer", "status"),
    PlanStep: ("lesson_id", "order", "phase", "minutes", "instructions"),
    TimelineEvent: ("unit_id", "date", "precision", "title", "text", "lesson_id"),
}  # fmt: skip


def current_digest(obj: models.Model) -> str:
    return digest({name: getattr(obj, name) for name in LOADED_FIELDS[type(obj)]})


def is_edited(obj: models.Model) -> bool:
    """True when the row differs from what the loader last wrote (or was never loaded)."""
    return not obj.loaded_digest or current_digest(obj) != obj.loaded_digest


# ---------------------------------------------------------------- reading and checking


@dataclass
class UnitContent:
    unit: dict[str, Any]
    timeline: list[dict[str, Any]]
    lessons: list[dict[str, Any]]  # in order, each with "_file"


def _read_toml(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        problems.append(f"{path.name}: file not found")
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{path.name}: not valid TOML ({exc})")
    return {}


def read_content(content_dir: Path = CONTENT_DIR) -> UnitContent:
    """Read and check the content files; raise ContentError listing every problem."""
    problems: list[str] = []
    unit_file = _read_toml(content_dir / "unit.toml", problems)
    timeline = list(unit_file.get("timeline", []))
    if (content_dir / "timeline.toml").exists():
        timeline += _read_toml(content_dir / "timeline.toml", problems).get("timeline", [])
    lessons = []
    for path in sorted((content_dir / "lessons").glob("*.toml")):
        data = _read_toml(path, problems)
        if data:
            lessons.append({**data, "_file": f"lessons/{path.name}"})
    lessons.sort(key=lambda lesson: (lesson.get("order", 0), lesson["_file"]))
    content = UnitContent(unit=unit_file.get("unit", {}), timeline=timeline, lessons=lessons)
    if not problems:
        problems = check_content(content)
    if problems:
        raise ContentError(problems)
    return content


def _count_problem(where: str, what: str, n: int, bounds: tuple[int, int]) -> list[str]:
    low, high = bounds
    if low <= n <= high:
        return []
    return [f"{where}: {n} {what}, expected {low}-{high}"]


def _required(where: str, data: dict, keys: tuple[str, ...]) -> list[str]:
    return [f"{where}: missing or empty '{key}'" for key in keys if not data.get(key)]


def check_content(content: UnitContent) -> list[str]:
    """Every rule the unit's content must keep, as a list of readable problems."""
    problems: list[str] = []
    unit = content.unit
    problems += _required("unit.toml [unit]", unit, ("slug", "title", "central_question", "positions", "source_credit"))
    positions = unit.get("positions") or []
    if positions and len(positions) < 2:
        problems.append("unit.toml: the central question needs at least two positions")

    lessons = content.lessons
    if len(lessons) < MIN_LESSONS:
        problems.append(f"lessons/: {len(lessons)} lessons, expected at least {MIN_LESSONS}")
    orders = [lesson.get("order") for lesson in lessons]
    if orders != list(range(1, len(lessons) + 1)):
        problems.append(f"lessons/: lesson orders are {orders}, expected 1 to {len(lessons)} with no gaps or repeats")
    slugs = [lesson.get("slug") for lesson in lessons]
    for slug in {s for s in slugs if slugs.count(s) > 1}:
        problems.append(f"lessons/: the slug '{slug}' is used by more than one lesson")

    covered: list[int] = []
    for lesson in lessons:
        problems += _check_lesson(lesson, positions)
        covered += lesson.get("facts_sections", [])
    missing = [n for n in FACTS_SECTIONS if n not in covered]
    if missing:
        problems.append(f"lessons/: FACTS.md sections {missing} are covered by no lesson")
    if covered != sorted(covered):
        problems.append(f"lessons/: FACTS.md sections are covered out of order ({covered})")

    all_prompts = [(lesson, p) for lesson in lessons for p in lesson.get("prompts", [])]
    first = [lesson["order"] for lesson, p in all_prompts if p.get("role") == Prompt.Role.FIRST_TAKE]
    final = [lesson["order"] for lesson, p in all_prompts if p.get("role") == Prompt.Role.FINAL_ARGUMENT]
    if lessons and first != [lessons[0].get("order")]:
        problems.append("lessons/: the first lesson, and only it, must have one 'first_take' prompt")
    if lessons and final != [lessons[-1].get("order")]:
        problems.append("lessons/: the last lesson, and only it, must have one 'final_argument' prompt")
    for lesson, prompt in all_prompts:
        if prompt.get("role") and list(prompt.get("positions", [])) != list(positions):
            problems.append(
                f"{lesson['_file']}: the {prompt['role']} prompt must offer the unit's positions {positions}"
            )

    problems += _check_timeline(content.timeline, set(slugs))
    return problems


def _check_lesson(lesson: dict[str, Any], unit_positions: list[str]) -> list[str]:
    where = lesson["_file"]
    problems = _required(where, lesson, ("slug", "order", "title", "summary", "duration_minutes", "standards"))
    slug = lesson.get("slug", "")
    if slug and not SLUG_RE.match(slug):
        problems.append(f"{where}: slug '{slug}' may hold only lower-case letters, digits and hyphens")
    if slug and lesson.get("order") and Path(where).stem != f"{lesson['order']:02d}-{slug}":
        problems.append(f"{where}: the file name should be '{lesson['order']:02d}-{slug}.toml'")

    objectives = lesson.get("objectives", [])
    problems += _count_problem(where, "objectives", len(objectives), OBJECTIVES_PER_LESSON)
    problems += [
        f"{where}: objective {i} should start with '{OBJECTIVE_START}'"
        for i, text in enumerate(objectives, 1)
        if not text.startswith(OBJECTIVE_START)
    ]

    sections = lesson.get("sections", [])
    problems += _count_problem(where, "reading sections", len(sections), SECTIONS_PER_LESSON)
    words = sum(len(s.get("body", "").split()) for s in sections)
    problems += _count_problem(where, "words of reading", words, WORDS_PER_LESSON)
    anchors = [s.get("anchor", "") for s in sections]
    for i, section in enumerate(sections, 1):
        problems += _required(f"{where} section {i}", section, ("heading", "anchor", "body"))
        if section.get("anchor") and not SLUG_RE.match(section["anchor"]):
            problems.append(f"{where} section {i}: anchor '{section['anchor']}' is not a slug")
    if len(set(anchors)) != len(anchors):
        problems.append(f"{where}: section anchors must be unique")

    terms = lesson.get("key_terms", [])
    problems += _count_problem(where, "key terms", len(terms), TERMS_PER_LESSON)
    names = [t.get("term", "").lower() for t in terms]
    if len(set(names)) != len(names):
        problems.append(f"{where}: a key term appears twice")
    for i, term in enumerate(terms, 1):
        problems += _required(f"{where} key term {i}", term, ("term", "definition"))

    quotations = lesson.get("quotations", [])
    problems += _count_problem(where, "quotations", len(quotations), QUOTATIONS_PER_LESSON)
    for i, quotation in enumerate(quotations, 1):
        problems += _required(f"{where} quotation {i}", quotation, ("text", "speaker", "source"))

    prompts = lesson.get("prompts", [])
    problems += _count_problem(where, "prompts", len(prompts), PROMPTS_PER_LESSON)
    for i, prompt in enumerate(prompts, 1):
        problems += _check_prompt(f"{where} prompt {i}", prompt)

    steps = lesson.get("plan_steps", [])
    if not steps:
        problems.append(f"{where}: the lesson plan has no steps")
    for i, step in enumerate(steps, 1):
        problems += _required(f"{where} plan step {i}", step, ("phase", "minutes", "instructions"))
    minutes = sum(step.get("minutes", 0) for step in steps)
    duration = lesson.get("duration_minutes")
    if steps and minutes != duration:
        problems.append(f"{where}: the plan's steps add up to {minutes} minutes, but the lesson lasts {duration}")
    return problems


def _check_prompt(where: str, prompt: dict[str, Any]) -> list[str]:
    problems = _required(where, prompt, ("kind", "text", "strong_answer"))
    kind, positions = prompt.get("kind"), prompt.get("positions", [])
    if kind not in Prompt.Kind.values:
        problems.append(f"{where}: kind '{kind}' should be one of {Prompt.Kind.values}")
    if prompt.get("role", "") not in Prompt.Role.values:
        problems.append(f"{where}: role '{prompt.get('role')}' should be one of {Prompt.Role.values}")
    if prompt.get("skill", "") not in [*Prompt.Skill.values, ""]:
        problems.append(f"{where}: skill '{prompt.get('skill')}' should be one of {Prompt.Skill.values}")
    if kind == Prompt.Kind.POSITION and len(positions) < 2:
        problems.append(f"{where}: a position prompt needs at least two positions")
    if kind == Prompt.Kind.OPEN and positions:
        problems.append(f"{where}: an open prompt has no positions")
    if prompt.get("role") and kind != Prompt.Kind.POSITION:
        problems.append(f"{where}: a {prompt['role']} prompt must be a position prompt")
    return problems


def _check_timeline(events: list[dict[str, Any]], lesson_slugs: set[str]) -> list[str]:
    problems: list[str] = []
    if len(events) < MIN_TIMELINE_EVENTS:
        problems.append(f"timeline: {len(events)} events, expected at least {MIN_TIMELINE_EVENTS}")
    dates = []
    for i, event in enumerate(events, 1):
        where = f"timeline event {i} ({event.get('title', '?')})"
        problems += _required(where, event, ("date", "title", "text"))
        date = event.get("date")
        if date and not isinstance(date, datetime.date):
            problems.append(f"{where}: date should be a TOML date such as 1950-06-25")
            continue
        if date:
            dates.append(date)
            if not TIMELINE_YEARS[0] <= date.year <= TIMELINE_YEARS[1]:
                problems.append(f"{where}: {date} is outside {TIMELINE_YEARS[0]}-{TIMELINE_YEARS[1]}")
        if event.get("precision", "day") not in TimelineEvent.Precision.values:
            problems.append(f"{where}: precision should be one of {TimelineEvent.Precision.values}")
        if event.get("lesson") and event["lesson"] not in lesson_slugs:
            problems.append(f"{where}: no lesson has the slug '{event['lesson']}'")
    if dates != sorted(dates):
        problems.append("timeline: events are not in date order")
    keys = [(e.get("date"), e.get("title")) for e in events]
    if len(set(keys)) != len(keys):
        problems.append("timeline: the same event (date and title) appears twice")
    return problems


# ---------------------------------------------------------------- writing


def _lines(items: list[str]) -> str:
    return "\n".join(item.strip() for item in items)


def _text(value: Any) -> str:
    return _normalise(value or "")


class _Writer:
    def __init__(self, *, reset: bool):
        self.reset = reset
        self.report = LoadReport()

    def sync(self, model, candidates: list, key: dict[str, Any], values: dict[str, Any]):
        """Create or update the row for `values`, among the `candidates` already in the database.

        A row matches when it was loaded from exactly these values (found even if
        an admin changed its key), or else when its key fields match.
        """
        new_digest = digest(values)
        row = next((c for c in candidates if c.loaded_digest == new_digest), None)
        if row is None:
            row = next((c for c in candidates if all(getattr(c, k) == v for k, v in key.items())), None)
        if row is not None:
            candidates.remove(row)  # one row per item, even when keys and digests overlap
        else:
            row = model(**values, loaded_digest=new_digest)
            self._save(row, values)
            self.report.created += 1
            return row
        if is_edited(row) and not self.reset:
            self.report.kept.append(f"{model._meta.verbose_name} '{row}'")
            return row
        if row.loaded_digest == new_digest and current_digest(row) == new_digest:
            self.report.unchanged += 1
            return row
        for name, value in values.items():
            setattr(row, name, value)
        row.loaded_digest = new_digest
        self._save(row, values)
        self.report.updated += 1
        return row

    @staticmethod
    def _save(row, values):
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as exc:
            label = values.get("slug") or values.get("title") or values.get("heading") or values.get("term") or ""
            raise LoadConflict(
                f"Could not save {row._meta.verbose_name} '{label}': it clashes with a row already in the "
                f"database ({exc}). An admin may have given another row the same slug, anchor or order; "
                "change that row in the admin and load again."
            ) from exc


def _by_lesson(model, lesson_ids: list[int]) -> dict[int, list]:
    rows: dict[int, list] = {}
    for row in model.objects.filter(lesson_id__in=lesson_ids).order_by("pk"):
        rows.setdefault(row.lesson_id, []).append(row)
    return rows


@transaction.atomic
def load_unit(*, content_dir: Path = CONTENT_DIR, reset: bool = False) -> LoadReport:
    """Bring the database in line with the content files. Idempotent.

    Rows an admin has edited are kept as they are unless `reset` is true.
    Raises ContentError (nothing written) or LoadConflict (everything rolled back).
    """
    content = read_content(content_dir)
    writer = _Writer(reset=reset)
    u = content.unit
    unit = writer.sync(
        Unit,
        list(Unit.objects.order_by("pk")),
        {"slug": u["slug"]},
        {
            "slug": u["slug"],
            "title": _text(u["title"]),
            "central_question": _text(u["central_question"]),
            "positions": list(u["positions"]),
            "intro": _text(u.get("intro")),
            "source_credit": _text(u["source_credit"]),
        },
    )

    slugs = [data["slug"] for data in content.lessons]
    existing_lessons = list((Lesson.objects.filter(unit=unit) | Lesson.objects.filter(slug__in=slugs)).order_by("pk"))
    lessons: dict[str, Lesson] = {}
    for data in content.lessons:
        lessons[data["slug"]] = writer.sync(
            Lesson,
            existing_lessons,
            {"slug": data["slug"]},
            {
                "unit_id": unit.pk,
                "order": data["order"],
                "slug": data["slug"],
                "title": _text(data["title"]),
                "summary": _text(data["summary"]),
                "duration_minutes": data["duration_minutes"],
                "status": Status.PUBLISHED,
                "objectives": _lines(data.get("objectives", [])),
                "standards": _lines(data.get("standards", [])),
                "materials": _lines(data.get("materials", [])),
                "support": _text(data.get("support")),
                "extension": _text(data.get("extension")),
            },
        )

    lesson_ids = [lesson.pk for lesson in lessons.values()]
    existing = {model: _by_lesson(model, lesson_ids) for model in (Section, KeyTerm, Quotation, Prompt, PlanStep)}
    for data in content.lessons:
        lesson = lessons[data["slug"]]
        _load_children(writer, existing, lesson, data)

    existing_events = list(TimelineEvent.objects.filter(unit=unit).order_by("pk"))
    for data in content.timeline:
        lesson = lessons.get(data.get("lesson", ""))
        writer.sync(
            TimelineEvent,
            existing_events,
            {"date": data["date"], "title": _text(data["title"])},
            {
                "unit_id": unit.pk,
                "date": data["date"],
                "precision": data.get("precision", TimelineEvent.Precision.DAY),
                "title": _text(data["title"]),
                "text": _text(data["text"]),
                "lesson_id": lesson.pk if lesson else None,
            },
        )
    content_changed()  # pages cached from the old rows are not used again
    return writer.report


def _load_children(writer: _Writer, existing: dict, lesson: Lesson, data: dict[str, Any]) -> None:
    def rows(model):
        return existing[model].get(lesson.pk, [])

    for order, s in enumerate(data.get("sections", []), 1):
        writer.sync(
            Section,
            rows(Section),
            {"order": order},
            {"lesson_id": lesson.pk, "order": order, "heading": _text(s["heading"]),
             "anchor": s["anchor"], "body": _text(s["body"])},
        )  # fmt: skip
    for order, t in enumerate(data.get("key_terms", []), 1):
        writer.sync(
            KeyTerm,
            rows(KeyTerm),
            {"term": _text(t["term"])},
            {"lesson_id": lesson.pk, "order": order, "term": _text(t["term"]), "definition": _text(t["definition"])},
        )
    for order, q in enumerate(data.get("quotations", []), 1):
        writer.sync(
            Quotation,
            rows(Quotation),
            {"order": order},
            {"lesson_id": lesson.pk, "order": order, "text": _text(q["text"]), "speaker": _text(q["speaker"]),
             "source": _text(q["source"]), "date": _text(q.get("date")), "note": _text(q.get("note"))},
        )  # fmt: skip
    for order, p in enumerate(data.get("prompts", []), 1):
        writer.sync(
            Prompt,
            rows(Prompt),
            {"order": order},
            {"lesson_id": lesson.pk, "order": order, "kind": p["kind"], "role": p.get("role", ""),
             "skill": p.get("skill", ""), "text": _text(p["text"]), "positions": list(p.get("positions", [])),
             "strong_answer": _text(p.get("strong_answer")), "status": Status.PUBLISHED},
        )  # fmt: skip
    for order, step in enumerate(data.get("plan_steps", []), 1):
        writer.sync(
            PlanStep,
            rows(PlanStep),
            {"order": order},
            {"lesson_id": lesson.pk, "order": order, "phase": _text(step["phase"]), "minutes": step["minutes"],
             "instructions": _text(step["instructions"])},
        )  # fmt: skip
