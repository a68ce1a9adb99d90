"""The review screen at /teach/responses/<id>/: rubric, comment, bank, navigation, revisions, access."""

import pytest
from django.urls import reverse

from lessons.models import CommentBankEntry, Feedback, Response
from tests import factories
from tests.lessons.review_helpers import fill_class, make_review_class, resubmit, submitted

pytestmark = pytest.mark.django_db
Status = Response.Status


def review_url(response):
    return reverse("review:response", args=[response.pk])


@pytest.fixture
def answer():
    rc = make_review_class(students=3, prompts=1)
    rc.students.sort(key=lambda s: (s.display_name, s.username))  # roster order
    response = submitted(
        assignment=rc.assignment,
        prompt=rc.prompts[0],
        student=rc.students[0],
        cited=[rc.sections[1].pk],
        quote="Does it not give us an advantage?",
    )
    response.review_class = rc
    return response


def post_feedback(client, response, action, **fields):
    data = {"action": action, "comment": "", "version": response.version, **fields}
    return client.post(review_url(response), data)


def test_review_screen_shows_prompt_position_answer_citations_and_rubric(client, answer):
    rc = answer.review_class
    client.force_login(rc.teacher)

    page = client.get(review_url(answer))

    html = page.content.decode()
    assert page.status_code == 200
    assert answer.prompt.text in html
    assert answer.position in html
    assert answer.body in html
    assert rc.sections[1].heading in html
    assert rc.sections[0].heading not in html
    assert "Does it not give us an advantage?" in html
    for criterion in ["Claim", "Evidence", "Reasoning", "Use of sources"]:
        assert f">{criterion}</legend>" in html
    assert "4: Weighs sources against each other and judges their reliability." in html
    for button in ["Save draft", "Save and return", "Request revision"]:
        assert button in html


def test_save_draft_keeps_feedback_hidden_from_the_student(client, answer):
    client.force_login(answer.review_class.teacher)

    reply = post_feedback(client, answer, "draft", claim="3", evidence="2", comment="Add a date.")

    assert reply.status_code == 302
    feedback = Feedback.objects.get(response=answer)
    assert (feedback.claim, feedback.evidence, feedback.reasoning, feedback.comment) == (3, 2, None, "Add a date.")
    assert feedback.released_at is None
    answer.refresh_from_db()
    assert answer.status == Status.SUBMITTED


def test_save_and_return_releases_feedback_and_moves_to_the_next_student(client, answer):
    rc = answer.review_class
    following = submitted(assignment=rc.assignment, prompt=rc.prompts[0], student=rc.students[1])
    client.force_login(rc.teacher)

    reply = post_feedback(client, answer, "return", claim="4", evidence="3", reasoning="3", sources="2")

    answer.refresh_from_db()
    assert answer.status == Status.RETURNED
    assert answer.feedback.released_at is not None
    assert reply["Location"] == review_url(following)


def test_returning_empty_feedback_is_refused_and_changes_nothing(client, answer):
    client.force_login(answer.review_class.teacher)

    reply = post_feedback(client, answer, "return")

    assert reply.status_code == 400
    assert "Give at least one rubric score or a comment" in reply.content.decode()
    answer.refresh_from_db()
    assert answer.status == Status.SUBMITTED
    assert not Feedback.objects.filter(response=answer).exists()


def test_a_score_outside_the_rubric_is_refused(client, answer):
    client.force_login(answer.review_class.teacher)

    reply = post_feedback(client, answer, "return", claim="5", comment="Good.")

    assert reply.status_code == 400
    assert not Feedback.objects.filter(response=answer).exists()


def test_an_unknown_action_is_refused(client, answer):
    client.force_login(answer.review_class.teacher)

    reply = post_feedback(client, answer, "publish", comment="Good.")

    assert reply.status_code == 400
    assert not Feedback.objects.filter(response=answer).exists()


