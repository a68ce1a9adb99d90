import pytest
from django.urls import reverse

from accounts.models import Enrollment
from tests import factories

pytestmark = pytest.mark.django_db


def test_show_code_page_has_code_address_and_an_inline_qr_code(client, teacher, classroom):
    client.force_login(teacher)
    response = client.get(reverse("teach:join_code", args=[classroom.pk]))
    page = response.content.decode()
    assert classroom.join_code[:4] in page and classroom.join_code[4:] in page
    assert "http://testserver/join/" in page
    assert '<svg viewBox="' in page
    assert 'class="join-qr"' in page
    # Made by the app itself: no image from another site.
    assert "https://" not in page


def test_qr_code_encodes_the_join_address_with_the_code(client, teacher, classroom):
    import segno

    client.force_login(teacher)
    response = client.get(reverse("teach:join_code", args=[classroom.pk]))
    expected = segno.make(f"http://testserver/join/?code={classroom.join_code}", error="m").svg_inline(
        scale=10, svgclass="join-qr", lineclass="join-qr-line", omitsize=True, title="QR code for the join address"
    )
    assert expected in response.content.decode()


def test_regenerating_the_code_replaces_it_and_keeps_students(client, teacher, classroom, student):
    old = classroom.join_code
    client.force_login(teacher)
    response = client.post(reverse("teach:regenerate_join_code", args=[classroom.pk]), follow=True)
    classroom.refresh_from_db()
    assert classroom.join_code != old
    assert classroom.join_code in response.content.decode()
    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()


def test_regenerating_from_the_show_code_page_returns_there(client, teacher, classroom):
    client.force_login(teacher)
    response = client.post(reverse("teach:regenerate_join_code", args=[classroom.pk]), {"next": "code"})
    assert response.url == reverse("teach:join_code", args=[classroom.pk])


def test_regenerate_needs_post(client, teacher, classroom):
    old = classroom.join_code
    client.force_login(teacher)
    assert client.get(reverse("teach:regenerate_join_code", args=[classroom.pk])).status_code == 405
    classroom.refresh_from_db()
    assert classroom.join_code == old


def test_teacher_switches_joining_off_and_on(client, teacher, classroom):
    client.force_login(teacher)
    url = reverse("teach:toggle_joining", args=[classroom.pk])
    client.post(url)
    classroom.refresh_from_db()
    assert not classroom.joining_open
    client.post(url)
    classroom.refresh_from_db()
    assert classroom.joining_open


def test_show_code_page_query_count_does_not_grow_with_the_class(client, teacher, classroom, count_queries):
    client.force_login(teacher)
    few = count_queries(lambda: client.get(reverse("teach:join_code", args=[classroom.pk])))
    factories.EnrollmentFactory.create_batch(60, classroom=classroom)
    many = count_queries(lambda: client.get(reverse("teach:join_code", args=[classroom.pk])))
    assert few == many
