"""The coursework services: the rules that keep students' work safe."""

import datetime

import pytest
from django.utils import timezone

from lessons import services
from lessons.models import Response, ResponseVersion, SectionRead
from lessons.services import Answer
from tests import factories as f

from .coursework_setup import answer, first_prompt, future, make_assignment, make_lesson, open_prompt, past

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(classroom):
    return make_assignment(classroom)


@pytest.fixture
def prompt(assignment):
    return first_prompt(assignment)


def save(student, assignment, prompt, body="First thoughts on the letter.", base=0, **kwargs):
    return services.save_draft(
        student=student, assignment=assignment, prompt=prompt, answer=answer(body), base_version=base, **kwargs
    )


def test_first_save_creates_the_draft_at_version_one(student, assignment, prompt):
    response = save(student, assignment, prompt)
    assert response.version == 1
    assert response.status == Response.Status.DRAFT
    assert Response.objects.get().body == "First thoughts on the letter."


def test_save_from_the_current_version_updates_and_bumps_the_version(student, assignment, prompt):
    save(student, assignment, prompt)
    response = save(student, assignment, prompt, body="Better thoughts.", base=1)
    assert response.version == 2
    assert Response.objects.get().body == "Better thoughts."


def test_save_from_a_stale_version_is_refused_and_the_stored_text_kept(student, assignment, prompt):
    save(student, assignment, prompt)
    save(student, assignment, prompt, body="Saved in tab A.", base=1)
    with pytest.raises(services.StaleVersion) as stale:
        save(student, assignment, prompt, body="Typed in tab B.", base=1)
    assert stale.value.current.body == "Saved in tab A."
    assert Response.objects.get().body == "Saved in tab A."


def test_a_retried_save_with_the_same_text_is_accepted_without_a_new_version(student, assignment, prompt):
    save(student, assignment, prompt)
    save(student, assignment, prompt, body="Second.", base=1)
    response = save(student, assignment, prompt, body="Second.", base=1)
    assert response.version == 2


def test_save_normalises_line_endings_so_retries_compare_equal(student, assignment, prompt):
    save(student, assignment, prompt, body="one\r\ntwo")
    assert Response.objects.get().body == "one\ntwo"


def test_saving_before_the_assignment_opens_is_refused(student, classroom):
    assignment = make_assignment(classroom, opens_at=future(days=1), due_at=future(days=2))
    with pytest.raises(services.NotOpen):
        save(student, assignment, first_prompt(assignment))
    assert not Response.objects.exists()


def test_a_position_not_offered_is_refused(student, assignment, prompt):
    with pytest.raises(services.CourseworkError):
        services.save_draft(
            student=student,
            assignment=assignment,
            prompt=prompt,
            answer=Answer(position="Maybe", body="x"),
            base_version=0,
        )
    assert not Response.objects.exists()


def test_citing_a_section_of_another_lesson_is_refused(student, assignment, prompt):
    other = f.SectionFactory()
    with pytest.raises(services.CourseworkError):
        services.save_draft(
            student=student,
            assignment=assignment,
            prompt=prompt,
            answer=Answer(body="x", cited_sections=[other.pk]),
            base_version=0,
        )


def test_cited_sections_of_the_lesson_are_stored(student, assignment, prompt):
    ids = [s.pk for s in assignment.lesson.sections.all()][:2]
    services.save_draft(
        student=student,
        assignment=assignment,
        prompt=prompt,
        answer=Answer(body="x", cited_sections=ids),
        base_version=0,
    )
    assert Response.objects.get().cited_sections == ids


def test_a_prompt_not_in_the_assignment_is_refused(student, assignment):
    stray = f.PromptFactory()
    with pytest.raises(services.CourseworkError):
        save(student, assignment, stray)