def test_feedback_on_an_answer_changed_since_opening_is_refused(client, answer):
    client.force_login(answer.review_class.teacher)
    stale = answer.version
    answer.version += 1
    answer.save()

    reply = client.post(review_url(answer), {"action": "return", "comment": "Fine.", "version": stale})

    assert reply.status_code == 400
    assert "This answer has changed since you opened it." in reply.content.decode()
    assert not Feedback.objects.filter(response=answer).exists()


def test_request_revision_reopens_the_answer_and_shows_the_comment(client, answer):
    client.force_login(answer.review_class.teacher)

    post_feedback(client, answer, "revision", comment="Use a second source.")

    answer.refresh_from_db()
    assert answer.status == Status.REVISING
    assert answer.is_editable
    assert answer.feedback.released_at is not None


def test_request_revision_needs_a_comment(client, answer):
    client.force_login(answer.review_class.teacher)

    reply = post_feedback(client, answer, "revision", claim="2")

    assert reply.status_code == 400
    assert "Say in the comment what the student should revise." in reply.content.decode()
    answer.refresh_from_db()
    assert answer.status == Status.SUBMITTED


def test_after_resubmission_the_teacher_sees_the_highlighted_change(client, answer):
    client.force_login(answer.review_class.teacher)
    post_feedback(client, answer, "revision", comment="Explain why.")
    answer.refresh_from_db()
    resubmit(answer, body="Stalin wanted America tied down in Asia, because Europe mattered more.")

    page = client.get(review_url(answer))

    html = page.content.decode()
    assert "What changed in the revision" in html
    assert '<del class="diff-del">Asia.</del>' in html
    assert '<ins class="diff-ins">Asia, because Europe mattered more.</ins>' in html


def test_a_draft_answer_cannot_be_reviewed_yet(client):
    rc = make_review_class(students=1, prompts=1)
    draft = factories.ResponseFactory(
        assignment=rc.assignment, prompt=rc.prompts[0], student=rc.students[0], status=Status.DRAFT
    )
    client.force_login(rc.teacher)

    page = client.get(review_url(draft))
    reply = post_feedback(client, draft, "return", comment="Good.")

    assert "This answer has not been submitted yet." in page.content.decode()
    assert reply.status_code == 400
    assert not Feedback.objects.filter(response=draft).exists()


def test_next_and_previous_follow_the_roster_and_skip_drafts(client):
    rc = make_review_class(students=4, prompts=1)
    prompt = rc.prompts[0]
    by_name = sorted(rc.students, key=lambda s: (s.display_name, s.username))
    first = submitted(assignment=rc.assignment, prompt=prompt, student=by_name[0])
    factories.ResponseFactory(assignment=rc.assignment, prompt=prompt, student=by_name[1], status=Status.DRAFT)
    third = submitted(assignment=rc.assignment, prompt=prompt, student=by_name[2])
    fourth = submitted(assignment=rc.assignment, prompt=prompt, student=by_name[3], status=Status.RETURNED)
    client.force_login(rc.teacher)

    page = client.get(review_url(third))

    assert page.context["previous"].pk == first.pk
    assert page.context["next"].pk == fourth.pk
    html = page.content.decode()
    assert f'href="{review_url(first)}" rel="prev"' in html
    assert f'href="{review_url(fourth)}" rel="next"' in html
    assert "Answer 2 of 3" in html


def test_comment_bank_is_personal_to_the_teacher(client, answer, other_teacher):
    rc = answer.review_class
    mine = factories.CommentBankEntryFactory(teacher=rc.teacher, text="Cite the date of the letter.")
    factories.CommentBankEntryFactory(teacher=other_teacher, text="Someone else's comment.")
    client.force_login(rc.teacher)

    html = client.get(review_url(answer)).content.decode()

    assert f'data-bank-text="{mine.text}"' in html
    assert "Someone else&#x27;s comment." not in html and "Someone else's comment." not in html


