import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
PASSWORD = "correct-horse-battery"


def test_teacher_signing_in_lands_on_teach(client, teacher):
    response = client.post(LOGIN, {"username": teacher.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("teach:dashboard")


def test_student_signing_in_lands_on_learn(client, student):
    response = client.post(LOGIN, {"username": student.username, "password": PASSWORD})
    assert response.url == reverse("coursework:learn")


def test_sign_in_forgives_a_capital_letter_added_by_a_phone(client):
    student = factories.StudentFactory(username="zoe.smith")
    response = client.post(LOGIN, {"username": "Zoe.smith", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(student.pk)


def test_wrong_password_does_not_sign_in(client, teacher):
    response = client.post(LOGIN, {"username": teacher.username, "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_username_even_with_the_right_password(client, teacher):
    for _ in range(5):
        client.post(LOGIN, {"username": teacher.username, "password": "wrong"})
    response = client.post(LOGIN, {"username": teacher.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "locked for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_username_leaves_others_at_the_same_address_alone(client, teacher, other_teacher):
    for _ in range(5):
        client.post(LOGIN, {"username": teacher.username, "password": "wrong"})
    response = client.post(LOGIN, {"username": other_teacher.username, "password": PASSWORD})
    assert response.status_code == 302


def test_lockout_expires_after_the_cool_off(client, teacher, settings):
    import datetime

    from axes.models import AccessAttempt

    for _ in range(5):
        client.post(LOGIN, {"username": teacher.username, "password": "wrong"})
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - datetime.timedelta(minutes=16))
    response = client.post(LOGIN, {"username": teacher.username, "password": PASSWORD})
    assert response.status_code == 302


def test_sign_out_needs_post(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_student_with_temporary_password_must_change_it_before_anything_else(client):
    student = factories.StudentFactory(must_change_password=True)
    client.post(LOGIN, {"username": student.username, "password": PASSWORD})
    response = client.get(reverse("coursework:learn"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "Choose your own password" in page
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "my-own-secret-77", "new_password2": "my-own-secret-77"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("coursework:learn")
    student.refresh_from_db()
    assert not student.must_change_password
    assert student.check_password("my-own-secret-77")


def test_password_reset_sends_an_email_with_a_link(client, teacher, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": teacher.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/" in mailoutbox[0].body
    assert teacher.username in mailoutbox[0].body


def test_password_pages_render_with_labels(client, teacher):
    assert "Email" in client.get(reverse("accounts:password_reset")).content.decode()
    client.force_login(teacher)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "Old password" in page
    assert "Change your password" in page