def test_a_snapshot_is_kept_every_few_minutes_of_typing(student, assignment, prompt):
    start = timezone.now()
    save(student, assignment, prompt, body="one two three", now=start)
    save(student, assignment, prompt, body="one two three four", base=1, now=start + datetime.timedelta(seconds=10))
    save(
        student, assignment, prompt, body="one two three four five", base=2, now=start + datetime.timedelta(seconds=20)
    )
    save(
        student,
        assignment,
        prompt,
        body="one two three four five six",
        base=3,
        now=start + datetime.timedelta(minutes=4),
    )
    snapshots = list(ResponseVersion.objects.order_by("created_at").values_list("body", flat=True))
    assert snapshots == ["one two three", "one two three four five"]


def test_deleting_most_of_the_text_keeps_the_old_text_first(student, assignment, prompt):
    long_text = " ".join(["word"] * 50)
    now = timezone.now()
    save(student, assignment, prompt, body=long_text, now=now)
    save(student, assignment, prompt, body=long_text + " more", base=1, now=now + datetime.timedelta(seconds=5))
    save(student, assignment, prompt, body="oops", base=2, now=now + datetime.timedelta(seconds=10))
    assert ResponseVersion.objects.filter(body=long_text + " more").exists()


def test_submit_marks_submitted_and_keeps_a_submitted_version(student, assignment, prompt):
    outcome = services.submit_response(
        student=student, assignment=assignment, prompt=prompt, answer=answer(), base_version=0
    )
    assert outcome.newly_submitted
    response = Response.objects.get()
    assert response.status == Response.Status.SUBMITTED
    assert response.submitted_at is not None and not response.is_late
    assert ResponseVersion.objects.filter(response=response, kind="submitted").count() == 1


def test_submitting_twice_makes_one_submission(student, assignment, prompt):
    first = services.submit_response(
        student=student, assignment=assignment, prompt=prompt, answer=answer(), base_version=0
    )
    again = services.submit_response(
        student=student, assignment=assignment, prompt=prompt, answer=answer(), base_version=0
    )
    assert first.newly_submitted and not again.newly_submitted
    assert Response.objects.count() == 1
    assert ResponseVersion.objects.filter(kind="submitted").count() == 1


def test_a_submitted_answer_cannot_be_saved_over(student, assignment, prompt):
    services.submit_response(student=student, assignment=assignment, prompt=prompt, answer=answer(), base_version=0)
    with pytest.raises(services.NotEditable):
        save(student, assignment, prompt, body="changed", base=2)


def test_submit_after_the_due_time_is_marked_late_when_late_work_is_accepted(student, classroom):
    assignment = make_assignment(classroom, opens_at=past(days=3), due_at=past(days=1), late_policy="accept")
    outcome = services.submit_response(
        student=student, assignment=assignment, prompt=first_prompt(assignment), answer=answer(), base_version=0
    )
    assert outcome.response.is_late
    assert Response.objects.get().is_late


def test_submit_after_the_due_time_is_refused_when_closed_but_the_draft_is_kept(student, classroom):
    assignment = make_assignment(classroom, opens_at=past(days=3), due_at=past(days=1), late_policy="close")
    with pytest.raises(services.SubmissionClosed) as closed:
        services.submit_response(
            student=student,
            assignment=assignment,
            prompt=first_prompt(assignment),
            answer=answer("Late words."),
            base_version=0,
        )
    assert "closed" in closed.value.message
    response = Response.objects.get()
    assert response.status == Response.Status.DRAFT and response.body == "Late words."


def test_submitting_an_empty_answer_is_refused_with_a_message(student, assignment, prompt):
    with pytest.raises(services.IncompleteAnswer):
        services.submit_response(
            student=student, assignment=assignment, prompt=prompt, answer=Answer(position="Partly"), base_version=0
        )
    assert Response.objects.get().status == Response.Status.DRAFT


def test_a_position_prompt_needs_a_position_to_submit_and_the_draft_is_kept(student, assignment, prompt):
    with pytest.raises(services.IncompleteAnswer):
        services.submit_response(
            student=student, assignment=assignment, prompt=prompt, answer=Answer(body="No side yet."), base_version=0
        )
    assert Response.objects.get().body == "No side yet."


def test_an_open_prompt_needs_no_position(student, assignment):
    prompt = open_prompt(assignment)
    outcome = services.submit_response(
        student=student, assignment=assignment, prompt=prompt, answer=Answer(body="An answer."), base_version=0
    )
    assert outcome.newly_submitted


