import re

import pytest
from django.urls import reverse

from accounts.models import Enrollment, User
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD_SHAPE = re.compile(r"^[a-z]+-[a-z]+-\d{2}$")


def add_url(classroom):
    return reverse("teach:students_add", args=[classroom.pk])


def cards_url(classroom):
    return reverse("teach:login_cards", args=[classroom.pk])


@pytest.fixture
def signed_in_teacher(client, teacher):
    client.force_login(teacher)
    return teacher


# --- The roster page ------------------------------------------------------


def test_roster_shows_students_with_last_sign_in(client, signed_in_teacher, classroom, student):
    import datetime

    from django.utils import timezone

    student.last_login = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 15))
    student.save()
    never = factories.EnrollmentFactory(classroom=classroom).student
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert student.name in page and student.username in page
    assert "2 Mar 2026, 09:15" in page
    assert never.name in page
    assert "never" in page
    assert classroom.join_code in page


def test_roster_does_not_list_students_of_other_classes(client, signed_in_teacher, classroom, outsider_student):
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert outsider_student.username not in page


def test_class_page_includes_the_class_assignments(client, signed_in_teacher, classroom):
    factories.AssignmentFactory(classroom=classroom, lesson=factories.LessonFactory(title="The gamble"))
    factories.AssignmentFactory(lesson=factories.LessonFactory(title="Someone else's lesson"))
    response = client.get(classroom.get_absolute_url())
    page = response.content.decode()
    assert "The gamble" in page
    assert "Someone else's lesson" not in page
    assert [a.lesson.title for a in response.context["assignments"]] == ["The gamble"]


def test_roster_query_count_is_the_same_for_3_and_60_students(client, teacher, count_queries):
    client.force_login(teacher)
    small = factories.ClassroomFactory(teacher=teacher)
    big = factories.ClassroomFactory(teacher=teacher)
    factories.EnrollmentFactory.create_batch(3, classroom=small)
    factories.EnrollmentFactory.create_batch(60, classroom=big)
    for classroom in (small, big):
        factories.AssignmentFactory.create_batch(2, classroom=classroom)
    few = count_queries(lambda: client.get(small.get_absolute_url()))
    many = count_queries(lambda: client.get(big.get_absolute_url()))
    assert few == many


# --- Bulk add ---------------------------------------------------------------


def test_bulk_add_creates_enrolled_students_with_temporary_passwords(client, signed_in_teacher, classroom):
    response = client.post(add_url(classroom), {"names": "Ana Lima\nBen Okafor\nChloé Martin\n"})
    assert response.url == cards_url(classroom)
    students = User.objects.filter(enrollments__classroom=classroom).order_by("username")
    assert [s.username for s in students] == ["ana.lima", "ben.okafor", "chloe.martin"]
    assert [s.display_name for s in students] == ["Ana Lima", "Ben Okafor", "Chloé Martin"]
    for s in students:
        assert s.role == User.Role.STUDENT
        assert s.must_change_password
        assert s.email == ""
    cards = client.get(cards_url(classroom)).context["cards"]
    assert len(cards) == 3
    for card in cards:
        assert PASSWORD_SHAPE.match(card["password"])
        user = User.objects.get(username=card["username"])
        assert user.check_password(card["password"])
        # Only a hash is stored.
        assert card["password"] not in user.password


def test_bulk_add_skips_blank_lines_and_tidies_spaces(client, signed_in_teacher, classroom):
    client.post(add_url(classroom), {"names": "\n\n  Ana    Lima  \n   \n\r\nBen\n\n"})
    names = sorted(User.objects.filter(enrollments__classroom=classroom).values_list("display_name", flat=True))
    assert names == ["Ana Lima", "Ben"]


def test_bulk_add_makes_readable_usernames_from_non_latin_names(client, signed_in_teacher, classroom):
    client.post(add_url(classroom), {"names": "김민준\nZoë\nДмитрий Петров\n李小龙"})
    usernames = dict(User.objects.filter(enrollments__classroom=classroom).values_list("display_name", "username"))
    assert usernames["김민준"] == "gimminjun"
    assert usernames["Zoë"] == "zoe"
    assert usernames["Дмитрий Петров"] == "student"
    assert usernames["李小龙"] == "student2"


def test_bulk_add_keeps_usernames_unique_across_the_site(client, signed_in_teacher, classroom):
    factories.StudentFactory(username="zoe")
    factories.StudentFactory(username="Zoe2")
    client.post(add_url(classroom), {"names": "Zoë\nZoe M"})
    usernames = set(User.objects.filter(enrollments__classroom=classroom).values_list("username", flat=True))
    assert usernames == {"zoe3", "zoe.m"}


def test_bulk_add_refuses_duplicate_names_and_creates_nothing(client, signed_in_teacher, classroom):
    response = client.post(add_url(classroom), {"names": "Ana\nBen\nana\nBen"})
    assert response.status_code == 200
    assert "appear more than once: ana, Ben" in response.content.decode()
    assert not Enrollment.objects.filter(classroom=classroom).exists()


def test_bulk_add_refuses_names_already_on_the_roster(client, signed_in_teacher, classroom):
    factories.EnrollmentFactory(classroom=classroom, student__display_name="Ana Lima")
    response = client.post(add_url(classroom), {"names": "ana lima\nBen"})
    assert "Already in this class: ana lima" in response.content.decode()
    assert Enrollment.objects.filter(classroom=classroom).count() == 1


def test_bulk_add_with_no_names_shows_a_message(client, signed_in_teacher, classroom):
    response = client.post(add_url(classroom), {"names": "\n   \n"})
    assert response.status_code == 200
    assert not User.objects.students().exists()


