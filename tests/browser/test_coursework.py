"""A student's work in a real browser: autosave, recovery after a lost
connection or session, one submission per double click, discussion after posting."""

import re

import pytest
from playwright.sync_api import expect

from lessons.models import Response, ResponseVersion
from tests import factories as f
from tests.lessons.coursework_setup import make_assignment, open_prompt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def setup(db):
    classroom = f.ClassroomFactory()
    student = f.EnrollmentFactory(classroom=classroom, student__username="ana").student
    assignment = make_assignment(classroom)
    return {"classroom": classroom, "student": student, "assignment": assignment, "prompt": open_prompt(assignment)}


def sign_in(page, username="ana"):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def open_assignment(page, live_server, setup):
    page.goto(f"{live_server.url}/accounts/login/?next=/learn/assignments/{setup['assignment'].pk}/")
    sign_in(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(setup["assignment"].lesson.title)
    # Sections in view are marked read at once; let that finish (the test server is one SQLite writer).
    page.wait_for_load_state("networkidle")


def answer_box(page, setup):
    return page.locator(f"#prompt-{setup['prompt'].pk}").get_by_label("Your answer")


def status_line(page, setup):
    return page.locator(f"#prompt-{setup['prompt'].pk} [data-save-status]")


def type_and_wait_for_saved(page, setup, text):
    # The in-memory SQLite of the test server refuses two writers at once, so
    # let the autosave (fired when focus leaves the box) finish before submitting.
    answer_box(page, setup).fill(text)
    answer_box(page, setup).press("Tab")
    expect(status_line(page, setup)).to_have_text(re.compile(r"^Saved "))


def test_student_reads_types_sees_saved_and_finds_the_text_after_reload(page, live_server, setup, axe_check):
    open_assignment(page, live_server, setup)
    # Reaching the end of a section marks it read.
    first_section = page.get_by_label("I have read this section").first
    first_section.scroll_into_view_if_needed()
    expect(first_section).to_be_checked()
    expect(page.locator("[data-read-count]")).not_to_have_text("0")
    box = answer_box(page, setup)
    box.fill("Stalin wanted the Americans tied down far from Europe.")
    expect(page.locator(f"#words-{setup['prompt'].pk}")).to_have_text("9 words")
    box.press("Tab")
    expect(status_line(page, setup)).to_have_text(re.compile(r"^Saved \d\d:\d\d$"))
    page.reload()
    expect(answer_box(page, setup)).to_have_value("Stalin wanted the Americans tied down far from Europe.")
    expect(page.get_by_label("I have read this section").first).to_be_checked()
    axe_check(page)


def test_text_typed_offline_and_after_the_session_ends_is_restored_after_signing_in(page, live_server, setup):
    open_assignment(page, live_server, setup)
    page.route("**/autosave/", lambda route: route.abort())
    box = answer_box(page, setup)
    box.fill("Written while the wifi was down.")
    box.press("Tab")
    expect(status_line(page, setup)).to_have_text("Not saved - retrying")
    # The session ends too; the network comes back.
    page.context.clear_cookies()
    page.unroute("**/autosave/")
    sign_in_link = page.get_by_role("link", name="Sign in again")
    expect(sign_in_link).to_be_visible(timeout=15000)
    expect(answer_box(page, setup)).to_have_value("Written while the wifi was down.")
    assert not Response.objects.filter(body="Written while the wifi was down.").exists()
    sign_in_link.click()
    sign_in(page)
    expect(answer_box(page, setup)).to_have_value("Written while the wifi was down.")
    expect(status_line(page, setup)).to_have_text(re.compile(r"^Saved "))
    assert Response.objects.get(student=setup["student"]).body == "Written while the wifi was down."


def test_double_click_on_submit_makes_one_submission(page, live_server, setup):
    open_assignment(page, live_server, setup)
    type_and_wait_for_saved(page, setup, "My final answer.")
    page.locator(f"#prompt-{setup['prompt'].pk}").get_by_role("button", name="Submit").dblclick()
    expect(page.get_by_text("Submitted.", exact=True)).to_be_visible()
    assert Response.objects.get(student=setup["student"]).status == "submitted"
    assert ResponseVersion.objects.filter(kind="submitted").count() == 1


def test_discussion_appears_only_after_the_student_posts(page, live_server, setup, axe_check):
    from lessons import services

    classmate = f.EnrollmentFactory(classroom=setup["classroom"]).student
    services.submit_response(
        student=classmate,
        assignment=setup["assignment"],
        prompt=setup["prompt"],
        answer=services.Answer(body="The classmate thinks it backfired."),
        base_version=0,
    )
    open_assignment(page, live_server, setup)
    card = page.locator(f"#prompt-{setup['prompt'].pk}")
    expect(card.get_by_text("Submit your answer to see your classmates' answers.")).to_be_visible()
    expect(card.get_by_role("link", name="See classmates' answers and discuss")).to_have_count(0)
    type_and_wait_for_saved(page, setup, "I think it partly backfired.")
    card.get_by_role("button", name="Submit").click()
    page.locator(f"#prompt-{setup['prompt'].pk}").get_by_role(
        "link", name="See classmates' answers and discuss"
    ).click()
    expect(page.get_by_text("The classmate thinks it backfired.")).to_be_visible()
    page.get_by_label(re.compile("^Reply to")).fill("Which section shows that?")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Which section shows that?")).to_be_visible()
    axe_check(page)


def test_teacher_assigns_a_lesson_from_the_class_page(page, live_server, setup, axe_check):
    classroom = setup["classroom"]
    lesson = setup["assignment"].lesson
    page.goto(f"{live_server.url}/accounts/login/?next=/teach/classes/{classroom.pk}/assign/")
    sign_in(page, classroom.teacher.username)
    axe_check(page)
    page.get_by_label(f"{lesson.order}. {lesson.title}").check()
    page.get_by_label("Due at").fill("2099-05-01T15:00")
    page.get_by_label("Close at the due time").check()
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Assigned 1 lesson(s)")).to_be_visible()
    from lessons.models import Assignment

    newest = Assignment.objects.latest("pk")
    assert newest.late_policy == "close" and newest.post_first and newest.due_at.year == 2099


def test_a_stale_tab_is_shown_both_versions_to_choose_from(page, live_server, setup):
    open_assignment(page, live_server, setup)
    box = answer_box(page, setup)
    box.fill("First words.")
    box.press("Tab")
    expect(status_line(page, setup)).to_have_text(re.compile(r"^Saved "))
    other = page.context.new_page()
    other.goto(page.url)
    other.wait_for_load_state("load")
    other_box = answer_box(other, setup)
    other_box.fill("Written in the other tab.")
    other_box.press("Tab")
    expect(status_line(other, setup)).to_have_text(re.compile(r"^Saved "))
    box.fill("Written in the first tab.")
    box.press("Tab")
    conflict = page.locator(f"#prompt-{setup['prompt'].pk} [data-conflict]")
    expect(conflict).to_contain_text("Written in the other tab.")
    expect(conflict).to_contain_text("Written in the first tab.")
    assert Response.objects.get().body == "Written in the other tab."
    conflict.get_by_role("button", name="Keep this tab's version").click()
    expect(status_line(page, setup)).to_have_text(re.compile(r"^Saved "))
    assert Response.objects.get().body == "Written in the first tab."
    assert ResponseVersion.objects.filter(body="Written in the other tab.").exists()



def test_reload_while_a_save_is_on_its_way_restores_the_newer_text_without_a_conflict(page, live_server, setup):
    """The page was closed after a save was sent but before its answer came
    back: the server's newer version is that save, not another tab's, so the
    text typed after it comes back without asking the student to choose."""
    open_assignment(page, live_server, setup)
    sent_text = "First thoughts about the letter."
    type_and_wait_for_saved(page, setup, sent_text)
    form = page.locator(f"#prompt-{setup['prompt'].pk} form[data-autosave-url]")
    key = form.get_attribute("data-storage-key")
    version = int(form.locator("[data-version]").input_value())
    typed_after = sent_text + " Then more, typed while that save was on its way."
    # What the device holds when the reload comes mid-save: the answer sent
    # (now the server's version), based on the version before it, plus the
    # text typed after it.
    page.evaluate(
        """([key, base, sentText, typed]) => {
            const sent = {position: "", body: sentText, cited_sections: [], quoted_sentence: ""};
            localStorage.setItem(key, JSON.stringify({
              answer: Object.assign({}, sent, {body: typed}), base: base, at: Date.now(), pending: sent}));
        }""",
        [key, version - 1, sent_text, typed_after],
    )
    page.reload()
    expect(answer_box(page, setup)).to_have_value(typed_after)
    expect(page.locator(f"#prompt-{setup['prompt'].pk} [data-conflict]")).to_be_hidden()
    expect(status_line(page, setup)).to_have_text(re.compile(r"^Saved "))
    response = Response.objects.get(student=setup["student"], prompt=setup["prompt"])
    assert response.body == typed_after