def test_revision_requested_makes_it_editable_and_resubmitting_keeps_a_new_version(student, assignment, prompt):
    services.submit_response(student=student, assignment=assignment, prompt=prompt, answer=answer(), base_version=0)
    Response.objects.update(status=Response.Status.REVISING)
    response = Response.objects.get()
    save(student, assignment, prompt, body="Revised with more evidence.", base=response.version)
    outcome = services.submit_response(
        student=student, assignment=assignment, prompt=prompt, answer=None, base_version=response.version + 1
    )
    assert outcome.newly_submitted
    assert Response.objects.get().status == Response.Status.SUBMITTED
    assert list(
        ResponseVersion.objects.filter(kind="submitted").order_by("version").values_list("body", flat=True)
    ) == [
        answer().body,
        "Revised with more evidence.",
    ]


def test_resubmitting_a_revision_is_allowed_after_a_closed_due_time(student, classroom):
    assignment = make_assignment(classroom, opens_at=past(days=3), due_at=future(hours=1), late_policy="close")
    prompt = first_prompt(assignment)
    services.submit_response(student=student, assignment=assignment, prompt=prompt, answer=answer(), base_version=0)
    assignment.due_at = past(hours=1)
    assignment.save()
    Response.objects.update(status=Response.Status.REVISING)
    response = Response.objects.get()
    outcome = services.submit_response(
        student=student, assignment=assignment, prompt=prompt, answer=None, base_version=response.version
    )
    assert outcome.newly_submitted and not outcome.response.is_late


def test_restoring_an_earlier_version_keeps_what_was_there(student, assignment, prompt):
    now = timezone.now()
    save(student, assignment, prompt, body="The good early draft.", now=now)
    save(student, assignment, prompt, body="A worse rewrite.", base=1, now=now + datetime.timedelta(seconds=5))
    early = ResponseVersion.objects.get(body="The good early draft.")
    response = Response.objects.get()
    services.restore_version(student=student, response=response, version=early, base_version=response.version)
    assert Response.objects.get().body == "The good early draft."
    assert ResponseVersion.objects.filter(body="A worse rewrite.").exists()


def test_restoring_another_students_version_is_refused(student, assignment, prompt, classroom):
    save(student, assignment, prompt)
    classmate = f.EnrollmentFactory(classroom=classroom).student
    response = Response.objects.get()
    version = ResponseVersion.objects.create(response=response, kind="snapshot", version=1, body="x")
    with pytest.raises(services.CourseworkError):
        services.restore_version(student=classmate, response=response, version=version, base_version=1)


def test_marking_a_section_read_twice_records_it_once(student, assignment):
    section = assignment.lesson.sections.first()
    assert services.mark_section_read(student=student, assignment=assignment, section=section)
    assert not services.mark_section_read(student=student, assignment=assignment, section=section)
    assert SectionRead.objects.count() == 1


def test_marking_a_section_of_another_lesson_is_refused(student, assignment):
    with pytest.raises(services.CourseworkError):
        services.mark_section_read(student=student, assignment=assignment, section=f.SectionFactory())


def _posted(assignment, prompt, student, position="Partly"):
    return services.submit_response(
        student=student, assignment=assignment, prompt=prompt, answer=answer(position=position), base_version=0
    ).response


def test_a_student_who_has_posted_can_reply_to_a_classmate(student, classroom, assignment, prompt):
    classmate = f.EnrollmentFactory(classroom=classroom).student
    theirs = _posted(assignment, prompt, classmate)
    _posted(assignment, prompt, student)
    reply = services.post_reply(author=student, response=theirs, body="  Which section shows that? ")
    assert reply.body == "Which section shows that?"


def test_a_student_who_has_not_posted_cannot_reply_when_post_first_is_on(student, classroom, assignment, prompt):
    classmate = f.EnrollmentFactory(classroom=classroom).student
    theirs = _posted(assignment, prompt, classmate)
    with pytest.raises(services.CourseworkError):
        services.post_reply(author=student, response=theirs, body="Hi")


