"""An admin corrects the unit's content in the admin and sees it on the public page at once."""

import re

import pytest
from playwright.sync_api import expect

from lessons import loader
from lessons.models import Prompt, Section
from tests import factories
from tests.browser.journeys import DESKTOP, PASSWORD, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LESSON = "The Question and the Letter"
NEW_HEADING = "A letter found in the Moscow archives"
NEW_SENTENCE = "Ask yourself who the letter was written for."
NEW_PROMPT = "Stalin's letter came months after the invasion. How does its timing change what it can prove?"


@pytest.fixture
def unit(live_server):
    loader.load_unit()


def test_admin_edits_a_section_and_a_prompt_and_the_public_page_shows_them(page, live_server, unit, axe_check):
    admin = factories.StaffFactory(username="editor")
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Please enter the correct username and password")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    axe_check(page)

    # A section: found by searching, renamed, and a sentence added to its body.
    page.get_by_role("link", name="Reading sections").click()
    expect(page.get_by_role("heading", name="Select reading section to change")).to_be_visible()
    page.get_by_role("textbox", name="Search", exact=True).fill("A letter from the archives")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="A letter from the archives").click()
    axe_check(page)
    page.get_by_label("Heading:").fill(NEW_HEADING)
    body = page.get_by_label("Body:")
    body.fill(body.input_value() + "\n\n" + NEW_SENTENCE)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile("was changed successfully"))).to_be_visible()

    # A prompt, reworded.
    page.get_by_role("link", name="Home", exact=True).click()
    page.get_by_role("link", name="Discussion prompts").click()
    expect(page.get_by_role("heading", name="Select discussion prompt to change")).to_be_visible()
    page.get_by_role("textbox", name="Search", exact=True).fill("What does that timing do")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=re.compile("^Stalin dictated his letter")).click()
    page.get_by_label("Question:", exact=True).fill(NEW_PROMPT)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile("was changed successfully"))).to_be_visible()
    axe_check(page)

    # The public page, as a visitor sees it.
    page.context.clear_cookies()
    page.goto(live_server.url + "/lessons/")
    page.get_by_role("link", name=re.compile(LESSON)).first.click()
    expect(page.get_by_role("heading", level=2, name=NEW_HEADING)).to_be_visible()
    expect(page.get_by_role("navigation", name="On this page").get_by_role("link", name=NEW_HEADING)).to_be_visible()
    expect(page.get_by_text(NEW_SENTENCE)).to_be_visible()
    expect(page.get_by_text(NEW_PROMPT)).to_be_visible()
    expect(page.get_by_text("What does that timing do")).to_have_count(0)
    axe_check(page)
    shot(page, "admin-edit-public", target=page.get_by_role("heading", level=2, name=NEW_HEADING))
    # Loading the content again keeps the admin's edits.
    loader.load_unit()
    assert Section.objects.filter(heading=NEW_HEADING).exists()
    assert Prompt.objects.filter(text=NEW_PROMPT).exists()
