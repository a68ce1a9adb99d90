"""Shared Chromebooks: after one student signs out, the next person at the
device cannot bring the previous student's pages back with the Back button."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.security.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_after_sign_out_the_back_button_does_not_show_the_previous_students_work(page, live_server):
    world = build_world()
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Username").fill(world.student.username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    page.goto(live_server.url + reverse("coursework:history", args=[world.assignment.pk, world.prompt.pk]))
    expect(page.get_by_text(world.response.body).first).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")
    page.go_back()
    page.wait_for_load_state("load")

    assert world.response.body not in page.content()
    assert world.student.display_name not in page.content()
