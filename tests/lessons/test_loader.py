"""The unit loader: idempotent, careful with admin edits, strict about the content."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lessons import loader
from lessons.models import KeyTerm, Lesson, PlanStep, Prompt, Quotation, Section, Status, TimelineEvent, Unit

pytestmark = pytest.mark.django_db

ALL_MODELS = [Unit, Lesson, Section, KeyTerm, Quotation, Prompt, PlanStep, TimelineEvent]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A private copy of the real content, safe to change."""
    target = tmp_path / "content"
    shutil.copytree(loader.CONTENT_DIR, target)
    return target


def edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def first_lesson_file(content_dir: Path) -> Path:
    return sorted((content_dir / "lessons").glob("01-*.toml"))[0]


def test_loading_creates_the_whole_unit_published():
    report = loader.load_unit()
    assert report.created == sum(counts().values())
    assert Unit.objects.count() == 1
    assert Lesson.objects.count() >= 8
    assert not Lesson.objects.exclude(status=Status.PUBLISHED).exists()
    assert not Prompt.objects.exclude(status=Status.PUBLISHED).exists()
    assert TimelineEvent.objects.count() >= 15
    assert all(row.loaded_digest for model in ALL_MODELS for row in model.objects.all())


def test_loading_twice_changes_nothing(django_assert_max_num_queries):
    loader.load_unit()
    before = counts()
    snapshot = list(Section.objects.values_list("pk", "body", "loaded_digest"))
    # No writes on a second run: only the reads that find the existing rows.
    with django_assert_max_num_queries(12):
        report = loader.load_unit()
    assert (report.created, report.updated, report.kept) == (0, 0, [])
    assert report.unchanged == sum(before.values())
    assert counts() == before
    assert list(Section.objects.values_list("pk", "body", "loaded_digest")) == snapshot


def test_admin_edit_is_not_overwritten_by_a_later_load():
    loader.load_unit()
    section = Section.objects.order_by("lesson__order", "order").first()
    section.body = "An admin rewrote this paragraph."
    section.save()
    report = loader.load_unit()
    section.refresh_from_db()
    assert section.body == "An admin rewrote this paragraph."
    assert len(report.kept) == 1


def test_admin_edit_survives_a_content_change_to_the_same_row(content_dir):
    loader.load_unit(content_dir=content_dir)
    lesson = Lesson.objects.get(order=1)
    lesson.title = "Retitled by an admin"
    lesson.save()
    edit_file(first_lesson_file(content_dir), 'title = "The Question and the Letter"', 'title = "New file title"')
    loader.load_unit(content_dir=content_dir)
    lesson.refresh_from_db()
    assert lesson.title == "Retitled by an admin"


def test_admin_unpublishing_a_lesson_is_kept():
    loader.load_unit()
    Lesson.objects.filter(order=2).update(status=Status.DRAFT)
    loader.load_unit()
    assert Lesson.objects.get(order=2).status == Status.DRAFT


def test_reset_overwrites_admin_edits():
    loader.load_unit()
    section = Section.objects.order_by("lesson__order", "order").first()
    original = section.body
    section.body = "An admin rewrote this paragraph."
    section.save()
    report = loader.load_unit(reset=True)
    section.refresh_from_db()
    assert section.body == original
    assert report.updated == 1
    assert not loader.is_edited(section)


def test_unedited_rows_follow_changes_in_the_files(content_dir):
    loader.load_unit(content_dir=content_dir)
    edit_file(first_lesson_file(content_dir), 'title = "The Question and the Letter"', 'title = "A Question and a Letter"')
    report = loader.load_unit(content_dir=content_dir)
    assert report.updated == 1
    assert Lesson.objects.get(order=1).title == "A Question and a Letter"


def test_an_admin_changed_key_still_matches_its_content_row():
    loader.load_unit()
    term = KeyTerm.objects.order_by("pk").first()
    term.term = "Renamed by an admin"
    term.save()
    before = KeyTerm.objects.count()
    loader.load_unit()
    assert KeyTerm.objects.count() == before  # no duplicate of the original term
    term.refresh_from_db()
    assert term.term == "Renamed by an admin"


