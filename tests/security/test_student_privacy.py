"""A teacher downloads all of one student's data, and deletes the student:
afterwards no row in any model belongs to that student."""

import json
from functools import reduce
from operator import or_

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.http import Http404
from django.urls import reverse

from accounts.models import User
from accounts.privacy import delete_student, export_student_data
from tests import factories

from .world import build_world

pytestmark = pytest.mark.django_db


def paths_to_user(model, depth: int = 4, prefix: str = "") -> list[str]:
    """Every chain of forward foreign keys from `model` that ends at User."""
    found = []
    for field in model._meta.get_fields():
        if not (field.many_to_one or field.one_to_one) or not field.concrete or field.related_model is None:
            continue
        path = f"{prefix}{field.name}"
        if field.related_model is User:
            found.append(path)
        elif depth > 1:
            found.extend(paths_to_user(field.related_model, depth - 1, f"{path}__"))
    return found


def rows_of(user: User) -> dict[str, int]:
    """How many rows of each model belong to `user`: linked to the account by
    any chain of foreign keys, or (where no key exists) by username, by the
    admin history about the account, or by the session's signed-in user."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        conditions = [Q(**{path: user.pk}) for path in paths_to_user(model)]
        if model is User:
            conditions.append(Q(pk=user.pk))
        if model in (AccessAttempt, AccessLog, AccessFailureLog):
            conditions.append(Q(username=user.username))
        if model is AccessAttemptExpiration:
            conditions.append(Q(access_attempt__username=user.username))
        if model is LogEntry:
            conditions.append(Q(content_type__model="user", object_id=str(user.pk)))
        if model is Session:
            counts[label] = sum(
                1 for s in Session.objects.all() if str(s.get_decoded().get("_auth_user_id")) == str(user.pk)
            )
            continue
        counts[label] = model.objects.filter(reduce(or_, conditions)).distinct().count() if conditions else 0
    return counts


def model_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models(include_auto_created=True)}


def test_deleting_a_student_leaves_no_row_of_theirs_in_any_model():
    world = build_world()
    before_totals = model_counts()
    theirs = rows_of(world.student)
    classmate_before = rows_of(world.classmate)
    other_before = rows_of(world.other_student)
    teacher_before = rows_of(world.teacher)
    # The world really gives the student rows in every kind of place.
    for label in [
        "accounts.User", "accounts.Enrollment", "lessons.Response", "lessons.ResponseVersion", "lessons.Feedback",
        "lessons.Reply", "lessons.SectionRead", "lessons.Assignment_students", "axes.AccessAttempt",
        "axes.AccessAttemptExpiration", "axes.AccessLog", "axes.AccessFailureLog", "admin.LogEntry",
        "sessions.Session",
    ]:
        assert theirs[label] > 0, label

    delete_student(teacher=world.teacher, student=world.student)

    after = rows_of(world.student)
    assert after == dict.fromkeys(after, 0), {k: v for k, v in after.items() if v}
    after_totals = model_counts()
    for label, total in before_totals.items():
        assert after_totals[label] == total - theirs[label], f"{label}: {total} -> {after_totals[label]}"
    # Nobody else lost anything but the replies under the deleted answers.
    assert rows_of(world.other_student) == other_before
    assert rows_of(world.teacher) == {**teacher_before, **{k: teacher_before[k] - theirs[k] for k in (
        "lessons.Response", "lessons.ResponseVersion", "lessons.Feedback", "lessons.Reply", "lessons.SectionRead",
        "accounts.Enrollment", "lessons.Assignment_students",
    )}}
    classmate_after = rows_of(world.classmate)
    # Gone: the classmate's reply under the student's answer, and the student's reply under the classmate's.
    assert classmate_after["lessons.Reply"] == classmate_before["lessons.Reply"] - 2
    assert world.classmate_response.replies.count() == 0
    assert classmate_after["lessons.Response"] == classmate_before["lessons.Response"]


def test_only_a_teacher_of_the_students_class_can_delete_them():
    world = build_world()
    for outsider in (world.other_teacher, world.classmate, world.other_student):
        with pytest.raises(Http404):
            delete_student(teacher=outsider, student=world.student)
    with pytest.raises(Http404):
        delete_student(teacher=world.teacher, student=world.other_student)
    with pytest.raises(Http404):  # staff act through the admin, not as a teacher of the class
        delete_student(teacher=world.staff, student=world.student)
    assert User.objects.filter(pk=world.student.pk).exists()
    assert User.objects.filter(pk=world.other_student.pk).exists()


def test_a_teacher_cannot_delete_another_teacher_through_this_service():
    world = build_world()
    with pytest.raises(Http404):
        delete_student(teacher=world.teacher, student=world.other_teacher)


def test_the_export_holds_answers_versions_feedback_replies_enrolments_and_reading():
    world = build_world()
    data = export_student_data(teacher=world.teacher, student=world.student)

    assert data["student"]["username"] == world.student.username
    assert [e["class"] for e in data["enrolments"]] == [world.classroom.name]
    [answer] = data["answers"]
    assert answer["answer"] == world.response.body
    assert [v["answer"] for v in answer["versions"]] == [" first draft", world.response.body]
    assert answer["feedback"]["comment"] == world.feedback.comment
    assert answer["feedback"]["scores"] == world.feedback.scores()
    assert [r["reply"] for r in data["discussion_replies"]] == [world.student_reply.body]
    assert [r["section"] for r in data["reading_progress"]] == [world.section.heading]
    json.dumps(data)  # plain JSON, nothing left to serialise


def test_the_export_holds_nothing_of_other_students():
    world = build_world(mark="MARK")
    text = json.dumps(export_student_data(teacher=world.teacher, student=world.student))
    assert world.classmate.username not in text
    assert world.classmate.display_name not in text
    assert world.other_student.username not in text
    assert world.reply.body not in text  # a classmate's words are theirs


def test_an_outsider_cannot_export_a_student():
    world = build_world()
    for outsider in (world.other_teacher, world.classmate, world.staff):
        with pytest.raises(Http404):
            export_student_data(teacher=outsider, student=world.student)


def test_a_teacher_downloads_a_students_data_as_a_json_file(client):
    world = build_world()
    client.force_login(world.teacher)
    response = client.get(reverse("privacy_tools:student_export", args=[world.student.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == f'attachment; filename="student-{world.student.pk}-data.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["answers"][0]["answer"] == world.response.body


@pytest.mark.parametrize(
    ("who", "status"), [("other_teacher", 404), ("staff", 404), ("classmate", 403), ("other_student", 403)]
)
def test_other_teachers_get_404_and_students_403_for_the_export_and_the_delete_page(client, who, status):
    world = build_world()
    client.force_login(getattr(world, who))
    assert client.get(reverse("privacy_tools:student_export", args=[world.student.pk])).status_code == status
    assert client.get(reverse("privacy_tools:student_delete", args=[world.student.pk])).status_code == status
    response = client.post(
        reverse("privacy_tools:student_delete", args=[world.student.pk]),
        {"confirm_username": world.student.username},
    )
    assert response.status_code == status
    assert User.objects.filter(pk=world.student.pk).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    student = factories.StudentFactory()
    for name in ("student_export", "student_delete"):
        response = client.get(reverse(f"privacy_tools:{name}", args=[student.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_delete_page_asks_for_confirmation_and_deletes_only_when_given(client):
    world = build_world(mark="")
    client.force_login(world.teacher)
    url = reverse("privacy_tools:student_delete", args=[world.student.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert b"Type the student&#x27;s username to confirm" in page.content

    wrong = client.post(url, {"confirm_username": "someone-else"})
    assert wrong.status_code == 400
    assert b"nothing was deleted" in wrong.content
    assert User.objects.filter(pk=world.student.pk).exists()
    assert client.post(url, {}).status_code == 400
    assert User.objects.filter(pk=world.student.pk).exists()

    done = client.post(url, {"confirm_username": world.student.username}, follow=True)
    assert done.redirect_chain[0] == (reverse("teach:dashboard"), 302)
    assert b"have been deleted" in done.content
    assert not User.objects.filter(pk=world.student.pk).exists()


def test_after_deleting_from_a_roster_the_teacher_is_back_on_that_roster(client):
    world = build_world()
    client.force_login(world.teacher)
    url = reverse("privacy_tools:student_delete", args=[world.student.pk]) + f"?from={world.classroom.pk}"
    page = client.get(url)
    assert f'href="{reverse("teach:classroom", args=[world.classroom.pk])}"'.encode() in page.content
    response = client.post(url, {"confirm_username": world.student.username})
    assert response["Location"] == reverse("teach:classroom", args=[world.classroom.pk])


def test_a_from_that_is_not_the_teachers_class_goes_to_the_dashboard(client):
    world = build_world()
    client.force_login(world.teacher)
    for bad in (str(world.other_classroom.pk), "abc", "https://evil.example/", "99999999999999999999", "\u00b2"):
        url = reverse("privacy_tools:student_delete", args=[world.student.pk]) + f"?from={bad}"
        response = client.post(url, {"confirm_username": world.student.username})
        assert response["Location"] == reverse("teach:dashboard"), bad
        world = build_world()
        client.force_login(world.teacher)


def test_a_deleted_students_open_session_no_longer_works(client):
    world = build_world()
    client.force_login(world.student)
    assert client.get(reverse("coursework:learn")).status_code == 200
    delete_student(teacher=world.teacher, student=world.student)
    response = client.get(reverse("coursework:learn"))
    assert response.status_code == 302


def test_the_delete_page_makes_the_same_number_of_queries_for_a_student_in_many_classes(client, count_queries):
    world = build_world()
    client.force_login(world.teacher)
    url = reverse("privacy_tools:student_delete", args=[world.student.pk])
    few = count_queries(lambda: client.get(url))
    for _ in range(5):
        factories.EnrollmentFactory(student=world.student, classroom=factories.ClassroomFactory(teacher=world.teacher))
    assert count_queries(lambda: client.get(url)) == few


def test_the_export_makes_the_same_number_of_queries_however_much_work_there_is(count_queries):
    world = build_world()
    few = count_queries(lambda: export_student_data(teacher=world.teacher, student=world.student))
    for _ in range(5):
        assignment = factories.AssignmentFactory(classroom=world.classroom, lesson=world.lesson)
        response = factories.ResponseFactory(assignment=assignment, prompt=world.prompt, student=world.student)
        factories.FeedbackFactory(response=response)
        factories.ReplyFactory(response=response, author=world.student)
    assert count_queries(lambda: export_student_data(teacher=world.teacher, student=world.student)) == few


def test_the_roster_links_each_student_to_their_data_and_to_deletion(client):
    world = build_world()
    client.force_login(world.teacher)
    page = client.get(reverse("teach:classroom", args=[world.classroom.pk])).content.decode()
    for student in (world.student, world.classmate):
        assert reverse("privacy_tools:student_export", args=[student.pk]) in page
        assert f'{reverse("privacy_tools:student_delete", args=[student.pk])}?from={world.classroom.pk}' in page
