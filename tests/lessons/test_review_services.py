"""The review services, called directly: the status contract and the rules they enforce."""

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone

from lessons import review_services as services
from lessons.charts import position_flow, position_split
from lessons.diff import word_diff
from lessons.models import CommentBankEntry, Feedback, Response
from tests import factories
from tests.lessons.review_helpers import make_review_class, resubmit, submitted

pytestmark = pytest.mark.django_db
Status = Response.Status
SCORES = {"claim": 3, "evidence": 2, "reasoning": None, "sources": 1}


@pytest.fixture
def rc():
    return make_review_class(students=2, prompts=1)


@pytest.fixture
def answer(rc):
    return submitted(assignment=rc.assignment, prompt=rc.prompts[0], student=rc.students[0])


def test_return_feedback_makes_the_answer_returned_and_bumps_its_version(rc, answer):
    before = answer.version
    feedback = services.return_feedback(teacher=rc.teacher, response=answer, scores=SCORES, comment=" Good. ")
    answer.refresh_from_db()
    assert answer.status == Status.RETURNED
    assert answer.version == before + 1
    assert feedback.is_released and feedback.comment == "Good." and feedback.teacher == rc.teacher


def test_saving_a_draft_after_returning_takes_the_feedback_back(rc, answer):
    services.return_feedback(teacher=rc.teacher, response=answer, scores=SCORES, comment="Good.")
    services.save_feedback(teacher=rc.teacher, response=answer, scores=SCORES, comment="Better wording.")
    answer.refresh_from_db()
    assert answer.status == Status.SUBMITTED
    assert answer.feedback.released_at is None


def test_a_teacher_of_another_class_cannot_write_feedback(rc, answer, other_teacher):
    for service in (services.save_feedback, services.return_feedback, services.request_revision):
        with pytest.raises(ValidationError):
            service(teacher=other_teacher, response=answer, scores=SCORES, comment="Mine.")
    assert not Feedback.objects.exists()
    with pytest.raises(ValidationError):
        services.return_all_reviewed(teacher=other_teacher, assignment=rc.assignment)


def test_scores_outside_one_to_four_or_unknown_criteria_are_refused(rc, answer):
    for scores in ({"claim": 0}, {"claim": 5}, {"style": 2}, {"claim": "3"}):
        with pytest.raises(ValidationError):
            services.save_feedback(teacher=rc.teacher, response=answer, scores=scores, comment="")
    assert not Feedback.objects.exists()


def test_while_the_student_revises_the_teacher_cannot_change_feedback(rc, answer):
    services.request_revision(teacher=rc.teacher, response=answer, scores={}, comment="Add evidence.")
    with pytest.raises(ValidationError, match="revising"):
        services.return_feedback(teacher=rc.teacher, response=answer, scores=SCORES, comment="Done.")
    answer.refresh_from_db()
    assert answer.status == Status.REVISING
    assert answer.feedback.comment == "Add evidence."


def test_after_resubmission_the_answer_can_be_returned_again(rc, answer):
    services.request_revision(teacher=rc.teacher, response=answer, scores={}, comment="Add evidence.")
    answer.refresh_from_db()
    resubmit(answer, body="Now with evidence.")
    services.return_feedback(teacher=rc.teacher, response=answer, scores={"evidence": 4}, comment="Much better.")
    answer.refresh_from_db()
    assert answer.status == Status.RETURNED
    assert answer.feedback.evidence == 4


def test_resubmitted_answer_is_not_returned_by_return_all_until_reviewed_again(rc, answer):
    services.request_revision(teacher=rc.teacher, response=answer, scores={}, comment="Add evidence.")
    answer.refresh_from_db()
    resubmit(answer, body="Now with evidence.")
    assert services.return_all_reviewed(teacher=rc.teacher, assignment=rc.assignment) == 0


def test_return_all_skips_empty_drafts(rc, answer):
    factories.FeedbackFactory(
        response=answer, claim=None, evidence=None, reasoning=None, sources=None, comment="", released_at=None
    )
    assert services.return_all_reviewed(teacher=rc.teacher, assignment=rc.assignment) == 0
    answer.refresh_from_db()
    assert answer.status == Status.SUBMITTED


def test_comment_bank_keeps_each_text_once(rc):
    first = services.add_comment_to_bank(teacher=rc.teacher, text="Date your source.")
    again = services.add_comment_to_bank(teacher=rc.teacher, text=" Date your source. ")
    assert first.pk == again.pk
    with pytest.raises(ValidationError):
        services.delete_comment_from_bank(teacher=factories.TeacherFactory(), entry_id=first.pk)
    services.delete_comment_from_bank(teacher=rc.teacher, entry_id=first.pk)
    assert not CommentBankEntry.objects.exists()


# --- what the student sees ----------------------------------------------------


def test_student_partial_shows_nothing_for_draft_feedback(answer):
    feedback = factories.FeedbackFactory(response=answer, released_at=None, comment="Secret draft.")
    html = render_to_string("review/includes/student_feedback.html", {"feedback": feedback})
    assert "Secret draft." not in html
    assert "Feedback from your teacher" not in html


def test_student_partial_shows_scores_with_level_descriptions_and_the_comment_once_returned(answer):
    feedback = factories.FeedbackFactory(
        response=answer,
        released_at=timezone.now(),
        claim=4,
        evidence=1,
        reasoning=None,
        sources=2,
        comment="Well weighed.",
    )
    html = render_to_string("review/includes/student_feedback.html", {"feedback": feedback})
    assert "Claim: level 4 of 4" in html
    assert "A clear, precise position that weighs how far it holds." in html
    assert "Evidence: level 1 of 4" in html
    assert "Reasoning" not in html
    assert "Total: 7" in html
    assert "Well weighed." in html


# --- the diff and the charts ----------------------------------------------------


def test_word_diff_marks_changes_and_escapes_markup():
    html = word_diff("Stalin <b>won</b> nothing", "Stalin <b>lost</b> nothing at all")
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert '<del class="diff-del">&lt;b&gt;won&lt;/b&gt;</del>' in html
    assert '<ins class="diff-ins">&lt;b&gt;lost&lt;/b&gt;</ins>' in html
    assert '<ins class="diff-ins">at all</ins>' in html or '<ins class="diff-ins"> at all</ins>' in html


def test_word_diff_of_identical_text_has_no_marks():
    assert "<ins" not in word_diff("Same words.", "Same words.")


def test_position_split_keeps_prompt_order_and_percentages():
    chart = position_split(["Yes", "Partly", "No"], ["No", "Yes", "No", "", "Gone"])
    assert [(b.label, b.count, b.percent) for b in chart.bars] == [
        ("Yes", 1, 25),
        ("Partly", 0, 0),
        ("No", 2, 50),
        ("Gone", 1, 25),
    ]
    assert chart.total == 4
    assert max(b.width for b in chart.bars) > 0


def test_position_flow_counts_only_students_with_both_answers():
    chart = position_flow(["Yes", "No"], {1: "Yes", 2: "Yes", 3: "No"}, {1: "No", 2: "Yes", 4: "No"})
    assert chart.pairs == 2 and chart.changed == 1
    assert sorted(chart.rows) == [("Yes", "No", 1), ("Yes", "Yes", 1)]
    assert len(chart.links) == 2 and all(link.path.startswith("M") for link in chart.links)
