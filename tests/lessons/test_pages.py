"""The unit's public pages: home, lesson list, reading, handout, timeline, map."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from lessons import loader
from lessons.models import Section, Status
from tests import factories
from tests.lessons.unit_helpers import full_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    loader.load_unit()
    from lessons.models import Unit

    return Unit.objects.get()


# ---------------------------------------------------------------- home


def test_home_shows_the_unit_question_lessons_in_order_and_ways_in(client, unit):
    html = client.get(reverse("home")).content.decode()
    assert escape(unit.title) in html
    assert escape(unit.central_question) in html
    positions = [html.index(f'href="{lesson.get_absolute_url()}"') for lesson in unit.lessons.order_by("order")]
    assert positions == sorted(positions)
    for way_in in (reverse("accounts:login"), reverse("accounts:signup"), reverse("join")):
        assert f'href="{way_in}"' in html


def test_home_without_a_loaded_unit_says_how_to_load_it(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "load_unit" in response.content.decode()


def test_home_query_count_does_not_grow_with_lessons(client, count_queries):
    factories.LessonFactory()
    few = count_queries(lambda: client.get(reverse("home")))
    for _ in range(8):
        factories.LessonFactory()
    assert count_queries(lambda: client.get(reverse("home"))) == few


# ---------------------------------------------------------------- lesson list


def test_lesson_index_lists_every_published_lesson_with_its_sections(client, unit):
    html = client.get(reverse("lessons:index")).content.decode()
    for lesson in unit.lessons.all():
        assert lesson.get_absolute_url() in html
    section = Section.objects.order_by("pk").first()
    assert f'{section.lesson.get_absolute_url()}#{section.anchor}"' in html


def test_lesson_index_hides_drafts_from_visitors_but_shows_them_to_staff(client, staff):
    factories.LessonFactory(title="Published lesson")
    factories.LessonFactory(title="Secret draft", status=Status.DRAFT)
    assert "Secret draft" not in client.get(reverse("lessons:index")).content.decode()
    client.force_login(staff)
    assert "Secret draft" in client.get(reverse("lessons:index")).content.decode()


def test_lesson_index_links_plans_for_teachers_only(client, teacher, student):
    lesson = factories.LessonFactory()
    plan_url = reverse("lessons:plan", args=[lesson.slug])
    assert plan_url not in client.get(reverse("lessons:index")).content.decode()
    client.force_login(student)
    assert plan_url not in client.get(reverse("lessons:index")).content.decode()
    client.force_login(teacher)
    assert plan_url in client.get(reverse("lessons:index")).content.decode()


def test_lesson_index_query_count_does_not_grow_with_lessons(client, count_queries):
    full_lesson(size=1)
    few = count_queries(lambda: client.get(reverse("lessons:index")))
    for _ in range(6):
        full_lesson(size=4)
    assert count_queries(lambda: client.get(reverse("lessons:index"))) == few


# ---------------------------------------------------------------- reading


def test_reading_shows_sections_with_anchors_terms_sources_and_prompts(client, unit):
    lesson = unit.lessons.get(order=1)
    response = client.get(lesson.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for section in lesson.sections.all():
        assert f'id="{section.anchor}"' in html
        assert f'href="#{section.anchor}"' in html
    for term in lesson.key_terms.all():
        assert term.term in html
    quotation = lesson.quotations.first()
    assert 'class="primary-source"' in html
    assert quotation.speaker in html
    for prompt in lesson.prompts.all():
        assert escape(prompt.text) in html


def test_reading_renders_markdown_and_strips_html(client):
    lesson = factories.LessonFactory()
    factories.SectionFactory(lesson=lesson, body="Some **bold** words.\n\n<script>alert('x')</script><b onclick='x()'>b</b>")
    html = client.get(lesson.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in html
    assert "alert(" not in html
    assert "onclick" not in html


def test_reading_credits_the_source(client, unit):
    html = client.get(unit.lessons.get(order=3).get_absolute_url()).content.decode()
    assert "Dave Roos" in html
    assert "A&amp;E Television Networks" in html


def test_reading_never_shows_teacher_notes_even_to_teachers(client, teacher):
    lesson = factories.LessonFactory()
    factories.PromptFactory(lesson=lesson, strong_answer="SECRET-NOTES names the date")
    for user in (None, teacher):
        if user:
            client.force_login(user)
        assert "SECRET-NOTES" not in client.get(lesson.get_absolute_url()).content.decode()


def test_reading_shows_position_prompts_with_their_positions(client):
    prompt = factories.PositionPromptFactory()
    html = client.get(prompt.lesson.get_absolute_url()).content.decode()
    for position in prompt.positions:
        assert escape(position) in html
    assert "<textarea" not in html and "<input" not in html.split("<main", 1)[1].split("</main>")[0]


def test_draft_lesson_is_404_for_visitors_students_and_teachers(client, teacher, student):
    lesson = factories.LessonFactory(status=Status.DRAFT)
    assert client.get(lesson.get_absolute_url()).status_code == 404
    for user in (student, teacher):
        client.force_login(user)
        assert client.get(lesson.get_absolute_url()).status_code == 404
        assert client.get(reverse("lessons:handout", args=[lesson.slug])).status_code == 404


def test_staff_can_preview_a_draft_lesson(client, staff):
    lesson = factories.LessonFactory(status=Status.DRAFT)
    client.force_login(staff)
    response = client.get(lesson.get_absolute_url())
    assert response.status_code == 200
    assert "Draft" in response.content.decode()


def test_draft_prompt_is_hidden_from_visitors_but_shown_to_staff(client, staff):
    lesson = factories.LessonFactory()
    factories.PromptFactory(lesson=lesson, text="A published question")
    factories.PromptFactory(lesson=lesson, text="An unfinished question", status=Status.DRAFT)
    html = client.get(lesson.get_absolute_url()).content.decode()
    assert "A published question" in html
    assert "An unfinished question" not in html
    client.force_login(staff)
    assert "An unfinished question" in client.get(lesson.get_absolute_url()).content.decode()


def test_unknown_lesson_is_404(client):
    assert client.get(reverse("lessons:detail", args=["no-such-lesson"])).status_code == 404


def test_reading_links_to_the_neighbouring_lessons(client, unit):
    lesson = unit.lessons.get(order=2)
    html = client.get(lesson.get_absolute_url()).content.decode()
    assert unit.lessons.get(order=1).get_absolute_url() in html
    assert unit.lessons.get(order=3).get_absolute_url() in html


def test_reading_query_count_does_not_grow_with_sections(client, count_queries):
    small, large = full_lesson(size=2), full_lesson(size=8)
    assert count_queries(lambda: client.get(small.get_absolute_url())) == count_queries(
        lambda: client.get(large.get_absolute_url())
    )


def test_editing_a_section_in_the_admin_changes_the_page_at_once(client, staff, unit):
    section = Section.objects.select_related("lesson").order_by("pk").first()
    client.force_login(staff)
    response = client.post(
        reverse("admin:lessons_section_change", args=[section.pk]),
        {
            "lesson": section.lesson_id,
            "order": section.order,
            "anchor": section.anchor,
            "heading": section.heading,
            "body": "Freshly edited by an admin.",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert "Freshly edited by an admin." in client.get(section.lesson.get_absolute_url()).content.decode()


# ---------------------------------------------------------------- handout


def test_handout_has_reading_terms_questions_space_and_credit(client, unit):
    lesson = unit.lessons.get(order=1)
    response = client.get(reverse("lessons:handout", args=[lesson.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(lesson.sections.first().heading) in html
    assert lesson.key_terms.first().term in html
    assert html.count('class="answer-lines"') == lesson.prompts.count()
    assert "Dave Roos" in html
    assert escape(lesson.prompts.first().strong_answer) not in html


def test_handout_query_count_does_not_grow_with_sections(client, count_queries):
    small, large = full_lesson(size=2), full_lesson(size=8)
    assert count_queries(lambda: client.get(reverse("lessons:handout", args=[small.slug]))) == count_queries(
        lambda: client.get(reverse("lessons:handout", args=[large.slug]))
    )


# ---------------------------------------------------------------- timeline and map


def test_timeline_lists_the_events_by_year_with_lesson_links(client, unit):
    response = client.get(reverse("lessons:timeline"))
    assert response.status_code == 200
    html = response.content.decode()
    for year in range(1945, 1954):
        if unit.timeline_events.filter(date__year=year).exists():
            assert f'id="year-{year}"' in html
    assert "25 June 1950" in html
    assert "North Korea invades the South" in html
    assert unit.lessons.get(slug="invasion-and-the-uns-answer").get_absolute_url() in html
    assert "Dave Roos" in html


def test_timeline_does_not_link_a_draft_lesson_for_visitors(client):
    draft = factories.LessonFactory(status=Status.DRAFT)
    factories.TimelineEventFactory(unit=draft.unit, lesson=draft, title="Drafty event")
    html = client.get(reverse("lessons:timeline")).content.decode()
    assert "Drafty event" in html
    assert draft.get_absolute_url() not in html


def test_timeline_without_a_unit_is_404(client):
    assert client.get(reverse("lessons:timeline")).status_code == 404


def test_timeline_query_count_does_not_grow_with_events(client, count_queries):
    lesson = factories.LessonFactory()
    factories.TimelineEventFactory(unit=lesson.unit, lesson=lesson)
    few = count_queries(lambda: client.get(reverse("lessons:timeline")))
    for _ in range(20):
        factories.TimelineEventFactory(unit=lesson.unit, lesson=factories.LessonFactory(unit=lesson.unit))
    assert count_queries(lambda: client.get(reverse("lessons:timeline"))) == few


def test_map_shows_the_svg_with_a_text_alternative(client, unit):
    response = client.get(reverse("lessons:map"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "img/korea-map.svg" in html
    assert 'alt="Map of the Korean peninsula' in html
    for place in ("38th parallel", "Seoul", "Pyongyang", "Inchon", "Yalu River", "Manchuria", "MiG Alley"):
        assert place in html
    assert unit.lessons.get(slug="mig-alley").get_absolute_url() in html


def test_map_svg_labels_every_place_and_has_a_title():
    from django.contrib.staticfiles import finders

    svg = open(finders.find("img/korea-map.svg"), encoding="utf-8").read()
    assert "<title" in svg and "<desc" in svg
    for place in ("38th parallel", "Seoul", "Pyongyang", "Inchon", "Yalu River", "CHINA", "Manchuria", "MiG Alley"):
        assert f">{place}<" in svg or place in svg


def test_map_query_count_does_not_grow_with_lessons(client, count_queries):
    factories.LessonFactory()
    few = count_queries(lambda: client.get(reverse("lessons:map")))
    for _ in range(8):
        factories.LessonFactory()
    assert count_queries(lambda: client.get(reverse("lessons:map"))) == few


@pytest.mark.parametrize("name", ["home", "lessons:index", "lessons:timeline", "lessons:map"])
def test_public_pages_need_no_sign_in(client, unit, name):
    assert client.get(reverse(name)).status_code == 200
