import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_loads_with_its_heading_and_passes_axe(page, live_server, axe_check):
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).first.is_visible()
    assert "Korea Lessons" in page.title()
    axe_check(page)


def test_skip_link_moves_focus_to_the_main_content(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
