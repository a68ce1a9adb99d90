"""Discussion: classmates' posted answers, grouped by position, with replies and moderation."""

import pytest
from django.urls import reverse

from lessons import services
from lessons.models import Reply
from tests import factories as f

from .coursework_setup import answer, first_prompt, make_assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(classroom):
    return make_assignment(classroom)


@pytest.fixture
def prompt(assignment):
    return first_prompt(assignment)


def post(student, assignment, prompt, position="Partly", body=None):
    body = body or f"{student.username} argues {position}."
    return services.submit_response(
        student=student, assignment=assignment, prompt=prompt, answer=answer(body, position=position), base_version=0
    ).response


def classmate(classroom):
    return f.EnrollmentFactory(classroom=classroom).student


def url(assignment, prompt):
    return reverse("coursework:discussion", args=[assignment.pk, prompt.pk])


def test_classmates_answers_are_hidden_until_the_student_posts(client, student, classroom, assignment, prompt):
    other = classmate(classroom)
    post(other, assignment, prompt, body="A classmate view.")
    client.force_login(student)
    page = client.get(url(assignment, prompt)).content.decode()
    assert "A classmate view." not in page
    assert "Post your own answer first" in page
    post(student, assignment, prompt)
    assert "A classmate view." in client.get(url(assignment, prompt)).content.decode()


def test_a_draft_is_not_posting(client, student, classroom, assignment, prompt):
    post(classmate(classroom), assignment, prompt, body="Posted view.")
    services.save_draft(student=student, assignment=assignment, prompt=prompt, answer=answer(), base_version=0)
    client.force_login(student)
    assert "Posted view." not in client.get(url(assignment, prompt)).content.decode()


def test_without_post_first_the_discussion_is_open_at_once(client, student, classroom, prompt):
    assignment = make_assignment(classroom, post_first=False)
    prompt = first_prompt(assignment)
    post(classmate(classroom), assignment, prompt, body="Open for all.")
    client.force_login(student)
    assert "Open for all." in client.get(url(assignment, prompt)).content.decode()


def test_discussion_off_is_404(client, student, classroom):
    assignment = make_assignment(classroom, discussion_on=False)
    client.force_login(student)
    assert client.get(url(assignment, first_prompt(assignment))).status_code == 404


def test_drafts_of_classmates_are_never_shown(client, student, classroom, assignment, prompt):
    other = classmate(classroom)
    services.save_draft(
        student=other, assignment=assignment, prompt=prompt, answer=answer("Unfinished draft."), base_version=0
    )
    post(student, assignment, prompt)
    client.force_login(student)
    assert "Unfinished draft." not in client.get(url(assignment, prompt)).content.decode()


def test_views_that_disagree_come_first(client, student, classroom, assignment, prompt):
    post(classmate(classroom), assignment, prompt, position="Partly")
    post(classmate(classroom), assignment, prompt, position="Yes, it backfired")
    post(classmate(classroom), assignment, prompt, position="No, it paid off")
    post(student, assignment, prompt, position="Partly")
    client.force_login(student)
    groups = client.get(url(assignment, prompt)).context["groups"]
    labels = [label for label, _posts in groups]
    assert labels[:2] == ["Yes, it backfired", "No, it paid off"]
    assert labels[2].startswith("Partly")


def test_hidden_posts_and_replies_vanish_for_students(client, teacher, student, classroom, assignment, prompt):
    other = classmate(classroom)
    hidden_post = post(other, assignment, prompt, body="Rude post.")
    kept = post(classmate(classroom), assignment, prompt, body="Kind post.")
    post(student, assignment, prompt)
    reply = services.post_reply(author=student, response=kept, body="A rude reply.")
    services.set_post_hidden(teacher=teacher, response=hidden_post, hidden=True)
    services.set_reply_hidden(teacher=teacher, reply=reply, hidden=True)
    client.force_login(student)
    page = client.get(url(assignment, prompt)).content.decode()
    assert "Rude post." not in page and "A rude reply." not in page and "Kind post." in page