def test_saving_an_untouched_admin_form_is_not_an_edit():
    loader.load_unit()
    section = Section.objects.order_by("pk").first()
    # Browsers send textarea text with CRLF line endings.
    section.body = section.body.replace("\n", "\r\n") + "\r\n"
    section.save()
    assert not loader.is_edited(section)


def test_rows_an_admin_added_are_left_alone():
    loader.load_unit()
    lesson = Lesson.objects.get(order=1)
    extra = Section.objects.create(lesson=lesson, order=99, heading="Extra", anchor="extra", body="Added in the admin.")
    loader.load_unit(reset=True)
    assert Section.objects.filter(pk=extra.pk).exists()


def test_minutes_that_do_not_add_up_are_refused_and_nothing_is_written(content_dir):
    edit_file(first_lesson_file(content_dir), "minutes = 5", "minutes = 6")
    with pytest.raises(loader.ContentError) as exc:
        loader.load_unit(content_dir=content_dir)
    assert "add up to 46 minutes, but the lesson lasts 45" in str(exc.value)
    assert sum(counts().values()) == 0


def test_too_few_prompts_is_a_clear_error():
    content = loader.read_content()
    content.lessons[1]["prompts"] = content.lessons[1]["prompts"][:1]
    problems = loader.check_content(content)
    assert problems == [f"{content.lessons[1]['_file']}: 1 prompts, expected 2-4"]


def test_the_first_take_must_open_the_unit():
    content = loader.read_content()
    content.lessons[0]["prompts"] = [p for p in content.lessons[0]["prompts"] if p.get("role") != "first_take"]
    assert any("must have one 'first_take' prompt" in p for p in loader.check_content(content))


def test_a_reading_outside_the_word_limits_is_refused():
    content = loader.read_content()
    content.lessons[2]["sections"] = content.lessons[2]["sections"][:1] + [
        {"heading": "Padding", "anchor": "padding", "body": "word " * 800}
    ]
    problems = loader.check_content(content)
    assert any("words of reading, expected 300-700" in p for p in problems)


def test_every_facts_section_must_be_covered():
    content = loader.read_content()
    content.lessons[-1]["facts_sections"] = []
    assert any("FACTS.md sections [9] are covered by no lesson" in p for p in loader.check_content(content))


def test_invalid_toml_names_the_file(content_dir):
    (content_dir / "lessons" / "11-broken.toml").write_text("title = ")
    with pytest.raises(loader.ContentError, match="11-broken.toml: not valid TOML"):
        loader.read_content(content_dir)


def test_timeline_outside_the_years_is_refused(content_dir):
    edit_file(content_dir / "timeline.toml", "date = 1945-08-15", "date = 1944-08-15")
    with pytest.raises(loader.ContentError, match="outside 1945-1953"):
        loader.read_content(content_dir)


def test_a_slug_taken_by_an_admin_row_is_a_clear_conflict():
    loader.load_unit()
    lesson = Lesson.objects.get(order=2)
    slug = lesson.slug
    lesson.slug = "renamed-by-admin"
    lesson.save()
    # Another admin-made lesson takes lesson 2's slug.
    Lesson.objects.filter(order=3).update(slug=slug)
    with pytest.raises(loader.LoadConflict, match="clashes with a row already in the database"):
        loader.load_unit(reset=True)


def test_command_is_quiet_when_there_is_nothing_to_do():
    call_command("load_unit", stdout=StringIO())
    out = StringIO()
    call_command("load_unit", stdout=out)
    assert out.getvalue().strip() == "Unit already up to date."


def test_command_reports_kept_rows_and_how_to_reset():
    call_command("load_unit", stdout=StringIO())
    Prompt.objects.filter(pk=Prompt.objects.order_by("pk").first().pk).update(text="Changed by an admin")
    out = StringIO()
    call_command("load_unit", stdout=out)
    assert "Kept 1 row(s) edited in the admin; run with --reset" in out.getvalue()


def test_command_turns_content_problems_into_a_command_error(content_dir):
    edit_file(first_lesson_file(content_dir), "minutes = 5", "minutes = 6")
    with pytest.raises(CommandError, match="add up to 46 minutes"):
        call_command("load_unit", content_dir=content_dir, stdout=StringIO())
