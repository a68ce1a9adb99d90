"""A teacher's first lesson with the app, from sign-up to the exported marks,
while a student works in a browser of their own."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from lessons import loader
from tests.browser.journeys import (
    DESKTOP,
    expect_focus_visible,
    expect_linked_error,
    label,
    no_horizontal_scroll,
    shot,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LESSON = "The Question and the Letter"


@pytest.fixture
def unit(live_server):
    loader.load_unit()


def student_submits_first_take(browser, base_url, username, temporary_password, axe_check):
    """A bulk-added student, in their own browser, signs in from the login card and submits a first take."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, base_url, username, temporary_password)
    expect(page.get_by_role("heading", name="Choose your own password")).to_be_visible()
    axe_check(page)
    page.get_by_label(label("Old password")).fill(temporary_password)
    page.get_by_label(label("New password")).fill("lantern-harbor-88")
    page.get_by_label(label("New password confirmation")).fill("lantern-harbor-88")
    page.get_by_role("button", name="Save my new password").click()
    page.get_by_role("link", name=LESSON, exact=True).click()
    first_take = page.get_by_role("region", name="Question 1")
    first_take.get_by_label("Partly").check()
    first_take.get_by_label("Argue your position").fill(
        "Partly: the letter says he wanted America busy in Asia, but the Americans came in faster than he hoped."
    )
    first_take.get_by_label("A letter from the archives").check()
    first_take.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Submitted.", exact=True)).to_be_visible()
    context.close()


def test_teacher_signs_up_runs_a_lesson_reviews_returns_and_exports(page, live_server, unit, axe_check):
    page.set_viewport_size(DESKTOP)
    base = live_server.url
    page.goto(base + "/")
    axe_check(page)
    shot(page, "home")

    # Sign up: a mistake first, announced next to its field.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Teacher sign-up").click()
    page.get_by_label(label("Your name")).fill("Ms Park")
    page.get_by_label(label("Username")).fill("mspark")
    page.get_by_label(label("Email")).fill("park@school.example")
    page.get_by_label(label("Password")).fill("ridge-lantern-1950")
    page.get_by_label(label("Password confirmation")).fill("ridge-lantern-1951")
    page.get_by_role("button", name="Create my teacher account").click()
    expect_linked_error(page, "Password confirmation", "didn’t match")
    axe_check(page)
    confirmation = page.get_by_label(label("Password confirmation"))
    page.get_by_label(label("Password")).fill("ridge-lantern-1950")
    confirmation.fill("ridge-lantern-1950")
    page.get_by_role("button", name="Create my teacher account").click()
    expect(page.get_by_role("heading", name="My classes")).to_be_visible()
    axe_check(page)

    # A class, and students added from a pasted list.
    page.get_by_role("link", name="New class").click()
    page.get_by_label(label("Class name")).fill("Year 10 History")
    page.get_by_role("button", name="Create class").click()
    expect(page.get_by_role("heading", name="Year 10 History", level=1)).to_be_visible()
    page.get_by_role("link", name="Add students").click()
    axe_check(page)
    page.get_by_label(label("Student names, one per line")).fill("Ana Lima\nBen Cho\n")
    page.get_by_role("button", name="Create accounts").click()
    expect(page.get_by_role("heading", name="Login cards")).to_be_visible()
    axe_check(page)
    card = page.locator("li").filter(has_text="Ana Lima")
    username = card.locator("dd code").first.inner_text()
    temporary_password = card.locator("dd code").last.inner_text()
    page.get_by_role("link", name="Back to the class").click()
    expect(page.get_by_role("heading", name="2 students")).to_be_visible()
    axe_check(page)
    shot(page, "teacher-class")

    # The join code, big enough for the back of the room.
    page.get_by_role("link", name="Show code to the class").click()
    expect(page.get_by_role("heading", name="Join Year 10 History")).to_be_visible()
    expect(page.get_by_text(f"{base}/join/")).to_be_visible()
    axe_check(page)
    shot(page, "join-code")
    page.get_by_role("link", name="Back to the class").click()

    # Assign lesson 1, due in the future.
    page.get_by_role("link", name="Assign a lesson").click()
    axe_check(page)
    page.get_by_label(f"1. {LESSON}").check()
    page.get_by_label("Due at").fill("2099-05-01T15:00")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Assigned 1 lesson(s)")).to_be_visible()
    page.get_by_role("region", name="Assignments").get_by_role("link", name=LESSON, exact=True).click()

    # The grid, empty, then filled by a student working in another browser.
    expect(page.get_by_role("heading", name=LESSON, level=1)).to_be_visible()
    grid = page.get_by_role("table", name="Each student's reading progress and the status of each answer")
    expect(grid.get_by_role("row", name=re.compile("Ana Lima"))).to_contain_text("Not started")
    student_submits_first_take(page.context.browser, base, username, temporary_password, axe_check)
    page.reload()
    submitted = grid.get_by_role("link", name="Submitted: Ana Lima, prompt 1")
    expect(submitted).to_be_visible()
    expect(grid.get_by_role("row", name=re.compile("Ben Cho"))).to_contain_text("Not started")
    axe_check(page)
    shot(page, "progress-grid")

    # Review with the rubric, and return.
    submitted.click()
    expect(page.get_by_role("heading", name=re.compile("Ana Lima"), level=1)).to_be_visible()
    expect(page.get_by_text("the Americans came in faster than he hoped")).to_be_visible()
    axe_check(page)
    page.get_by_role("group", name="Claim").get_by_label(re.compile("^3: ")).check()
    page.get_by_role("group", name="Evidence").get_by_label(re.compile("^3: ")).check()
    page.get_by_role("group", name="Reasoning").get_by_label(re.compile("^2: ")).check()
    page.get_by_role("group", name="Use of sources").get_by_label(re.compile("^2: ")).check()
    comment = page.get_by_label("Comment", exact=True)
    comment.fill("A strong hunch. When was the letter written, and does that change what it proves?")
    comment.focus()
    page.keyboard.press("Tab")
    expect_focus_visible(page)
    shot(page, "review")
    page.get_by_role("button", name="Save and return").click()
    expect(page.get_by_text("Feedback returned to Ana Lima.")).to_be_visible()
    # With nobody else to review, returning leads back to the grid.
    expect(page.get_by_role("heading", name=LESSON, level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Returned: Ana Lima, prompt 1")).to_be_visible()
    no_horizontal_scroll(page)

    # The CSV opens in a spreadsheet: one row per student and prompt.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download answers (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2 * 3  # two students, three prompts in lesson 1
    ana_first = next(r for r in rows if r["Student"] == "Ana Lima" and r["Position"])
    assert ana_first["Status"] == "Returned"
    assert ana_first["Position"] == "Partly"
    assert ana_first["Cited sections"] == "A letter from the archives"
    assert ana_first["Claim"] == "3" and ana_first["Total (out of 16)"] == "10"
    assert ana_first["Comment"].startswith("A strong hunch.")
    assert ana_first["Feedback returned"] == "yes"
    assert {r["Status"] for r in rows if r["Student"] == "Ben Cho"} == {"Not started"}
