import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_admin_user_list_filters_by_role(client, staff, student, teacher):
    client.force_login(staff)
    page = client.get(reverse("admin:accounts_user_changelist"), {"role__exact": "student"}).content.decode()
    assert student.username in page
    assert teacher.username not in page


def test_admin_user_list_searches_display_name(client, staff):
    factories.StudentFactory(username="kimmj", display_name="Kim Minjun")
    factories.StudentFactory(username="other1", display_name="Someone Else")
    client.force_login(staff)
    page = client.get(reverse("admin:accounts_user_changelist"), {"q": "Minjun"}).content.decode()
    assert "kimmj" in page
    assert "other1" not in page


def test_admin_class_page_shows_the_roster_inline(client, staff, classroom, student):
    client.force_login(staff)
    page = client.get(reverse("admin:accounts_classroom_change", args=[classroom.pk])).content.decode()
    assert "Roster" in page
    assert str(student) in page


def test_admin_class_list_shows_student_counts(client, staff, classroom, student):
    client.force_login(staff)
    response = client.get(reverse("admin:accounts_classroom_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_list[0]._student_count == 1


def test_admin_is_closed_to_teachers_and_students(client, teacher, student):
    for user in (teacher, student):
        client.force_login(user)
        assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302
