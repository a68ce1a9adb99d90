"""A teacher reviews with the keyboard and returns feedback; a revision shows what changed."""

import re

import pytest
from playwright.sync_api import expect

from lessons import services
from lessons.models import Response
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def sign_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def a_class_with_answers(names):
    teacher = factories.TeacherFactory(display_name="Ms Han")
    classroom = factories.ClassroomFactory(teacher=teacher, name="History 9B")
    lesson = factories.LessonFactory(title="The letter")
    factories.SectionFactory(lesson=lesson, heading="The letter to Gottwald")
    prompt = factories.PositionPromptFactory(lesson=lesson, text="Did the gamble backfire?")
    assignment = factories.AssignmentFactory(classroom=classroom, lesson=lesson)
    students = []
    for name in names:
        student = factories.EnrollmentFactory(classroom=classroom, student__display_name=name).student
        services.submit_response(
            student=student,
            assignment=assignment,
            prompt=prompt,
            answer=services.Answer(position="Partly", body=f"{name} thinks the war tied America down in Asia."),
            base_version=0,
        )
        students.append(student)
    return teacher, assignment, prompt, students


def choose_level(page, criterion_first_label, steps):
    """Pick a rubric level with the keyboard: focus the criterion, Space for level 1, arrows for more."""
    page.get_by_label(criterion_first_label).focus()
    page.keyboard.press("Space")
    for _ in range(steps):
        page.keyboard.press("ArrowDown")


def test_teacher_reviews_two_answers_with_the_keyboard_and_the_student_sees_the_feedback(page, live_server, axe_check):
    teacher, assignment, _prompt, (ahn, baek) = a_class_with_answers(["Ahn Jiwoo", "Baek Minseo"])
    sign_in(page, live_server, teacher)

    page.goto(f"{live_server.url}/teach/assignments/{assignment.pk}/")
    expect(page.get_by_role("heading", name="The letter", level=1)).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile("Submitted: Ahn Jiwoo")).click()

    expect(page.get_by_role("heading", name=re.compile("Ahn Jiwoo"), level=1)).to_be_visible()
    axe_check(page)
    # J and K move between students, but not while the teacher types in the comment.
    page.locator("body").press("j")
    expect(page.get_by_role("heading", name=re.compile("Baek Minseo"), level=1)).to_be_visible()
    page.locator("body").press("k")
    expect(page.get_by_role("heading", name=re.compile("Ahn Jiwoo"), level=1)).to_be_visible()

    choose_level(page, "1: No clear position, or it does not answer the question.", 2)  # claim 3
    choose_level(page, "1: No evidence from the reading.", 3)  # evidence 4
    comment = page.get_by_label("Comment", exact=True)
    comment.focus()
    page.keyboard.type("Good job: now judge just how far it backfired.")
    expect(page.get_by_role("heading", name=re.compile("Ahn Jiwoo"), level=1)).to_be_visible()
    page.get_by_role("button", name="Save and return").focus()
    page.keyboard.press("Enter")

    # Returning moves on to the next student.
    expect(page.get_by_text("Feedback returned to Ahn Jiwoo.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Baek Minseo"), level=1)).to_be_visible()
    choose_level(page, "1: Evidence is not explained.", 1)  # reasoning 2
    page.get_by_label("Comment", exact=True).focus()
    page.keyboard.type("Explain how the evidence supports your claim.")
    page.get_by_role("button", name="Save and return").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="The letter", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Returned: Ahn Jiwoo"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Returned: Baek Minseo"))).to_be_visible()

    sign_in(page, live_server, ahn)
    page.goto(f"{live_server.url}/learn/assignments/{assignment.pk}/")
    feedback = page.get_by_role("region", name="Feedback from your teacher")
    expect(feedback).to_contain_text("Good job: now judge just how far it backfired.")
    expect(feedback).to_contain_text("Claim: level 3 of 4")
    expect(feedback).to_contain_text("A clear position that answers the question.")
    expect(feedback).to_contain_text("Evidence: level 4 of 4")
    expect(feedback).not_to_contain_text("Explain how the evidence supports")
    axe_check(page)


def test_draft_feedback_stays_hidden_from_the_student(page, live_server):
    teacher, assignment, _prompt, (ahn,) = a_class_with_answers(["Ahn Jiwoo"])
    sign_in(page, live_server, teacher)
    answer = Response.objects.get(student=ahn)
    page.goto(f"{live_server.url}/teach/responses/{answer.pk}/")
    page.get_by_label("Comment", exact=True).fill("Not ready for the student yet.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("The student cannot see it yet.")).to_be_visible()

    sign_in(page, live_server, ahn)
    page.goto(f"{live_server.url}/learn/assignments/{assignment.pk}/")
    expect(page.get_by_text("Did the gamble backfire?").first).to_be_visible()
    expect(page.get_by_text("Not ready for the student yet.")).to_have_count(0)


def test_teacher_requests_a_revision_and_sees_the_highlighted_change_after_resubmission(page, live_server, axe_check):
    teacher, assignment, prompt, (ahn,) = a_class_with_answers(["Ahn Jiwoo"])
    answer = Response.objects.get(student=ahn)
    sign_in(page, live_server, teacher)
    page.goto(f"{live_server.url}/teach/responses/{answer.pk}/")
    page.get_by_label("Comment", exact=True).fill("Say why Asia mattered to Stalin.")
    page.get_by_role("button", name="Request revision").click()
    expect(page.get_by_text("Ahn Jiwoo has been asked to revise their answer.")).to_be_visible()

    # The student's editor reopens; they resubmit (through the coursework service).
    answer.refresh_from_db()
    assert answer.status == Response.Status.REVISING
    services.submit_response(
        student=ahn,
        assignment=assignment,
        prompt=prompt,
        answer=services.Answer(
            position="Yes, it backfired",
            body="Ahn Jiwoo thinks the war tied America down in Asia, which Stalin wanted to keep Europe quiet.",
        ),
        base_version=answer.version,
    )

    page.goto(f"{live_server.url}/teach/responses/{answer.pk}/")
    changes = page.get_by_role("region", name="What changed in the revision")
    expect(changes).to_be_visible()
    expect(changes.get_by_role("deletion").filter(has_text="Asia.")).to_be_visible()
    expect(changes.get_by_role("deletion").filter(has_text="Partly")).to_be_visible()
    expect(changes.get_by_role("insertion").filter(has_text="Stalin wanted to keep Europe quiet")).to_be_visible()
    expect(changes.get_by_role("insertion").filter(has_text="Yes, it backfired")).to_be_visible()
    axe_check(page)
