"""A student who loses access (removed from the class, not chosen for the
assignment, class archived) can no longer read or write the class's work:
every student URL answers 404 and nothing changes."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Enrollment
from lessons.models import Response
from tests import factories

from .test_access_matrix import database_state, url_for
from .urlwalk import project_routes
from .world import build_world

pytestmark = pytest.mark.django_db


def remove_from_class(world):
    Enrollment.objects.filter(classroom=world.classroom, student=world.student).delete()
    return world.student


def not_chosen(world):
    return factories.EnrollmentFactory(classroom=world.classroom).student  # in the class, not on the assignment


def class_archived(world):
    world.classroom.archive()
    return world.student


@pytest.mark.parametrize("lose_access", [remove_from_class, not_chosen, class_archived])
def test_a_student_without_access_gets_404_everywhere_and_changes_nothing(lose_access):
    world = build_world()
    student = lose_access(world)
    before = database_state()
    client = Client()
    client.force_login(student)
    wrong = []
    for route in project_routes():
        if not route.route.startswith("learn/") or not route.params:
            continue
        url = url_for(world, route)
        for method, kwargs in (
            ("get", {}),
            ("post", {"data": {"body": "Sneaked in", "action": "submit", "version": "1", "position": ""}}),
            ("post", {"data": json.dumps({"version": 1, "body": "Sneaked in"}), "content_type": "application/json"}),
        ):
            status = getattr(client, method)(url, **kwargs).status_code
            if status not in (404, 405):
                wrong.append(f"{method.upper()} {route.name} {url}: {status}")
    assert not wrong, "\n".join(wrong)
    assert database_state() == before
    assert not Response.objects.filter(body="Sneaked in").exists()


def test_the_learn_dashboard_no_longer_lists_a_class_the_student_was_removed_from():
    world = build_world()
    client = Client()
    client.force_login(world.student)
    assert world.classroom.name.encode() in client.get(reverse("coursework:learn")).content
    remove_from_class(world)
    assert world.classroom.name.encode() not in client.get(reverse("coursework:learn")).content