def test_teacher_adds_and_removes_comment_bank_entries(client, answer):
    rc = answer.review_class
    client.force_login(rc.teacher)
    back = review_url(answer)

    client.post(reverse("review:comment_bank_add"), {"text": "  Name the author.  ", "next": back})
    entry = CommentBankEntry.objects.get(teacher=rc.teacher)
    assert entry.text == "Name the author."
    reply = client.post(reverse("review:comment_bank_delete", args=[entry.pk]), {"next": back})

    assert reply["Location"] == back
    assert not CommentBankEntry.objects.filter(teacher=rc.teacher).exists()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "teach:dashboard", "x-y", "/a\x00b"])
def test_comment_bank_redirect_only_goes_back_to_a_page_on_this_site(client, teacher, target):
    client.force_login(teacher)
    reply = client.post(reverse("review:comment_bank_add"), {"text": "Good.", "next": target})
    assert reply.status_code == 302
    assert reply["Location"] == reverse("teach:dashboard")


def test_empty_comment_bank_entry_is_refused(client, teacher):
    client.force_login(teacher)
    client.post(reverse("review:comment_bank_add"), {"text": "   "})
    assert not CommentBankEntry.objects.exists()


def test_keeping_a_feedback_comment_in_the_bank(client, answer):
    client.force_login(answer.review_class.teacher)
    post_feedback(client, answer, "draft", comment="Weigh the two sources.", add_to_bank="on")
    assert CommentBankEntry.objects.filter(teacher=answer.review_class.teacher, text="Weigh the two sources.").exists()


def test_another_teacher_cannot_delete_my_comment_bank_entry(client, other_teacher):
    entry = factories.CommentBankEntryFactory()
    client.force_login(other_teacher)
    assert client.post(reverse("review:comment_bank_delete", args=[entry.pk])).status_code == 404
    assert CommentBankEntry.objects.filter(pk=entry.pk).exists()


def test_student_cannot_add_to_a_comment_bank(client, student):
    client.force_login(student)
    assert client.post(reverse("review:comment_bank_add"), {"text": "Hi"}).status_code == 404
    assert not CommentBankEntry.objects.exists()


# --- access ---------------------------------------------------------------


def test_another_teacher_gets_404_for_the_review_screen_and_cannot_write(client, answer, other_teacher):
    client.force_login(other_teacher)

    assert client.get(review_url(answer)).status_code == 404
    assert post_feedback(client, answer, "return", comment="Mine now.").status_code == 404
    assert not Feedback.objects.filter(response=answer).exists()


def test_the_student_who_wrote_the_answer_gets_404_for_the_review_screen(client, answer):
    client.force_login(answer.student)
    assert client.get(review_url(answer)).status_code == 404
    assert post_feedback(client, answer, "return", comment="Top marks.").status_code == 404


def test_student_of_another_class_gets_404_for_the_review_screen(client, answer, outsider_student):
    client.force_login(outsider_student)
    assert client.get(review_url(answer)).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in_from_the_review_screen(client, answer):
    reply = client.get(review_url(answer))
    assert reply.status_code == 302 and reverse("accounts:login") in reply["Location"]


# --- query counts ---------------------------------------------------------


def _review_queries(client, count_queries, students):
    rc = make_review_class(students=students, prompts=2)
    fill_class(rc)
    for index in range(3):
        factories.CommentBankEntryFactory(teacher=rc.teacher, text=f"Comment {index}")
    response = Response.objects.filter(assignment=rc.assignment, status=Status.SUBMITTED).order_by("pk").first()
    resubmit(response, body=response.body + " And more.")
    client.force_login(rc.teacher)
    url = review_url(response)
    client.get(url)
    return count_queries(lambda: client.get(url))


def test_review_screen_query_count_does_not_grow_with_the_class(client, count_queries):
    assert _review_queries(client, count_queries, 3) == _review_queries(client, count_queries, 60)
