"""A reader's walk through the unit in a real browser, with axe on each page."""

import re

import pytest
from playwright.sync_api import expect

from lessons import loader
from lessons.models import Lesson

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def unit(live_server):
    loader.load_unit()
    return Lesson.objects.order_by("order").first()


def test_reader_opens_a_lesson_follows_a_section_anchor_and_opens_timeline_and_map(page, live_server, unit, axe_check):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile(rf"Lesson 1: {re.escape(unit.title)}")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(unit.title)
    axe_check(page)

    section = unit.sections.order_by("order").last()
    toc = page.get_by_role("navigation", name="On this page")
    toc.get_by_role("link", name=section.heading).click()
    expect(page).to_have_url(re.compile(rf"#{section.anchor}$"))
    expect(page.get_by_role("heading", level=2, name=section.heading)).to_be_in_viewport()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Timeline, 1945-1953")
    expect(page.get_by_text("North Korea invades the South")).to_be_visible()
    axe_check(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Map").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Map of Korea, 1950-1953")
    map_image = page.get_by_role("img", name=re.compile("Map of the Korean peninsula"))
    expect(map_image).to_be_visible()
    # The element can be visible before the SVG has been fetched: wait for it
    # to finish loading, then check it drew something. (Locator assertions,
    # not wait_for_function: the page's CSP forbids the eval that one uses.)
    expect(map_image).to_have_js_property("complete", True)
    expect(map_image).not_to_have_js_property("naturalWidth", 0)
    axe_check(page)


def test_lesson_index_and_handout_pass_axe(page, live_server, unit, axe_check):
    page.goto(live_server.url + "/lessons/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lessons")
    axe_check(page)
    page.goto(f"{live_server.url}/lessons/{unit.slug}/handout/")
    expect(page.get_by_text("Your answers")).to_be_visible()
    axe_check(page)


def test_teacher_plan_passes_axe_and_prints_cleanly(page, live_server, unit, axe_check):
    from tests.factories import TeacherFactory

    teacher = TeacherFactory(username="plan-teacher")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(teacher.username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    page.goto(f"{live_server.url}/lessons/{unit.slug}/plan/")
    expect(page.get_by_role("heading", name="Procedure")).to_be_visible()
    axe_check(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Print this plan")).to_be_hidden()
    expect(page.get_by_role("heading", name="Procedure")).to_be_visible()
