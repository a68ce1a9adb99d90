"""A teacher signs up and gets a class going; students get in with a code or a login card."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Classroom, Enrollment, User
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def label(text):
    """A form label, with or without crispy's required-field asterisk."""
    # Playwright matches a regex against the label's raw text, spaces included;
    # re.escape's "\ " is not valid in the browser's unicode-mode expressions.
    return re.compile(rf"^\s*{re.escape(text).replace(chr(92) + ' ', ' ')}\*?\s*$")


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label(label("Username")).fill(username)
    page.get_by_label(label("Password")).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_teacher_signs_up_creates_a_class_and_reads_the_code(page, live_server, axe_check):
    page.goto(f"{live_server.url}/accounts/signup/")
    axe_check(page)
    page.get_by_label(label("Your name")).fill("Ms Park")
    page.get_by_label(label("Username")).fill("mspark")
    page.get_by_label(label("Email")).fill("park@school.example")
    page.get_by_label(label("Password")).fill("ridge-lantern-1950")
    page.get_by_label(label("Password confirmation")).fill("ridge-lantern-1950")
    page.get_by_role("button", name="Create my teacher account").click()

    expect(page).to_have_url(f"{live_server.url}/teach/")
    expect(page.get_by_role("heading", name="My classes")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="New class").click()
    page.get_by_label(label("Class name")).fill("Year 10 History")
    page.get_by_role("button", name="Create class").click()

    expect(page.get_by_role("heading", name="Year 10 History", level=1)).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Show code to the class").click()
    classroom = Classroom.objects.get(teacher__username="mspark")
    code = page.locator(".join-code-big").inner_text().replace(" ", "").replace("\n", "")
    assert code.endswith(classroom.join_code)
    expect(page.get_by_text(f"{live_server.url}/join/")).to_be_visible()
    expect(page.locator("svg.join-qr")).to_be_visible()
    axe_check(page)


def test_student_joins_with_the_code_and_lands_on_learn(page, live_server, axe_check):
    classroom = factories.ClassroomFactory(name="Year 10 History")
    page.goto(f"{live_server.url}/join/")
    axe_check(page)
    page.get_by_label(label("Class code")).fill(classroom.join_code.lower())
    page.get_by_label(label("Your name")).fill("Minjun K")
    page.get_by_label(label("Username")).fill("minjun")
    page.get_by_label(label("Password")).fill("harbor-kite-2024")
    page.get_by_label(label("Password confirmation")).fill("harbor-kite-2024")
    page.get_by_role("button", name="Create account and join").click()

    expect(page).to_have_url(f"{live_server.url}/learn/")
    expect(page.get_by_text("Year 10 History").first).to_be_visible()
    assert Enrollment.objects.filter(classroom=classroom, student__username="minjun").exists()


def test_wrong_code_gets_a_clear_message(page, live_server):
    factories.ClassroomFactory()
    page.goto(f"{live_server.url}/join/")
    page.get_by_label(label("Class code")).fill("ZZZZZZZZ")
    page.get_by_label(label("Your name")).fill("Minjun K")
    page.get_by_label(label("Username")).fill("minjun")
    page.get_by_label(label("Password")).fill("harbor-kite-2024")
    page.get_by_label(label("Password confirmation")).fill("harbor-kite-2024")
    page.get_by_role("button", name="Create account and join").click()
    expect(page.get_by_text("No class has this code")).to_be_visible()
    assert not User.objects.filter(username="minjun").exists()


def test_bulk_added_student_signs_in_with_the_printed_card(page, live_server, axe_check):
    teacher = factories.TeacherFactory()
    classroom = factories.ClassroomFactory(teacher=teacher, name="Period 3")
    sign_in(page, live_server, teacher.username, PASSWORD)
    page.goto(f"{live_server.url}{classroom.get_absolute_url()}")
    page.get_by_role("link", name="Add students").click()
    axe_check(page)
    page.get_by_label(label("Student names, one per line")).fill("Ana Lima\n\n김민준\nZoë Martin\n")
    page.get_by_role("button", name="Create accounts").click()

    expect(page.get_by_role("heading", name="Login cards")).to_be_visible()
    axe_check(page)
    cards = page.locator(".login-card")
    expect(cards).to_have_count(3)
    card = cards.filter(has_text="김민준")
    username = card.locator(".login-card-username").inner_text()
    password = card.locator(".login-card-password").inner_text()
    assert username == "gimminjun"

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, username, password)
    expect(page.get_by_role("heading", name="Choose your own password")).to_be_visible()
    axe_check(page)
    page.get_by_label(label("Old password")).fill(password)
    page.get_by_label(label("New password")).fill("my-own-secret-77")
    page.get_by_label(label("New password confirmation")).fill("my-own-secret-77")
    page.get_by_role("button", name="Save my new password").click()
    expect(page).to_have_url(f"{live_server.url}/learn/")
    expect(page.get_by_text("Period 3").first).to_be_visible()
    assert not User.objects.get(username="gimminjun").must_change_password
