"""Sign-in and sign-out, the admin's door, lockouts and CSRF."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.test import Client
from django.urls import reverse

from tests import factories

from .conftest import post_sign_in

pytestmark = pytest.mark.django_db


def session_store(key: str | None = None) -> SessionBase:
    return import_module(settings.SESSION_ENGINE).SessionStore(key)


def test_signing_in_gives_a_new_session_key(client):
    teacher = factories.TeacherFactory()
    before = client.session  # an anonymous session, as a visitor who has used the site
    before["seen"] = True
    before.save()
    old_key = before.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = old_key

    response = post_sign_in(client, teacher.username)

    assert response.status_code == 302
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key and new_key != old_key
    assert not session_store().exists(old_key), "the pre-sign-in session must be gone (no session fixation)"
    assert client.get(reverse("teach:dashboard")).status_code == 200


def test_after_sign_out_the_old_session_key_is_dead(client):
    teacher = factories.TeacherFactory()
    post_sign_in(client, teacher.username)
    signed_in_key = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not session_store().exists(signed_in_key)

    # Someone who copied the cookie before sign-out gets nothing with it.
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = signed_in_key
    response = thief.get(reverse("teach:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_sign_out_is_post_only(client):
    post_sign_in(client, factories.TeacherFactory().username)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("teach:dashboard")).status_code == 200


def test_wrong_password_does_not_sign_in(client):
    teacher = factories.TeacherFactory()
    response = post_sign_in(client, teacher.username, "not-the-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_admin_sends_anonymous_visitors_to_its_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("factory", [factories.TeacherFactory, factories.StudentFactory])
def test_admin_is_closed_to_teachers_and_students(client, factory):
    client.force_login(factory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/admin/accounts/user/").status_code == 302


def test_a_teacher_cannot_sign_in_to_the_admin_with_a_good_password(client):
    teacher = factories.TeacherFactory()
    response = post_sign_in(client, teacher.username, path="/admin/login/?next=/admin/")
    assert response.status_code == 200  # the form again, with an error
    assert client.get("/admin/").status_code == 302


def test_staff_can_open_the_admin(client):
    staff = factories.StaffFactory()
    response = post_sign_in(client, staff.username, path="/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_admin_sign_in_is_locked_after_repeated_failures_like_everyone_elses(client):
    staff = factories.StaffFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_sign_in(client, staff.username, "wrong-password", path="/admin/login/")

    response = post_sign_in(client, staff.username, path="/admin/login/")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # The lock is on the account, wherever the next try comes from.
    assert post_sign_in(Client(), staff.username).status_code == 429


def test_site_sign_in_is_locked_after_repeated_failures(client):
    teacher = factories.TeacherFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_sign_in(client, teacher.username, "wrong-password")
    response = post_sign_in(client, teacher.username)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Other accounts (a whole class behind one school router) are not locked.
    assert post_sign_in(client, factories.StudentFactory().username).status_code == 302


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_sign_in_without_a_csrf_token_is_refused(path):
    teacher = factories.TeacherFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(path, {"username": teacher.username, "password": "correct-horse-battery"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_sign_out_without_a_csrf_token_is_refused_and_keeps_the_session():
    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.TeacherFactory())
    assert client.post(reverse("accounts:logout")).status_code == 403
    assert client.get(reverse("teach:dashboard")).status_code == 200


def test_a_form_post_with_its_csrf_token_is_accepted():
    teacher = factories.TeacherFactory()
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("accounts:login"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("accounts:login"),
        {"username": teacher.username, "password": "correct-horse-battery", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_every_url_refuses_a_post_without_a_csrf_token():
    """Found through the resolver, so a new form cannot be forgotten; no view is csrf_exempt."""
    from django.contrib.auth.models import AnonymousUser

    from .test_access_matrix import url_for
    from .urlwalk import project_routes
    from .world import build_world

    world = build_world()
    accepted = []
    for route in project_routes():
        url = url_for(world, route)
        for user in (AnonymousUser(), world.teacher, world.student):
            client = Client(enforce_csrf_checks=True)
            if user.is_authenticated:
                client.force_login(user)
            response = client.post(url, {"body": "x", "name": "x", "confirm_username": world.student.username})
            if response.status_code != 403:
                accepted.append(f"{route.name} as {user}: {response.status_code}")
    assert not accepted, "\n".join(accepted)


def test_when_a_teacher_resets_a_students_password_the_students_open_sessions_end(client):
    """Someone who knows an old password (or holds an old cookie) is out as soon as it is reset."""
    from tests.security.world import build_world

    world = build_world()
    student_browser = Client()
    post_sign_in(student_browser, world.student.username)
    assert student_browser.get(reverse("coursework:learn")).status_code == 200

    client.force_login(world.teacher)
    response = client.post(reverse("teach:student_reset_password", args=[world.classroom.pk, world.student.pk]))
    assert response.status_code == 302

    response = student_browser.get(reverse("coursework:learn"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_changing_your_own_password_ends_your_other_sessions_but_keeps_this_one():
    teacher = factories.TeacherFactory()
    laptop, phone = Client(), Client()
    post_sign_in(laptop, teacher.username)
    post_sign_in(phone, teacher.username)
    response = laptop.post(
        reverse("accounts:password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "a-brand-new-passphrase-42",
            "new_password2": "a-brand-new-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert laptop.get(reverse("teach:dashboard")).status_code == 200
    assert phone.get(reverse("teach:dashboard")).status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_sign_out_never_sends_people_to_another_site(client, target):
    client.force_login(factories.TeacherFactory())
    response = client.post(reverse("accounts:logout") + f"?next={target}")
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert not response["Location"].startswith("javascript:")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_sign_in_never_sends_people_to_another_site(client, target):
    teacher = factories.TeacherFactory()
    response = client.post(
        reverse("accounts:login") + f"?next={target}",
        {"username": teacher.username, "password": "correct-horse-battery", "next": target},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_every_admin_page_is_for_staff_only():
    """Every model registered in the admin: its list and add pages turn away
    teachers and students, and open for an admin."""
    from django.contrib import admin

    from tests.security.world import build_world

    world = build_world()
    pages = []
    for model in admin.site._registry:
        opts = model._meta
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        instance = model.objects.order_by("pk").first()
        if instance is not None:
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk]))
    assert len(pages) > 10
    for user in (world.teacher, world.student):
        client = Client()
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), (url, user)
    client = Client()
    client.force_login(world.staff)
    for url in pages:
        response = client.get(url)
        # axes' records cannot be edited: their change page sends staff back to the admin.
        assert response.status_code == 200 or (
            response.status_code == 302 and not response["Location"].startswith("/admin/login/")
        ), url
