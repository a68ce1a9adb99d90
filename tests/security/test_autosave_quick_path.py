"""The autosave's quick path (one guarded UPDATE that is also the access check)
holds the same rules as the full path: checked here once the quick path is primed."""

import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import Enrollment
from lessons import services
from lessons.models import Response

from .test_access_matrix import database_state
from .world import build_world

# Real commits: the quick path is primed by what a save does once it has committed.
pytestmark = pytest.mark.django_db(transaction=True)


def autosave(client, world, *, version: int, body: str, **extra):
    url = reverse("coursework:autosave", args=[world.assignment.pk, world.position_prompt.pk])
    return client.post(url, data=json.dumps({"version": version, "body": body, **extra}), content_type="application/json")


@pytest.fixture
def primed():
    """A student who has saved a few times, so that the next save may take the quick path."""
    world = build_world()
    client = Client()
    client.force_login(world.student)
    version = 0
    for text in ("Stalin", "Stalin gambled", "Stalin gambled on Korea", "Stalin gambled on Korea in 1950"):
        response = autosave(client, world, version=version, body=text)
        assert response.status_code == 200, response.content
        version = response.json()["version"]
    key = services._draft_key(world.assignment.pk, world.position_prompt.pk, world.student.pk)
    assert cache.get(key) is not None, "the quick path is not primed; the test would not reach it"
    return world, client, version


BAD_BODIES = {
    "a position that is not one of the prompt's": {"position": "Maybe"},
    "a section of another lesson": {"cited_sections": [999_999]},
    "a section id that is not a number": {"cited_sections": ["1"]},
    "a huge section id": {"cited_sections": [10**30]},
    "too long": {"body": "word " * 10_000},
}


@pytest.mark.parametrize("label", list(BAD_BODIES))
def test_bad_input_on_the_quick_path_is_a_clear_400_and_changes_nothing(primed, label):
    world, client, version = primed
    before = Response.objects.get(student=world.student, prompt=world.position_prompt)
    data = {"body": "Stalin gambled on Korea in 1950 and lost", **BAD_BODIES[label]}
    response = autosave(client, world, version=version, **data)
    assert response.status_code == 400, (label, response.status_code, response.content[:300])
    assert response.json()["error"]
    after = Response.objects.get(pk=before.pk)
    assert (after.body, after.version, after.position) == (before.body, before.version, before.position)


def test_a_student_removed_after_priming_gets_404_and_changes_nothing(primed):
    world, client, version = primed
    Enrollment.objects.filter(student=world.student, classroom=world.classroom).delete()
    before = database_state()
    response = autosave(client, world, version=version, body="Stalin gambled on Korea in 1950 and lost")
    assert response.status_code == 404
    assert database_state() == before


def test_an_archived_class_after_priming_gets_404_and_changes_nothing(primed):
    world, client, version = primed
    world.classroom.archive()
    before = database_state()
    response = autosave(client, world, version=version, body="Stalin gambled on Korea in 1950 and lost")
    assert response.status_code == 404
    assert database_state() == before


def test_another_student_cannot_ride_on_someone_elses_primed_answer(primed):
    world, _client, version = primed
    before = database_state()
    for intruder in (world.other_student, world.teacher, world.staff):
        client = Client()
        client.force_login(intruder)
        response = autosave(client, world, version=version, body="Written by someone else entirely")
        assert response.status_code == 404, intruder
    assert database_state() == before


def test_a_nul_character_is_dropped_on_both_paths_never_stored_nor_a_server_error():
    """PostgreSQL refuses NUL in text; a pasted one must not turn a save into a 500."""
    world = build_world()
    client = Client()
    client.force_login(world.student)
    first = autosave(client, world, version=0, body="Stalin\u0000 gambled", quoted_sentence="\u0000")
    assert first.status_code == 200, first.content  # the full path: a new draft
    version = first.json()["version"]
    for text in ("Stalin gambled on", "Stalin gambled on Korea", "Stalin gambled on Korea in 1950"):
        version = autosave(client, world, version=version, body=text).json()["version"]
    assert cache.get(services._draft_key(world.assignment.pk, world.position_prompt.pk, world.student.pk))
    response = autosave(client, world, version=version, body="Stalin gambled\u0000 on Korea in 1950!")
    assert response.status_code == 200, response.content  # the quick path
    stored = Response.objects.get(student=world.student, prompt=world.position_prompt)
    assert stored.body == "Stalin gambled on Korea in 1950!"
    assert "\x00" not in stored.quoted_sentence
