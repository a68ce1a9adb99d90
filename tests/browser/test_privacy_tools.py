"""A teacher downloads a student's data and deletes the student, in a real
browser, with the keyboard-friendly, labelled form; the privacy page passes axe."""

import json

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.security.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_privacy_page_reads_well_and_passes_axe(page, live_server, axe_check):
    page.goto(live_server.url + "/privacy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy")
    expect(page.get_by_role("heading", name="What we store, and why")).to_be_visible()
    axe_check(page)


def test_a_teacher_downloads_a_students_data_then_deletes_the_student(page, live_server, axe_check):
    world = build_world()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(world.teacher.username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")

    page.goto(f"{live_server.url}/teach/students/{world.student.pk}/delete/?from={world.classroom.pk}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.student.name)
    axe_check(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this student's data first (JSON)").click()
    download = download_info.value
    assert download.suggested_filename == f"student-{world.student.pk}-data.json"
    data = json.loads(open(download.path(), encoding="utf-8").read())
    assert data["answers"][0]["answer"] == world.response.body

    page.get_by_label("Type the student's username to confirm").fill("not-them")
    page.get_by_role("button", name="Delete this student for good").click()
    expect(page.get_by_text("That is not this student's username; nothing was deleted.")).to_be_visible()
    assert User.objects.filter(pk=world.student.pk).exists()

    page.get_by_label("Type the student's username to confirm").fill(world.student.username)
    page.get_by_role("button", name="Delete this student for good").click()
    expect(page.get_by_text("and all of their work have been deleted")).to_be_visible()
    assert page.url.endswith(f"/teach/classes/{world.classroom.pk}/")
    assert not User.objects.filter(pk=world.student.pk).exists()
