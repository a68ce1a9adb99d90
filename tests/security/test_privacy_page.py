"""The privacy page says, in plain words, what is kept, why, how long and for whom."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anyone_can_read_the_privacy_page_from_every_page_footer(client):
    home = client.get(reverse("home"))
    assert f'href="{reverse("privacy")}"'.encode() in home.content
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    text = response.content.decode()
    for heading in ("What we store, and why", "Who can see what", "Getting a copy, or having it deleted"):
        assert heading in text
    assert "No email address and no date of birth" in text


def test_the_privacy_page_states_the_retention_periods_the_app_uses(client, settings):
    settings.ARCHIVED_CLASS_RETENTION_DAYS = 200
    settings.SIGNIN_RECORD_RETENTION_DAYS = 45
    settings.SESSION_COOKIE_AGE = 8 * 3600
    text = client.get(reverse("privacy")).content.decode()
    assert "200 days after the teacher archives it" in text
    assert "45 days." in text
    assert "signed out after 8 hours" in text
