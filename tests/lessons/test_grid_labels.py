"""The progress grid's labels and links, made once per request in the view,
read exactly as the template's own tags made them."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from lessons.models import Response
from tests.lessons.review_helpers import make_review_class, submitted

pytestmark = pytest.mark.django_db


def test_grid_cells_link_to_the_review_screen_with_an_escaped_accessible_name(client):
    rc = make_review_class(students=2, prompts=2)
    student = rc.students[0]
    student.display_name = "O'Brien <b>&"
    student.save()
    answer = submitted(assignment=rc.assignment, prompt=rc.prompts[1], student=student)
    client.force_login(rc.teacher)
    html = client.get(reverse("review:progress", args=[rc.assignment.pk])).content.decode()
    name = escape("O'Brien <b>&")
    url = reverse("review:response", args=[answer.pk])
    assert answer.status == Response.Status.SUBMITTED and not answer.is_late
    assert f'href="{url}" aria-label="Submitted: {name}, prompt 2">Submitted</a>' in html
    assert f'aria-label="Reading progress of {name}"' in html
    assert "0 of 4 sections" in html
    assert "<b>&" not in html
