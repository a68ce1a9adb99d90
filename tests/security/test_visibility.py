"""Who can see what, across every page: the privacy page's promises, checked
by putting a unique marker in each private thing and looking for it on every
page every persona can open."""

import pytest

from lessons import models as lm
from tests import factories

from .test_access_matrix import PERSONAS, persona_user, url_for
from .urlwalk import project_routes
from .world import build_world

pytestmark = pytest.mark.django_db

UNRETURNED_FEEDBACK = "Marker-unreturned-feedback-7731"
TEACHER_NOTES = "Marker-teacher-notes-5521"
HIDDEN_REPLY = "Marker-hidden-reply-9912"
OUR_CLASS_ANSWER = "Marker-our-class-answer-2207"
OTHER_CLASS_ANSWER = "Marker-other-class-answer-4410"
DRAFT_LESSON = "Marker-draft-lesson-3390"
OUR_COMMENT_BANK = "Marker-our-comment-bank-6120"

# Which personas may ever see each marker (on any page); everyone else must not.
MAY_SEE = {
    UNRETURNED_FEEDBACK: {"teacher"},
    TEACHER_NOTES: {"teacher", "other_teacher", "staff"},  # teachers' material, on the lesson plan
    HIDDEN_REPLY: {"teacher"},  # its class's teacher moderates it
    OUR_CLASS_ANSWER: {"student", "teacher"},
    OTHER_CLASS_ANSWER: {"other_student"},  # the other class's teacher is not a persona here
    DRAFT_LESSON: {"staff"},
    OUR_COMMENT_BANK: {"teacher"},
}


def marked_world():
    world = build_world()
    lm.Feedback.objects.filter(pk=world.feedback.pk).update(comment=UNRETURNED_FEEDBACK, released_at=None)
    lm.Prompt.objects.filter(lesson=world.lesson).update(strong_answer=TEACHER_NOTES)
    factories.ReplyFactory(response=world.response, author=world.classmate, body=HIDDEN_REPLY, hidden=True)
    lm.Response.objects.filter(pk=world.response.pk).update(body=f"{OUR_CLASS_ANSWER} is my answer.")
    lm.ResponseVersion.objects.filter(response=world.response).update(body=f"{OUR_CLASS_ANSWER} is my answer.")
    lm.Response.objects.filter(pk=world.other_response.pk).update(body=f"{OTHER_CLASS_ANSWER} is mine.")
    lm.ResponseVersion.objects.filter(response=world.other_response).update(body=f"{OTHER_CLASS_ANSWER} is mine.")
    factories.LessonFactory(unit=world.lesson.unit, title=DRAFT_LESSON, status=lm.Status.DRAFT)
    lm.CommentBankEntry.objects.filter(pk=world.comment.pk).update(text=OUR_COMMENT_BANK)
    return world


def pages_seen_by(client, world, persona: str):
    """(url, text) of every page the persona can open, downloads included."""
    for route in project_routes():
        url = url_for(world, route)
        client.logout()
        user = persona_user(world, persona)
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        if response.status_code != 200:
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        yield route.name, url, body.decode("utf-8", "replace")


def test_private_things_appear_only_to_the_people_allowed_to_see_them(client):
    world = marked_world()
    leaks = []
    found = {marker: set() for marker in MAY_SEE}
    for persona in PERSONAS:
        for name, url, text in pages_seen_by(client, world, persona):
            for marker, allowed in MAY_SEE.items():
                if marker in text:
                    found[marker].add(persona)
                    if persona not in allowed:
                        leaks.append(f"{persona} sees {marker} on {name} ({url})")
    assert not leaks, "\n".join(leaks)
    # Each marker is really shown to the people allowed to see it, so the test could see a leak.
    # (The other class's answer is only checked for leaks: every URL here points at our class.)
    for marker, allowed in MAY_SEE.items():
        if marker != OTHER_CLASS_ANSWER:
            assert found[marker] == allowed, f"{marker}: shown to {found[marker]}, expected {allowed}"
