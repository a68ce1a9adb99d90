"""The student's whole journey again, with the keyboard alone and on a phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import (
    DESKTOP,
    PHONE,
    POINTER_GUARD,
    Keyboard,
    Phone,
    expect_focus_visible,
    focus_ring,
    no_horizontal_scroll,
    pointer_used,
)
from tests.browser.test_journey_student import walk_student_journey, world  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_student_journey_with_the_keyboard_alone(browser, live_server, world, axe_check):  # noqa: F811
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(POINTER_GUARD)
    page = context.new_page()
    walk_student_journey(page, live_server.url, world, Keyboard(page), lambda: axe_check(page))
    assert pointer_used(page) is None
    context.close()


def test_student_journey_on_a_phone_never_scrolls_sideways(browser, live_server, world, axe_check):  # noqa: F811
    context = browser.new_context(viewport=PHONE, has_touch=True)
    page = context.new_page()
    actor = Phone(page)

    def check_page():
        actor.after_page()
        axe_check(page)

    walk_student_journey(page, live_server.url, world, actor, check_page)
    context.close()


def test_tab_reaches_the_first_link_with_a_visible_focus_ring_and_mouse_focus_does_not_hide_it(page, live_server):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    expect_focus_visible(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Korea Lessons")).to_be_focused()
    ring = focus_ring(page)
    assert ring.startswith("outline") and "3px" in ring, ring


@pytest.mark.parametrize("path", ["/", "/lessons/", "/timeline/", "/map/", "/join/", "/accounts/login/"])
def test_public_pages_fit_a_phone(page, live_server, path):
    from lessons import loader

    loader.load_unit()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + path)
    no_horizontal_scroll(page)


def test_the_pointer_guard_notices_a_click_so_the_keyboard_journey_proves_something(browser, live_server):
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(POINTER_GUARD)
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert pointer_used(page) is None
    page.get_by_role("heading", level=1).first.click()
    assert pointer_used(page) in {"pointerdown", "mousedown"}
    context.close()
