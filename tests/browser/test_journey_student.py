"""A student's whole journey: join with the code, read, take a position, argue
with evidence, lose the connection and the session without losing a word,
submit, discuss, see the teacher's feedback and revise.

`walk_student_journey` is also walked with the keyboard alone and on a phone
(test_keyboard_and_phone.py).
"""

import re
import time
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Classroom, User
from lessons import loader, review_services, services
from lessons.models import Assignment, Lesson, Response
from tests import factories
from tests.browser.journeys import DESKTOP, Mouse, expect_linked_error, label, open_main_menu_item, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LESSON = "The Question and the Letter"
FIRST_TAKE = "Partly: he got the Americans busy in Asia, but I think they came in faster than he wanted."
SOURCING = "He dictated the letter after the Americans joined the war, so it may explain a surprise away."
OFFLINE = "Getting Mao's promise first looks like a careful leader, not one hoping for an American war."
REVISED = " The letter came months later, so his actions before June 1950 are the better evidence."


@dataclass
class World:
    teacher: User
    classroom: Classroom
    assignment: Assignment


@pytest.fixture
def world(live_server) -> World:
    """Lesson 1 of the real unit, assigned with discussion to a class where one classmate has posted."""
    loader.load_unit()
    teacher = factories.TeacherFactory(display_name="Ms Park")
    classroom = factories.ClassroomFactory(teacher=teacher, name="Year 10 History")
    lesson = Lesson.objects.get(order=1)
    assignment = factories.AssignmentFactory(classroom=classroom, lesson=lesson, discussion_on=True, post_first=True)
    classmate = factories.EnrollmentFactory(classroom=classroom, student__display_name="Jiwoo Ahn").student
    for prompt in assignment.assigned_prompts():
        services.submit_response(
            student=classmate,
            assignment=assignment,
            prompt=prompt,
            answer=services.Answer(
                position=prompt.positions[0] if prompt.positions else "",
                body="Jiwoo thinks the United States entering the war surprised Stalin.",
            ),
            base_version=0,
        )
    return World(teacher=teacher, classroom=classroom, assignment=assignment)


def question(page: Page, number: int):
    return page.get_by_role("region", name=f"Question {number}")


def expect_saved(page: Page, number: int):
    """The question says "Saved" in a live region, and the server has everything typed so far
    (the browser drops its own copy once the server confirms it)."""
    status = question(page, number).get_by_role("status").filter(has_text=re.compile(r"^(Saved|Not saved)"))
    expect(status).to_have_text(re.compile(r"^Saved \d\d:\d\d$"))
    expect(status).to_have_attribute("aria-live", "polite")
    # Polled from here rather than with wait_for_function, which needs the
    # eval that the page's Content Security Policy refuses.
    deadline = time.monotonic() + 20
    while page.evaluate("Object.keys(localStorage).some(k => k.startsWith('kl-draft:'))"):
        assert time.monotonic() < deadline, "the browser still holds a copy the server never confirmed"
        page.wait_for_timeout(100)


def teacher_reviews(world: World, student: User) -> None:
    """The teacher returns the first take with feedback and asks for the second answer to be revised."""
    answers = {r.prompt.order: r for r in Response.objects.filter(student=student).select_related("prompt")}
    first, second = sorted(answers)[:2]
    review_services.return_feedback(
        teacher=world.teacher,
        response=answers[first],
        scores={"claim": 3, "evidence": 2},
        comment="Good hunch. Which section made you think the Americans came in fast?",
    )
    review_services.request_revision(
        teacher=world.teacher,
        response=answers[second],
        scores={},
        comment="Say which actions before the war are better evidence than the letter.",
    )