def test_a_student_of_another_class_cannot_reply(outsider_student, classroom, assignment, prompt):
    classmate = f.EnrollmentFactory(classroom=classroom).student
    theirs = _posted(assignment, prompt, classmate)
    with pytest.raises(services.CourseworkError):
        services.post_reply(author=outsider_student, response=theirs, body="Hi")


def test_replies_must_be_brief(student, classroom, assignment, prompt):
    classmate = f.EnrollmentFactory(classroom=classroom).student
    theirs = _posted(assignment, prompt, classmate)
    _posted(assignment, prompt, student)
    with pytest.raises(services.CourseworkError):
        services.post_reply(author=student, response=theirs, body="x" * 501)


def test_only_the_class_teacher_can_hide_a_post(teacher, other_teacher, student, assignment, prompt):
    post = _posted(assignment, prompt, student)
    with pytest.raises(services.CourseworkError):
        services.set_post_hidden(teacher=other_teacher, response=post, hidden=True)
    services.set_post_hidden(teacher=teacher, response=post, hidden=True)
    assert Response.objects.get().hidden


def test_assigning_several_lessons_makes_one_assignment_each(teacher, classroom):
    lessons = [make_lesson(), make_lesson()]
    created = services.assign_lessons(
        teacher=teacher, classroom=classroom, lessons=lessons, opens_at=timezone.now(), due_at=future(days=3)
    )
    assert [a.lesson for a in created] == lessons


def test_assigning_to_another_teachers_class_is_refused(other_teacher, classroom):
    with pytest.raises(services.CourseworkError):
        services.assign_lessons(
            teacher=other_teacher, classroom=classroom, lessons=[make_lesson()], opens_at=timezone.now(), due_at=None
        )


def test_assigning_to_a_student_of_another_class_is_refused(teacher, classroom, outsider_student):
    with pytest.raises(services.CourseworkError):
        services.assign_lessons(
            teacher=teacher,
            classroom=classroom,
            lessons=[make_lesson()],
            opens_at=timezone.now(),
            due_at=None,
            students=[outsider_student],
        )


def test_a_due_time_before_the_opening_is_refused(teacher, classroom):
    with pytest.raises(services.CourseworkError):
        services.assign_lessons(
            teacher=teacher, classroom=classroom, lessons=[make_lesson()], opens_at=timezone.now(), due_at=past(hours=1)
        )


def test_choosing_every_question_stores_the_all_questions_default(teacher, classroom):
    lesson = make_lesson()
    [assignment] = services.assign_lessons(
        teacher=teacher,
        classroom=classroom,
        lessons=[lesson],
        opens_at=timezone.now(),
        due_at=None,
        prompts=list(lesson.prompts.all()),
    )
    assert not assignment.prompts.exists()


def test_deleting_an_assignment_with_submissions_needs_confirmation(teacher, student, assignment, prompt):
    _posted(assignment, prompt, student)
    with pytest.raises(services.NeedsConfirmation):
        services.delete_assignment(teacher=teacher, assignment=assignment)
    assert Response.objects.exists()
    services.delete_assignment(teacher=teacher, assignment=assignment, confirmed=True)
    assert not Response.objects.exists()


def test_removing_a_question_with_submissions_needs_confirmation(teacher, student, assignment, prompt):
    _posted(assignment, prompt, student)
    other = open_prompt(assignment)
    kwargs = {
        "teacher": teacher,
        "assignment": assignment,
        "opens_at": assignment.opens_at,
        "due_at": assignment.due_at,
    }
    with pytest.raises(services.NeedsConfirmation):
        services.update_assignment(prompts=[other], **kwargs)
    assert not assignment.prompts.exists()
    services.update_assignment(prompts=[other], confirmed=True, **kwargs)
    assert list(assignment.prompts.all()) == [other]


def test_moving_the_due_time_needs_no_confirmation(teacher, student, assignment, prompt):
    _posted(assignment, prompt, student)
    services.update_assignment(
        teacher=teacher, assignment=assignment, opens_at=assignment.opens_at, due_at=future(days=30)
    )
    assignment.refresh_from_db()
    assert assignment.due_at > future(days=29)
