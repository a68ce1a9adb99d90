"""The printable pages (lesson plan, student handout, login cards) print cleanly:
Chromium makes a real PDF of them, and under print media the screen's
navigation and buttons are gone while the content stays and fits the paper."""

import re

import pytest
from playwright.sync_api import Page, expect

from lessons import loader
from lessons.models import Lesson
from tests import factories
from tests.browser.journeys import label, no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A4 less the print stylesheet's 1.5 cm margins, in CSS pixels.
PRINTABLE_WIDTH = round((21 - 2 * 1.5) / 2.54 * 96)


@pytest.fixture
def lesson(live_server) -> Lesson:
    loader.load_unit()
    return Lesson.objects.get(order=1)


def pdf_pages(page: Page) -> int:
    """Print the page to A4 and return how many pages the PDF has."""
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-"), "not a PDF"
    assert len(pdf) > 10_000, f"suspiciously small PDF: {len(pdf)} bytes"
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def expect_printed_without_screen_chrome(page: Page, *, buttons: list[str]) -> None:
    page.set_viewport_size({"width": PRINTABLE_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("contentinfo")).to_be_hidden()
    for name in buttons:
        expect(page.get_by_role("button", name=name)).to_be_hidden()
    no_horizontal_scroll(page)


def test_lesson_plan_prints_to_a_pdf_with_its_procedure_and_no_navigation(page, live_server, lesson):
    teacher = factories.TeacherFactory()
    sign_in(page, live_server.url, teacher.username)
    page.goto(f"{live_server.url}/lessons/{lesson.slug}/plan/")
    expect_printed_without_screen_chrome(page, buttons=["Print this plan"])
    expect(page.get_by_role("heading", name="Procedure")).to_be_visible()
    expect(page.get_by_text(lesson.plan_steps.order_by("order").first().instructions[:40]).first).to_be_visible()
    assert 1 <= pdf_pages(page) <= 8


def test_student_handout_prints_to_a_pdf_with_reading_and_answer_space(page, live_server, lesson):
    page.goto(f"{live_server.url}/lessons/{lesson.slug}/handout/")
    expect_printed_without_screen_chrome(page, buttons=[])
    expect(page.get_by_role("heading", level=1)).to_contain_text(lesson.title)
    expect(page.get_by_text("Your answers")).to_be_visible()
    section = lesson.sections.order_by("order").first()
    expect(page.get_by_role("heading", name=section.heading)).to_be_visible()
    assert 1 <= pdf_pages(page) <= 8


def test_login_cards_print_one_card_per_student_and_nothing_else(page, live_server):
    teacher = factories.TeacherFactory()
    classroom = factories.ClassroomFactory(teacher=teacher, name="Period 3")
    sign_in(page, live_server.url, teacher.username)
    page.goto(f"{live_server.url}{classroom.get_absolute_url()}")
    page.get_by_role("link", name="Add students").click()
    names = [f"Student {n}" for n in range(1, 13)]
    page.get_by_label(label("Student names, one per line")).fill("\n".join(names))
    page.get_by_role("button", name="Create accounts").click()
    expect(page.get_by_role("heading", name="Login cards")).to_be_visible()

    expect_printed_without_screen_chrome(page, buttons=["Print login cards"])
    # The one-time-password warning and the page heading are for the screen only.
    expect(page.get_by_role("heading", name="Login cards")).to_be_hidden()
    cards = page.get_by_role("listitem").filter(has_text="Temporary password")
    expect(cards).to_have_count(12)
    for card in cards.all():
        expect(card).to_be_visible()
    assert 1 <= pdf_pages(page) <= 4
