import pytest
from django.urls import reverse

from accounts.models import Enrollment, User
from tests import factories

pytestmark = pytest.mark.django_db

JOIN = reverse("join")
LEARN = reverse("coursework:learn")


def new_student_data(code, **overrides):
    data = {
        "code": code,
        "display_name": "Minjun K",
        "username": "minjun",
        "password1": "harbor-kite-2024",
        "password2": "harbor-kite-2024",
    }
    data.update(overrides)
    return data


def test_join_page_prefills_the_code_from_the_qr_link(client, classroom):
    response = client.get(f"{JOIN}?code={classroom.join_code}")
    assert response.status_code == 200
    assert f'value="{classroom.join_code}"' in response.content.decode()


def test_anonymous_join_page_asks_no_email_and_no_birth_date(client):
    page = client.get(JOIN).content.decode()
    assert "Class code" in page
    assert "Your name" in page
    assert "email" not in page.lower().replace("no email needed", "")
    assert "birth" not in page.lower()


def test_anonymous_student_creates_account_joins_and_lands_on_learn(client, classroom):
    response = client.post(JOIN, new_student_data(classroom.join_code))
    assert response.status_code == 302
    assert response.url == LEARN
    student = User.objects.get(username="minjun")
    assert student.role == User.Role.STUDENT
    assert student.email == ""
    assert not student.must_change_password
    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()
    assert client.session["_auth_user_id"] == str(student.pk)
    assert client.get(LEARN).status_code == 200


def test_code_is_accepted_in_lower_case_with_spaces_and_dashes(client, classroom):
    typed = f"{classroom.join_code[:4].lower()}-{classroom.join_code[4:].lower()} "
    response = client.post(JOIN, new_student_data(typed))
    assert response.status_code == 302
    assert Enrollment.objects.filter(classroom=classroom, student__username="minjun").exists()


def test_wrong_code_shows_a_message_and_creates_no_account(client, classroom):
    response = client.post(JOIN, new_student_data("ZZZZZZZZ"))
    assert response.status_code == 200
    assert "No class has this code" in response.content.decode()
    assert not User.objects.filter(username="minjun").exists()


def test_invalid_account_details_create_nothing_and_keep_the_code(client, classroom):
    response = client.post(JOIN, new_student_data(classroom.join_code, password2="different-one-99"))
    assert response.status_code == 200
    assert not User.objects.filter(username="minjun").exists()
    assert not Enrollment.objects.exists()


def test_student_signup_uses_password_validators(client, classroom):
    response = client.post(JOIN, new_student_data(classroom.join_code, password1="12345678", password2="12345678"))
    assert response.status_code == 200
    assert not User.objects.filter(username="minjun").exists()


def test_signed_in_student_joins_at_once(client, classroom, outsider_student):
    client.force_login(outsider_student)
    page = client.get(JOIN).content.decode()
    assert "Your name" not in page
    response = client.post(JOIN, {"code": classroom.join_code})
    assert response.url == LEARN
    assert Enrollment.objects.filter(classroom=classroom, student=outsider_student).exists()
    # A student can be in several classes.
    assert outsider_student.enrollments.count() == 2


def test_joining_a_class_twice_keeps_one_enrolment(client, classroom, student):
    client.force_login(student)
    response = client.post(JOIN, {"code": classroom.join_code}, follow=True)
    assert Enrollment.objects.filter(classroom=classroom, student=student).count() == 1
    assert "already in" in response.content.decode()


def test_old_code_stops_working_after_regeneration(client, classroom, outsider_student):
    old = classroom.join_code
    classroom.regenerate_join_code()
    client.force_login(outsider_student)
    response = client.post(JOIN, {"code": old})
    assert response.status_code == 200
    assert "No class has this code" in response.content.decode()
    assert not Enrollment.objects.filter(classroom=classroom, student=outsider_student).exists()


def test_code_of_a_class_with_joining_closed_is_refused(client, classroom, outsider_student):
    classroom.joining_open = False
    classroom.save()
    client.force_login(outsider_student)
    response = client.post(JOIN, {"code": classroom.join_code})
    assert response.status_code == 200
    assert "not taking new students" in response.content.decode()
    assert not Enrollment.objects.filter(classroom=classroom, student=outsider_student).exists()


def test_code_of_an_archived_class_is_refused(client, classroom, outsider_student):
    classroom.archive()
    client.force_login(outsider_student)
    response = client.post(JOIN, {"code": classroom.join_code})
    assert "No class has this code" in response.content.decode()
    assert not Enrollment.objects.filter(classroom=classroom, student=outsider_student).exists()


def test_teacher_cannot_join_a_class(client, classroom, other_teacher):
    client.force_login(other_teacher)
    response = client.post(JOIN, {"code": classroom.join_code})
    assert response.status_code == 200
    assert "signed in as a teacher" in response.content.decode()
    assert not Enrollment.objects.filter(student=other_teacher).exists()


def test_more_than_ten_bad_codes_from_one_address_get_429(client, classroom):
    for _ in range(10):
        assert client.post(JOIN, {"code": "ZZZZZZZZ"}).status_code == 200
    response = client.post(JOIN, new_student_data(classroom.join_code))
    assert response.status_code == 429
    assert "Too many wrong class codes" in response.content.decode()
    assert not User.objects.filter(username="minjun").exists()


def test_bad_codes_from_another_address_do_not_count(client, classroom):
    for _ in range(10):
        client.post(JOIN, {"code": "ZZZZZZZZ"}, REMOTE_ADDR="10.0.0.1")
    response = client.post(JOIN, new_student_data(classroom.join_code), REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


def test_good_codes_and_account_mistakes_do_not_count_towards_the_limit(client, classroom):
    for _ in range(12):
        client.post(JOIN, new_student_data(classroom.join_code, password2="mismatch-mismatch"))
    response = client.post(JOIN, new_student_data(classroom.join_code))
    assert response.status_code == 302


def test_bad_code_limit_resets_after_fifteen_minutes(client, classroom):
    from django.core.cache import cache

    for _ in range(10):
        client.post(JOIN, {"code": "ZZZZZZZZ"})
    assert client.post(JOIN, {"code": classroom.join_code}).status_code == 429
    cache.delete("join-bad-codes:127.0.0.1")  # what the cache's 15-minute expiry does
    assert client.post(JOIN, new_student_data(classroom.join_code)).status_code == 302


def test_join_code_alphabet_has_no_look_alikes(db):
    codes = {factories.ClassroomFactory().join_code for _ in range(30)}
    for code in codes:
        assert len(code) == 8
        assert not set(code) & set("01OIL")
