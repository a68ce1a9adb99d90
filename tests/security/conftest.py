"""Fixtures for the security tests: signing in the way a person does."""

import pytest
from django.test import Client
from django.urls import reverse

PASSWORD = "correct-horse-battery"  # what tests.factories.UserFactory sets


def post_sign_in(client: Client, username: str, password: str = PASSWORD, path: str | None = None):
    """Sign in through the sign-in form, as a browser would.

    django-axes wraps authentication, so `client.login()` (which passes no
    request) cannot be used; posting the form also exercises the lockout.
    """
    return client.post(path or reverse("accounts:login"), {"username": username, "password": password})


@pytest.fixture
def sign_in():
    return post_sign_in
