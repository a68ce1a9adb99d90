import pytest

from tests.factories import StaffFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_sees_sign_in_sign_up_and_join_links(client):
    html = client.get("/").content.decode()
    assert 'lang="en"' in html
    assert "Skip to main content" in html
    for label in ("Sign in", "Teacher sign-up", "Join a class"):
        assert label in html
    assert "My classes" not in html


def test_teacher_sees_my_classes_and_no_admin_link(client):
    client.force_login(TeacherFactory())
    html = client.get("/").content.decode()
    assert "My classes" in html
    assert "/admin/" not in html
    assert "Sign out" in html


def test_student_sees_my_work_and_no_teacher_links(client):
    client.force_login(StudentFactory())
    html = client.get("/").content.decode()
    assert "My work" in html
    assert "My classes" not in html


def test_staff_sees_the_admin_link(client):
    client.force_login(StaffFactory())
    assert "/admin/" in client.get("/").content.decode()


def test_pages_load_no_third_party_assets(client):
    html = client.get("/").content.decode()
    assert "cdn" not in html.lower()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