def test_bulk_add_refuses_more_than_a_hundred_names(client, signed_in_teacher, classroom):
    names = "\n".join(f"Student {i}" for i in range(101))
    response = client.post(add_url(classroom), {"names": names})
    assert "at most 100" in response.content.decode()
    assert not User.objects.students().exists()


def test_login_cards_are_shown_only_once(client, signed_in_teacher, classroom):
    client.post(add_url(classroom), {"names": "Ana"})
    first = client.get(cards_url(classroom))
    assert first.status_code == 200
    assert "no-store" in first["Cache-Control"]
    second = client.get(cards_url(classroom))
    assert second.status_code == 302
    assert second.url == classroom.get_absolute_url()


def test_login_cards_page_has_a_print_stylesheet_and_button(client, signed_in_teacher, classroom):
    client.post(add_url(classroom), {"names": "Ana"})
    page = client.get(cards_url(classroom)).content.decode()
    assert "css/accounts.css" in page
    assert "js/print-button.js" in page
    assert "Print login cards" in page
    assert "http://testserver/accounts/login/" in page


def test_login_cards_are_not_shown_to_another_teacher(client, classroom, other_teacher):
    client.force_login(classroom.teacher)
    client.post(add_url(classroom), {"names": "Ana"})
    client.force_login(other_teacher)
    assert client.get(cards_url(classroom)).status_code == 404


def test_bulk_added_student_signs_in_and_must_change_password(client, signed_in_teacher, classroom):
    client.post(add_url(classroom), {"names": "Ana"})
    card = client.get(cards_url(classroom)).context["cards"][0]
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": card["username"], "password": card["password"]})
    response = client.get(reverse("coursework:learn"))
    assert response.url == reverse("accounts:password_change")


# --- Reset password and remove --------------------------------------------


def test_teacher_resets_a_student_password_shown_once(client, signed_in_teacher, classroom, student):
    response = client.post(reverse("teach:student_reset_password", args=[classroom.pk, student.pk]))
    assert response.url == cards_url(classroom)
    card = client.get(cards_url(classroom)).context["cards"][0]
    student.refresh_from_db()
    assert card["username"] == student.username
    assert student.check_password(card["password"])
    assert not student.check_password("correct-horse-battery")
    assert student.must_change_password


def test_password_reset_lifts_a_sign_in_lockout(client, teacher, classroom, student):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": student.username, "password": "wrong"})
    client.force_login(teacher)
    client.post(reverse("teach:student_reset_password", args=[classroom.pk, student.pk]))
    card = client.get(cards_url(classroom)).context["cards"][0]
    client.post(reverse("accounts:logout"))
    response = client.post(reverse("accounts:login"), {"username": student.username, "password": card["password"]})
    assert response.status_code == 302


def test_teacher_cannot_reset_password_of_a_student_outside_the_class(
    client, signed_in_teacher, classroom, outsider_student
):
    url = reverse("teach:student_reset_password", args=[classroom.pk, outsider_student.pk])
    assert client.post(url).status_code == 404
    outsider_student.refresh_from_db()
    assert outsider_student.check_password("correct-horse-battery")
    assert not outsider_student.must_change_password


def test_reset_password_needs_post(client, signed_in_teacher, classroom, student):
    assert client.get(reverse("teach:student_reset_password", args=[classroom.pk, student.pk])).status_code == 405


def test_teacher_removes_a_student_after_confirming(client, signed_in_teacher, classroom, student):
    url = reverse("teach:student_remove", args=[classroom.pk, student.pk])
    assert student.name in client.get(url).content.decode()
    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()
    response = client.post(url)
    assert response.url == classroom.get_absolute_url()
    assert not Enrollment.objects.filter(classroom=classroom, student=student).exists()
    assert User.objects.filter(pk=student.pk).exists()


def test_removing_a_student_leaves_their_other_classes(client, signed_in_teacher, classroom, student):
    elsewhere = factories.EnrollmentFactory(student=student)
    client.post(reverse("teach:student_remove", args=[classroom.pk, student.pk]))
    assert Enrollment.objects.filter(pk=elsewhere.pk).exists()


def test_teacher_cannot_remove_a_student_of_another_class(client, signed_in_teacher, classroom, outsider_student):
    url = reverse("teach:student_remove", args=[classroom.pk, outsider_student.pk])
    assert client.post(url).status_code == 404
    assert outsider_student.enrollments.exists()


def test_bulk_add_query_count_is_the_same_for_3_and_30_names(client, teacher, count_queries):
    client.force_login(teacher)
    small = factories.ClassroomFactory(teacher=teacher)
    big = factories.ClassroomFactory(teacher=teacher)
    few = count_queries(lambda: client.post(add_url(small), {"names": "\n".join(f"Ana {i}" for i in range(3))}))
    many = count_queries(lambda: client.post(add_url(big), {"names": "\n".join(f"Ben {i}" for i in range(30))}))
    assert few == many
    assert big.enrollments.count() == 30


def test_login_cards_query_count_is_the_same_for_3_and_30_cards(client, teacher, count_queries):
    client.force_login(teacher)
    small = factories.ClassroomFactory(teacher=teacher)
    big = factories.ClassroomFactory(teacher=teacher)
    client.post(add_url(small), {"names": "\n".join(f"Ana {i}" for i in range(3))})
    few = count_queries(lambda: client.get(cards_url(small)))
    client.post(add_url(big), {"names": "\n".join(f"Ben {i}" for i in range(30))})
    many = count_queries(lambda: client.get(cards_url(big)))
    assert few == many