def walk_student_journey(page: Page, base_url: str, world: World, actor: Mouse, check_page) -> None:
    """The whole journey, acted out by `actor`; `check_page` runs on every page type reached."""
    page.goto(base_url + "/")
    check_page()

    # Join with the code: a mistake first, announced at its field.
    open_main_menu_item(actor, "Join a class")
    expect(page.get_by_role("heading", name="Join a class", level=1)).to_be_visible()
    actor.fill(page.get_by_label(label("Class code")), world.classroom.join_code.lower())
    actor.fill(page.get_by_label(label("Your name")), "Minjun Kim")
    actor.fill(page.get_by_label(label("Username")), "minjun")
    actor.fill(page.get_by_label(label("Password")), "harbor-kite-2024")
    actor.fill(page.get_by_label(label("Password confirmation")), "harbor-kite-2025")
    actor.press(page.get_by_role("button", name="Create account and join"))
    expect_linked_error(page, "Password confirmation", "didn’t match")
    check_page()
    actor.fill(page.get_by_label(label("Password")), "harbor-kite-2024")
    actor.fill(page.get_by_label(label("Password confirmation")), "harbor-kite-2024")
    actor.press(page.get_by_role("button", name="Create account and join"))
    expect(page.get_by_role("heading", name="My work", level=1)).to_be_visible()
    check_page()

    # Read the lesson on its public page.
    open_main_menu_item(actor, "Lessons")
    expect(page.get_by_role("heading", name="Lessons", level=1)).to_be_visible()
    check_page()
    actor.press(page.get_by_role("link", name=re.compile(LESSON)).first)
    expect(page.get_by_role("heading", level=1)).to_contain_text(LESSON)
    check_page()
    shot(page, "lesson-reading")

    # Open the assignment and read there.
    open_main_menu_item(actor, "My work")
    actor.press(page.get_by_role("link", name=LESSON, exact=True))
    expect(page.get_by_role("heading", name=LESSON, level=1)).to_be_visible()
    # Reading to the end of a section marks it read.
    read_boxes = page.get_by_label("I have read this section")
    for box in read_boxes.all():
        box.scroll_into_view_if_needed()
        expect(box).to_be_checked()
    expect(page.get_by_role("status").filter(has_text="Sections read:")).to_have_text("Sections read: 3 of 3")
    check_page()
    shot(page, "student-assignment")

    # A first take, and an answer citing the sections it rests on.
    first_take = question(page, 1)
    actor.check(first_take.get_by_label("Partly"))
    box = first_take.get_by_label("Argue your position")
    actor.fill(box, FIRST_TAKE)
    actor.leave(box)
    expect_saved(page, 1)
    sourcing = question(page, 2)
    box = sourcing.get_by_label("Your answer")
    actor.fill(box, SOURCING)
    actor.check(sourcing.get_by_label("A letter from the archives"))
    actor.check(sourcing.get_by_label("Why historians have doubts"))
    actor.leave(sourcing.get_by_label("Why historians have doubts"))
    expect_saved(page, 2)

    # A reload loses nothing.
    page.reload()
    expect(question(page, 1).get_by_label("Partly")).to_be_checked()
    expect(question(page, 1).get_by_label("Argue your position")).to_have_value(FIRST_TAKE)
    expect(question(page, 2).get_by_label("Your answer")).to_have_value(SOURCING)
    expect(question(page, 2).get_by_label("Why historians have doubts")).to_be_checked()

    # The network drops and the session ends while typing: the words wait in the browser.
    page.route("**/autosave/", lambda route: route.abort())
    box = question(page, 3).get_by_label("Your answer")
    actor.fill(box, OFFLINE)
    actor.leave(box)
    expect(question(page, 3).get_by_role("status").filter(has_text="Not saved")).to_have_text("Not saved - retrying")
    page.context.clear_cookies()
    page.unroute("**/autosave/")
    sign_in_again = question(page, 3).get_by_role("link", name="Sign in again")
    expect(sign_in_again).to_be_visible(timeout=15000)
    expect(box).to_have_value(OFFLINE)
    actor.press(sign_in_again)
    # A wrong password is announced before the right one gets back in.
    actor.fill(page.get_by_label(label("Username")), "minjun")
    actor.fill(page.get_by_label(label("Password")), "harbor-kite-1999")
    actor.press(page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username and password")
    check_page()
    actor.fill(page.get_by_label(label("Password")), "harbor-kite-2024")
    actor.press(page.get_by_role("button", name="Sign in"))
    expect(question(page, 3).get_by_label("Your answer")).to_have_value(OFFLINE)
    expect_saved(page, 3)

    # Submit all three.
    for number in (1, 2, 3):
        actor.press(question(page, number).get_by_role("button", name="Submit"))
        expect(page.get_by_role("status").filter(has_text="Submitted.")).to_be_visible()
        expect(question(page, number).get_by_text("Submitted", exact=True)).to_be_visible()
    check_page()

    # Join the discussion.
    actor.press(question(page, 2).get_by_role("link", name="See classmates' answers and discuss"))
    expect(page.get_by_role("heading", name="Discussion", level=1)).to_be_visible()
    expect(page.get_by_text("Jiwoo thinks the United States entering the war surprised Stalin.")).to_be_visible()
    actor.fill(page.get_by_label("Reply to Jiwoo Ahn"), "Which section shows he was surprised?")
    actor.press(page.get_by_role("button", name="Post reply"))
    expect(page.get_by_text("Which section shows he was surprised?")).to_be_visible()
    check_page()
    actor.press(page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=LESSON))
    expect(page.get_by_role("heading", name=LESSON, level=1)).to_be_visible()

    # The teacher reviews; the student sees the feedback and revises.
    teacher_reviews(world, User.objects.get(username="minjun"))
    page.reload()
    feedback = question(page, 1).get_by_role("region", name="Feedback from your teacher")
    expect(feedback).to_contain_text("Which section made you think the Americans came in fast?")
    expect(feedback).to_contain_text("Claim: level 3 of 4")
    check_page()
    shot(page, "student-feedback", target=feedback)
    revising = question(page, 2)
    expect(revising.get_by_text("Your teacher asked you to revise this answer.")).to_be_visible()
    expect(revising.get_by_role("region", name="Feedback from your teacher")).to_contain_text(
        "Say which actions before the war"
    )
    actor.fill(revising.get_by_label("Your answer"), SOURCING + REVISED)
    actor.press(revising.get_by_role("button", name="Submit"))
    expect(question(page, 2).get_by_text("Submitted", exact=True)).to_be_visible()
    revised = Response.objects.get(student__username="minjun", prompt__order=2, assignment=world.assignment)
    assert revised.status == Response.Status.SUBMITTED
    assert revised.body == SOURCING + REVISED
    assert revised.versions.filter(kind="submitted").count() == 2


def test_student_joins_reads_answers_survives_a_lost_session_discusses_and_revises(page, live_server, world, axe_check):
    page.set_viewport_size(DESKTOP)
    walk_student_journey(page, live_server.url, world, Mouse(page), lambda: axe_check(page))
