import pytest
from django.urls import reverse

from accounts.access import classroom_for_teacher
from accounts.models import Classroom, Enrollment
from tests import factories

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("teach:dashboard")


def class_urls(classroom, student=None):
    pk = classroom.pk
    student_pk = student.pk if student else 1
    return {
        "get": [
            reverse("teach:classroom", args=[pk]),
            reverse("teach:classroom_edit", args=[pk]),
            reverse("teach:join_code", args=[pk]),
            reverse("teach:students_add", args=[pk]),
            reverse("teach:login_cards", args=[pk]),
            reverse("teach:student_remove", args=[pk, student_pk]),
        ],
        "post": [
            reverse("teach:classroom_archive", args=[pk]),
            reverse("teach:classroom_restore", args=[pk]),
            reverse("teach:regenerate_join_code", args=[pk]),
            reverse("teach:toggle_joining", args=[pk]),
            reverse("teach:student_reset_password", args=[pk, student_pk]),
            reverse("teach:student_remove", args=[pk, student_pk]),
        ],
    }


# --- Access ----------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in_from_every_teach_page(client, classroom, student):
    urls = class_urls(classroom, student)
    for url in [DASHBOARD, reverse("teach:classroom_new"), reverse("teach:archived"), *urls["get"]]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url
    for url in urls["post"]:
        assert client.post(url).status_code == 302, url
    classroom.refresh_from_db()
    assert not classroom.is_archived


def test_student_can_never_open_teach_pages(client, classroom, student):
    client.force_login(student)
    urls = class_urls(classroom, student)
    for url in [DASHBOARD, reverse("teach:classroom_new"), reverse("teach:archived"), *urls["get"]]:
        assert client.get(url).status_code == 403, url
    for url in urls["post"]:
        assert client.post(url).status_code == 403, url
    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()


def test_other_teacher_gets_404_for_every_page_of_my_class(client, classroom, student, other_teacher):
    client.force_login(other_teacher)
    code = classroom.join_code
    urls = class_urls(classroom, student)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url in urls["post"]:
        assert client.post(url).status_code == 404, url
    classroom.refresh_from_db()
    assert classroom.join_code == code
    assert classroom.joining_open
    assert not classroom.is_archived
    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()
    student.refresh_from_db()
    assert student.check_password("correct-horse-battery")


def test_teacher_gets_404_for_a_class_id_that_does_not_exist(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("teach:classroom", args=[999999])).status_code == 404


def test_classroom_for_teacher_returns_only_own_classes(classroom, other_teacher):
    from django.http import Http404

    assert classroom_for_teacher(classroom.teacher, classroom.pk) == classroom
    with pytest.raises(Http404):
        classroom_for_teacher(other_teacher, classroom.pk)


# --- Dashboard -------------------------------------------------------------


def test_dashboard_lists_my_active_classes_with_student_counts(client, teacher, classroom, other_teacher):
    factories.EnrollmentFactory.create_batch(3, classroom=classroom)
    archived = factories.ClassroomFactory(teacher=teacher, name="Last year")
    archived.archive()
    factories.ClassroomFactory(teacher=other_teacher, name="Not mine")
    client.force_login(teacher)
    response = client.get(DASHBOARD)
    page = response.content.decode()
    assert classroom.name in page
    assert [c.student_count for c in response.context["classrooms"]] == [3]
    assert "Last year" not in page
    assert "1 archived class" in page
    assert "Not mine" not in page


def test_dashboard_query_count_is_the_same_for_3_and_60_students(client, teacher, count_queries):
    client.force_login(teacher)
    small = factories.ClassroomFactory(teacher=teacher)
    factories.EnrollmentFactory.create_batch(3, classroom=small)
    few = count_queries(lambda: client.get(DASHBOARD))
    for _ in range(3):
        big = factories.ClassroomFactory(teacher=teacher)
        factories.EnrollmentFactory.create_batch(20, classroom=big)
    many = count_queries(lambda: client.get(DASHBOARD))
    assert few == many


# --- Create, rename, archive ----------------------------------------------


def test_teacher_creates_a_class_and_gets_a_join_code(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("teach:classroom_new"), {"name": "  Year 10   History "})
    classroom = Classroom.objects.get(teacher=teacher)
    assert response.url == classroom.get_absolute_url()
    assert classroom.name == "Year 10 History"
    assert len(classroom.join_code) == 8
    assert classroom.joining_open


def test_class_needs_a_name(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("teach:classroom_new"), {"name": "   "})
    assert response.status_code == 200
    assert not Classroom.objects.exists()


def test_teacher_renames_a_class(client, teacher, classroom):
    client.force_login(teacher)
    client.post(reverse("teach:classroom_edit", args=[classroom.pk]), {"name": "Period 3"})
    classroom.refresh_from_db()
    assert classroom.name == "Period 3"


def test_archived_class_leaves_the_dashboard_but_keeps_its_data(client, teacher, classroom, student):
    client.force_login(teacher)
    response = client.post(reverse("teach:classroom_archive", args=[classroom.pk]))
    assert response.url == DASHBOARD
    classroom.refresh_from_db()
    assert classroom.is_archived
    assert classroom not in client.get(DASHBOARD).context["classrooms"]
    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()
    assert classroom.name in client.get(reverse("teach:archived")).content.decode()
    assert client.get(classroom.get_absolute_url()).status_code == 200


def test_archive_needs_post(client, teacher, classroom):
    client.force_login(teacher)
    assert client.get(reverse("teach:classroom_archive", args=[classroom.pk])).status_code == 405
    classroom.refresh_from_db()
    assert not classroom.is_archived


def test_restored_class_returns_to_the_dashboard(client, teacher, classroom):
    classroom.archive()
    client.force_login(teacher)
    client.post(reverse("teach:classroom_restore", args=[classroom.pk]))
    classroom.refresh_from_db()
    assert not classroom.is_archived
    assert classroom.name in client.get(DASHBOARD).content.decode()


def test_other_teacher_cannot_see_my_archived_classes(client, classroom, other_teacher):
    classroom.archive()
    client.force_login(other_teacher)
    assert classroom.name not in client.get(reverse("teach:archived")).content.decode()


def test_archived_list_query_count_is_the_same_for_3_and_60_students(client, teacher, count_queries):
    client.force_login(teacher)
    small = factories.ClassroomFactory(teacher=teacher)
    factories.EnrollmentFactory.create_batch(3, classroom=small)
    small.archive()
    few = count_queries(lambda: client.get(reverse("teach:archived")))
    for _ in range(3):
        big = factories.ClassroomFactory(teacher=teacher)
        factories.EnrollmentFactory.create_batch(20, classroom=big)
        big.archive()
    many = count_queries(lambda: client.get(reverse("teach:archived")))
    assert few == many