def test_teacher_sees_hidden_posts_marked_on_the_moderation_page(client, teacher, student, assignment, prompt):
    hidden_post = post(student, assignment, prompt, body="Rude post.")
    client.force_login(teacher)
    client.post(reverse("coursework:hide_post", args=[hidden_post.pk]), {"hidden": "1"})
    hidden_post.refresh_from_db()
    assert hidden_post.hidden
    page = client.get(reverse("coursework:moderate", args=[assignment.pk])).content.decode()
    assert "Rude post." in page and "Hidden" in page and "Show post" in page
    client.post(reverse("coursework:hide_post", args=[hidden_post.pk]), {"hidden": "0"})
    hidden_post.refresh_from_db()
    assert not hidden_post.hidden


def test_teacher_hides_a_reply(client, teacher, student, classroom, assignment, prompt):
    theirs = post(classmate(classroom), assignment, prompt)
    post(student, assignment, prompt)
    reply = services.post_reply(author=student, response=theirs, body="Hmm.")
    client.force_login(teacher)
    client.post(reverse("coursework:hide_reply", args=[reply.pk]), {"hidden": "1"})
    assert Reply.objects.get().hidden


def test_another_teacher_cannot_moderate(client, other_teacher, student, assignment, prompt):
    mine = post(student, assignment, prompt)
    client.force_login(other_teacher)
    assert client.get(reverse("coursework:moderate", args=[assignment.pk])).status_code == 404
    assert client.post(reverse("coursework:hide_post", args=[mine.pk]), {"hidden": "1"}).status_code == 404
    mine.refresh_from_db()
    assert not mine.hidden


def test_a_student_cannot_moderate(client, student, assignment, prompt):
    mine = post(student, assignment, prompt)
    client.force_login(student)
    assert client.post(reverse("coursework:hide_post", args=[mine.pk]), {"hidden": "1"}).status_code == 404


def test_student_replies_briefly_to_a_classmate(client, student, classroom, assignment, prompt):
    theirs = post(classmate(classroom), assignment, prompt)
    post(student, assignment, prompt)
    client.force_login(student)
    reply_url = reverse("coursework:reply", args=[assignment.pk, theirs.pk])
    client.post(reply_url, {"body": "What about the Mao section?"})
    assert Reply.objects.get().body == "What about the Mao section?"
    assert "What about the Mao section?" in client.get(url(assignment, prompt)).content.decode()
    client.post(reply_url, {"body": "x" * 600})
    assert Reply.objects.count() == 1


def test_student_of_another_class_cannot_see_or_reply(client, outsider_student, classroom, assignment, prompt):
    theirs = post(classmate(classroom), assignment, prompt)
    client.force_login(outsider_student)
    assert client.get(url(assignment, prompt)).status_code == 404
    assert client.post(reverse("coursework:reply", args=[assignment.pk, theirs.pk]), {"body": "hi"}).status_code == 404
    assert not Reply.objects.exists()


def test_student_not_chosen_cannot_see_the_discussion(client, student, classroom):
    chosen = classmate(classroom)
    assignment = make_assignment(classroom, students=[chosen], post_first=False)
    client.force_login(student)
    assert client.get(url(assignment, first_prompt(assignment))).status_code == 404


def test_discussion_query_count_is_the_same_for_3_and_60_classmates(client, teacher, count_queries):
    counts = []
    for size in (3, 60):
        classroom = f.ClassroomFactory(teacher=teacher)
        student = f.EnrollmentFactory(classroom=classroom).student
        assignment = make_assignment(classroom)
        prompt = first_prompt(assignment)
        post(student, assignment, prompt)
        for i in range(size):
            theirs = post(classmate(classroom), assignment, prompt, position=["Partly", "No, it paid off"][i % 2])
            services.post_reply(author=student, response=theirs, body="Why?")
        client.force_login(student)
        counts.append(count_queries(lambda a=assignment, p=prompt: client.get(url(a, p))))
        client.force_login(teacher)
        counts.append(count_queries(lambda a=assignment: client.get(reverse("coursework:moderate", args=[a.pk]))))
    assert counts[0] == counts[2] and counts[1] == counts[3]
