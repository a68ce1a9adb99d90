"""The assignment page's reading is rendered once per lesson and kept in the
cache; any write to the curriculum (admin, loader) shows on the next view."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons import content_cache, loader
from lessons.models import KeyTerm, Quotation, Section
from tests import factories as f

from .coursework_setup import make_assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(classroom):
    assignment = make_assignment(classroom)
    f.QuotationFactory(lesson=assignment.lesson)
    return assignment


def page(client, assignment) -> str:
    response = client.get(reverse("coursework:assignment", args=[assignment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _post_section(client, section, body):
    return client.post(
        reverse("admin:lessons_section_change", args=[section.pk]),
        {
            "lesson": section.lesson_id,
            "order": section.order,
            "anchor": section.anchor,
            "heading": section.heading,
            "body": body,
        },
    )


def test_a_second_view_does_not_fetch_or_render_the_reading_again(client, student, assignment):
    client.force_login(student)
    first = page(client, assignment)
    with CaptureQueriesContext(connection) as ctx:
        second = page(client, assignment)
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    for table in ("lessons_section", "lessons_keyterm", "lessons_quotation"):
        assert f'FROM "{table}"' not in tables
    assert first.replace(_csrf(first), "") == second.replace(_csrf(second), "")


def _csrf(html: str) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_the_cached_reading_keeps_each_students_own_read_ticks(client, student, classroom, assignment):
    other = f.EnrollmentFactory(classroom=classroom).student
    section = Section.objects.filter(lesson=assignment.lesson).order_by("order").first()
    client.force_login(student)
    client.post(reverse("coursework:mark_read", args=[assignment.pk, section.pk]))
    assert f'id="read-{section.pk}" name="read" value="1" data-read-toggle checked disabled' in page(client, assignment)
    client.force_login(other)
    assert f'id="read-{section.pk}" name="read" value="1" data-read-toggle>' in page(client, assignment)


def test_editing_a_section_in_the_admin_changes_the_assignment_page_at_once(client, student, staff, assignment):
    section = Section.objects.filter(lesson=assignment.lesson).order_by("order").first()
    client.force_login(student)
    assert "Freshly edited by an admin." not in page(client, assignment)  # the reading is now cached
    client.force_login(staff)
    assert _post_section(client, section, "Freshly edited by an admin.").status_code == 302
    client.force_login(student)
    assert "Freshly edited by an admin." in page(client, assignment)
    assert "Freshly edited by an admin." in client.get(assignment.lesson.get_absolute_url()).content.decode()


def test_editing_a_key_term_or_deleting_a_source_in_the_admin_shows_at_once(client, student, staff, assignment):
    term = KeyTerm.objects.filter(lesson=assignment.lesson).first()
    quotation = Quotation.objects.filter(lesson=assignment.lesson).first()
    client.force_login(student)
    assert quotation.text in page(client, assignment)
    client.force_login(staff)
    response = client.post(
        reverse("admin:lessons_keyterm_change", args=[term.pk]),
        {"lesson": term.lesson_id, "order": term.order, "term": "Containment, edited", "definition": "New words."},
    )
    assert response.status_code == 302
    response = client.post(reverse("admin:lessons_quotation_delete", args=[quotation.pk]), {"post": "yes"})
    assert response.status_code == 302
    client.force_login(student)
    html = page(client, assignment)
    assert "Containment, edited" in html
    assert quotation.text not in html


def test_loading_the_unit_replaces_the_content_version():
    before = content_cache.content_version()
    loader.load_unit()
    assert content_cache.content_version() != before


def test_a_lost_content_version_means_the_reading_is_rendered_again(client, student, assignment):
    from django.core.cache import cache

    client.force_login(student)
    page(client, assignment)
    cache.delete(content_cache.VERSION_KEY)
    Section.objects.filter(lesson=assignment.lesson).update(heading="A heading changed outside the admin")
    assert "A heading changed outside the admin" in page(client, assignment)
