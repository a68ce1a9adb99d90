import pytest
from django.urls import reverse

from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("accounts:signup")


def signup_data(**overrides):
    data = {
        "display_name": "Ms Park",
        "username": "mspark",
        "email": "park@school.example",
        "password1": "ridge-lantern-1950",
        "password2": "ridge-lantern-1950",
    }
    data.update(overrides)
    return data


def test_signup_page_asks_for_name_username_email_and_password(client):
    response = client.get(URL)
    assert response.status_code == 200
    for label in ("Your name", "Username", "Email", "Password"):
        assert label in response.content.decode()


def test_teacher_signs_up_is_signed_in_and_lands_on_teach(client):
    response = client.post(URL, signup_data())
    assert response.status_code == 302
    assert response.url == reverse("teach:dashboard")
    user = User.objects.get(username="mspark")
    assert user.role == User.Role.TEACHER
    assert user.display_name == "Ms Park"
    assert user.email == "park@school.example"
    assert user.check_password("ridge-lantern-1950")
    assert client.get(reverse("teach:dashboard")).status_code == 200


def test_signup_applies_django_password_validators(client):
    response = client.post(URL, signup_data(password1="password", password2="password"))
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert not User.objects.filter(username="mspark").exists()


def test_signup_requires_email(client):
    response = client.post(URL, signup_data(email=""))
    assert response.status_code == 200
    assert not User.objects.filter(username="mspark").exists()


def test_signup_refuses_username_taken_in_another_case(client):
    factories.TeacherFactory(username="MsPark")
    response = client.post(URL, signup_data())
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_signup_refuses_an_email_already_used(client):
    factories.TeacherFactory(email="Park@School.example")
    response = client.post(URL, signup_data())
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert not User.objects.filter(username="mspark").exists()


def test_signed_in_user_is_sent_home_from_signup(client, teacher):
    client.force_login(teacher)
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == reverse("teach:dashboard")
