"""Helpers for the whole-journey browser tests: acting as a person would,
checking what every page owes its readers, and taking the README's screenshots.

Screenshots are written only when SCREENSHOTS=1 is set, so an ordinary test
run never touches the working tree: `SCREENSHOTS=1 make test` refreshes them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

PASSWORD = "correct-horse-battery"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def label(text: str) -> re.Pattern:
    """A form label, with or without crispy's required-field asterisk."""
    # re.escape's "\ " is not valid in the browser's unicode-mode expressions.
    return re.compile(rf"^\s*{re.escape(text).replace(chr(92) + ' ', ' ')}\*?\s*$")


def sign_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label(label("Username")).fill(username)
    page.get_by_label(label("Password")).fill(password)
    page.get_by_role("button", name="Sign in").click()


def no_horizontal_scroll(page: Page) -> None:
    """Nothing on the page is wider than the window (so a phone never scrolls sideways)."""
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, window: window.innerWidth,"
        " wide: [...document.querySelectorAll('body *')]"
        "   .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)"
        "   .slice(0, 5).map(el => el.tagName + '.' + el.className)})"
    )
    assert widths["scroll"] <= widths["window"], f"{page.url} scrolls sideways: {widths}"


def focus_ring(page: Page) -> str:
    """The focus indicator of the element that has focus now: an outline or a box shadow."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
            ? `outline ${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}` : '';
          const shadow = style.boxShadow !== 'none' ? `box-shadow ${style.boxShadow}` : '';
          return outline || shadow;
        }"""
    )


def expect_focus_visible(page: Page) -> None:
    assert focus_ring(page), f"no visible focus on {page.evaluate('document.activeElement.outerHTML.slice(0, 120)')}"


def expect_linked_error(page: Page, field_label: str | re.Pattern, message: str) -> None:
    """A field's error is announced with it: aria-invalid, and aria-describedby naming the message."""
    field = page.get_by_label(label(field_label) if isinstance(field_label, str) else field_label)
    expect(field).to_have_attribute("aria-invalid", "true")
    described = field.get_attribute("aria-describedby") or ""
    texts = [page.locator(f"[id='{ident}']").inner_text() for ident in described.split()]
    assert any(message in text for text in texts), f"{message!r} not in the field's description {texts}"


def shot(page: Page, name: str, target: Locator | None = None) -> None:
    """Screenshots of this screen at desktop and phone size, when SCREENSHOTS=1,
    scrolled to the top or to `target`."""
    if os.environ.get("SCREENSHOTS") != "1":
        return
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size
    for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        if target is not None:
            target.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-{size_name}.png"), full_page=False, animations="disabled")
    if before:
        page.set_viewport_size(before)


class Mouse:
    """Acts as most people do: pointing and clicking, typing into fields."""

    name = "mouse"

    def __init__(self, page: Page):
        self.page = page

    def press(self, target: Locator) -> None:
        target.click()

    def check(self, target: Locator) -> None:
        target.check()

    def fill(self, target: Locator, text: str) -> None:
        target.fill(text)

    def leave(self, target: Locator) -> None:
        """Move on from a field (which is when autosave saves)."""
        target.press("Tab")

    def after_page(self) -> None:
        pass


class Keyboard(Mouse):
    """Acts with the keyboard alone: focus, Enter, Space and typing; never a click."""

    name = "keyboard"

    def press(self, target: Locator) -> None:
        target.focus()
        expect_focus_visible(self.page)
        self.page.keyboard.press("Enter")

    def check(self, target: Locator) -> None:
        target.focus()
        expect_focus_visible(self.page)
        if not target.is_checked():
            self.page.keyboard.press("Space")
        expect(target).to_be_checked()

    def fill(self, target: Locator, text: str) -> None:
        target.focus()
        expect_focus_visible(self.page)
        self.page.keyboard.press("ControlOrMeta+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.insert_text(text)

    def leave(self, target: Locator) -> None:
        self.page.keyboard.press("Tab")


class Phone(Mouse):
    """Acts on a 375-pixel-wide screen, and checks no page scrolls sideways."""

    name = "phone"

    def after_page(self) -> None:
        no_horizontal_scroll(self.page)


POINTER_GUARD = """
for (const type of ['pointerdown', 'mousedown', 'touchstart']) {
  window.addEventListener(type, (event) => {
    if (event.isTrusted) localStorage.setItem('kl-test-pointer', type);
  }, true);
}
"""


def pointer_used(page: Page) -> str | None:
    """The pointer event seen since POINTER_GUARD was installed, if any."""
    return page.evaluate("localStorage.getItem('kl-test-pointer')")


def open_main_menu_item(actor: Mouse, name: str) -> None:
    """Follow a link of the main navigation, opening the collapsed menu first on a narrow screen."""
    page = actor.page
    nav = page.get_by_role("navigation", name="Main")
    toggle = nav.get_by_role("button", name="Toggle navigation")
    if toggle.is_visible():
        actor.press(toggle)
        expect(toggle).to_have_attribute("aria-expanded", "true")
    link = nav.get_by_role("link", name=name, exact=True)
    expect(link).to_be_visible()
    actor.press(link)
