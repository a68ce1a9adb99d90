"""Every page's query count is the same for a class of 3 and a class of 60.

The pages' own tests pin their counts; this one walks every URL of the project
(the resolver, through the access matrix's table), so a new page that fetches
rows in a loop fails here even if its author forgot a query-count test.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lessons import models as lm
from tests import factories
from tests.security.test_access_matrix import MATRIX, persona_user, url_for
from tests.security.urlwalk import project_routes
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

# The personas whose view grows with the class, first: a page is measured as
# the first of them that may open it.
MEASURED_AS = ["teacher", "student", "staff", "anon"]
# Pages that are not the app's own or whose cost does not depend on a class.
NOT_MEASURED = {"admin:index", "healthz", "ping"}


def grow_class(world, extra: int) -> None:
    """Add `extra` students who have done everything a student can do."""
    for n in range(extra):
        student = factories.EnrollmentFactory(classroom=world.classroom).student
        world.assignment.students.add(student)
        for prompt in (world.prompt, world.position_prompt):
            response = factories.ResponseFactory(
                assignment=world.assignment,
                prompt=prompt,
                student=student,
                position=prompt.positions[n % len(prompt.positions)] if prompt.positions else "",
                status=lm.Response.Status.SUBMITTED,
                submitted_at=timezone.now(),
                cited_sections=[world.section.pk],
            )
            lm.ResponseVersion.objects.create(
                response=response, kind=lm.ResponseVersion.Kind.SUBMITTED, version=1, body=response.body
            )
            factories.FeedbackFactory(response=response, released_at=timezone.now())
            factories.ReplyFactory(response=world.response, author=student)
        lm.SectionRead.objects.create(assignment=world.assignment, student=student, section=world.section)


def pages():
    for route in project_routes():
        if route.name in NOT_MEASURED:
            continue
        cells = MATRIX.get(route.name, {})
        persona = next((p for p in MEASURED_AS if cells.get(p) == 200), None)
        if persona is not None:
            yield route, persona


def queries_for(client, url: str) -> int:
    client.get(url)  # warm the caches a page may fill on its first view
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def test_every_page_makes_the_same_number_of_queries_for_3_and_60_students(client):
    world = build_world()
    measured = list(pages())
    assert len(measured) > 20, "the walk found too few pages: has the access matrix changed shape?"

    def measure_all() -> dict[str, int]:
        counts = {}
        for route, persona in measured:
            user = persona_user(world, persona)
            client.logout()
            if user is not None:
                client.force_login(user)
            counts[route.name] = queries_for(client, url_for(world, route))
        return counts

    small = measure_all()
    grow_class(world, extra=57)
    large = measure_all()
    grown = {name: (small[name], large[name]) for name in small if large[name] != small[name]}
    assert not grown, f"queries grow with the class (3 students -> 60): {grown}"
