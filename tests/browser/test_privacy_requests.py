"""Privacy in a real browser: on every kind of page (public, teacher, student,
admin) every request the browser makes goes to the app's own origin, and no
page trips the Content Security Policy."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.security.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


class Recorder:
    """Every request the page makes, and every CSP complaint in the console."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.csp_errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_errors.append(message.text)

    def foreign(self, origin: str) -> list[str]:
        local_schemes = {"data", "blob", "about"}
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in local_schemes and f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" != origin
        ]


def sign_in(page, live_server, username: str, path: str = "/accounts/login/") -> None:
    page.goto(live_server.url + path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in" if path.startswith("/admin") else "Sign in").click()
    page.wait_for_load_state("load")


def visit_all(page, live_server, recorder: Recorder, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    origin = live_server.url.rstrip("/")
    assert recorder.requests, "nothing was recorded"
    assert not recorder.foreign(origin), f"requests to other origins: {recorder.foreign(origin)}"
    assert not recorder.csp_errors, f"Content Security Policy violations: {recorder.csp_errors}"


@pytest.fixture
def world(transactional_db):
    return build_world()


def test_public_pages_only_talk_to_the_apps_own_origin(page, live_server, world):
    recorder = Recorder(page)
    visit_all(
        page,
        live_server,
        recorder,
        [
            "/",
            reverse("lessons:index"),
            reverse("lessons:detail", args=[world.lesson.slug]),
            reverse("lessons:handout", args=[world.lesson.slug]),
            reverse("lessons:timeline"),
            reverse("lessons:map"),
            reverse("privacy"),
            reverse("accounts:login"),
            reverse("accounts:signup"),
            reverse("join"),
            reverse("accounts:password_reset"),
        ],
    )


def test_teacher_pages_only_talk_to_the_apps_own_origin(page, live_server, world):
    recorder = Recorder(page)
    sign_in(page, live_server, world.teacher.username)
    visit_all(
        page,
        live_server,
        recorder,
        [
            reverse("teach:dashboard"),
            reverse("teach:classroom", args=[world.classroom.pk]),
            reverse("teach:join_code", args=[world.classroom.pk]),
            reverse("teach:students_add", args=[world.classroom.pk]),
            reverse("coursework:assign", args=[world.classroom.pk]),
            reverse("coursework:moderate", args=[world.assignment.pk]),
            reverse("review:progress", args=[world.assignment.pk]),
            reverse("review:response", args=[world.response.pk]),
            reverse("lessons:plan", args=[world.lesson.slug]),
            reverse("privacy_tools:student_delete", args=[world.student.pk]),
            reverse("accounts:password_change"),
        ],
    )


def test_student_pages_only_talk_to_the_apps_own_origin(page, live_server, world):
    recorder = Recorder(page)
    sign_in(page, live_server, world.student.username)
    visit_all(
        page,
        live_server,
        recorder,
        [
            reverse("coursework:learn"),
            reverse("coursework:assignment", args=[world.assignment.pk]),
            reverse("coursework:history", args=[world.assignment.pk, world.prompt.pk]),
            reverse("coursework:discussion", args=[world.assignment.pk, world.prompt.pk]),
        ],
    )


def test_admin_pages_only_talk_to_the_apps_own_origin(page, live_server, world):
    recorder = Recorder(page)
    sign_in(page, live_server, world.staff.username, path="/admin/login/?next=/admin/")
    visit_all(
        page,
        live_server,
        recorder,
        [
            "/admin/",
            "/admin/lessons/lesson/",
            f"/admin/lessons/lesson/{world.lesson.pk}/change/",
            "/admin/accounts/user/",
            "/admin/accounts/classroom/",
        ],
    )
