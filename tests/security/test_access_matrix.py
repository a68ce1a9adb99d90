"""The access matrix: every URL of the project, for every kind of visitor.

The URLs come from the resolver, so a new page cannot be forgotten: a URL name
missing from MATRIX fails `test_every_url_is_in_the_matrix`. Each cell is the
status a GET must answer:

- 200: the page;
- LOGIN: a redirect to the sign-in page;
- 403: the visitor's role may not use this page at all (a student on a teacher page);
- 404: the object exists but belongs to someone else (never 403 or 200, so its
  existence is not confirmed);
- 405: the URL only takes POST;
- a path string: a redirect there (e.g. a signed-in visitor on the sign-in page);
  `{classroom}` stands for the class's id.

Personas: anonymous; `student` (in the class, on the assignment); `other_student`
(in another teacher's class); `teacher` (the class's teacher); `other_teacher`;
`staff` (an admin, who is not the class's teacher).
"""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .urlwalk import project_routes
from .world import World, build_world

pytestmark = pytest.mark.django_db

PERSONAS = ("anon", "student", "other_student", "teacher", "other_teacher", "staff")
LOGIN = "LOGIN"

# How each URL's arguments are filled from the world: the class's own objects,
# so that the class's people should get in and everyone else should not.
KWARGS = {
    "lessons:detail": lambda w: {"slug": w.lesson.slug},
    "lessons:plan": lambda w: {"slug": w.lesson.slug},
    "lessons:handout": lambda w: {"slug": w.lesson.slug},
    "accounts:password_reset_confirm": lambda w: {
        "uidb64": urlsafe_base64_encode(force_bytes(w.teacher.pk)),
        "token": "expired-" + default_token_generator.make_token(w.teacher)[:6],
    },
    "teach:classroom": lambda w: {"pk": w.classroom.pk},
    "teach:classroom_edit": lambda w: {"pk": w.classroom.pk},
    "teach:classroom_archive": lambda w: {"pk": w.classroom.pk},
    "teach:classroom_restore": lambda w: {"pk": w.classroom.pk},
    "teach:join_code": lambda w: {"pk": w.classroom.pk},
    "teach:regenerate_join_code": lambda w: {"pk": w.classroom.pk},
    "teach:toggle_joining": lambda w: {"pk": w.classroom.pk},
    "teach:students_add": lambda w: {"pk": w.classroom.pk},
    "teach:login_cards": lambda w: {"pk": w.classroom.pk},
    "teach:student_reset_password": lambda w: {"pk": w.classroom.pk, "student_pk": w.student.pk},
    "teach:student_remove": lambda w: {"pk": w.classroom.pk, "student_pk": w.student.pk},
    "privacy_tools:student_export": lambda w: {"pk": w.student.pk},
    "privacy_tools:student_delete": lambda w: {"pk": w.student.pk},
    "coursework:assignment": lambda w: {"pk": w.assignment.pk},
    "coursework:answer": lambda w: {"pk": w.assignment.pk, "prompt_pk": w.prompt.pk},
    "coursework:autosave": lambda w: {"pk": w.assignment.pk, "prompt_pk": w.prompt.pk},
    "coursework:history": lambda w: {"pk": w.assignment.pk, "prompt_pk": w.prompt.pk},
    "coursework:restore": lambda w: {
        "pk": w.assignment.pk,
        "prompt_pk": w.prompt.pk,
        "version_pk": w.response.versions.order_by("version").first().pk,
    },
    "coursework:discussion": lambda w: {"pk": w.assignment.pk, "prompt_pk": w.prompt.pk},
    "coursework:mark_read": lambda w: {"pk": w.assignment.pk, "section_pk": w.section.pk},
    "coursework:reply": lambda w: {"pk": w.assignment.pk, "response_pk": w.classmate_response.pk},
    "coursework:assign": lambda w: {"pk": w.classroom.pk},
    "coursework:edit": lambda w: {"pk": w.assignment.pk},
    "coursework:delete": lambda w: {"pk": w.assignment.pk},
    "coursework:moderate": lambda w: {"pk": w.assignment.pk},
    "coursework:hide_post": lambda w: {"pk": w.classmate_response.pk},
    "coursework:hide_reply": lambda w: {"pk": w.reply.pk},
    "review:progress": lambda w: {"pk": w.assignment.pk},
    "review:return_all": lambda w: {"pk": w.assignment.pk},
    "review:export_csv": lambda w: {"pk": w.assignment.pk},
    "review:gradebook": lambda w: {"pk": w.classroom.pk},
    "review:response": lambda w: {"pk": w.response.pk},
    "review:comment_bank_delete": lambda w: {"pk": w.comment.pk},
}


def row(anon, student, other_student, teacher, other_teacher, staff) -> dict:
    return dict(zip(PERSONAS, (anon, student, other_student, teacher, other_teacher, staff), strict=True))


EVERYONE = row(200, 200, 200, 200, 200, 200)
SIGNED_IN = row(LOGIN, 200, 200, 200, 200, 200)
# A page of the class's teacher: students are the wrong role (403); other teachers
# and admins (who are not this class's teacher) must not learn the object exists (404).
CLASS_TEACHER = row(LOGIN, 403, 403, 200, 404, 404)
# The same, where the lookup is scoped to the teacher's classes and a student simply finds nothing.
CLASS_TEACHER_OBJECT = row(LOGIN, 404, 404, 200, 404, 404)
ANY_TEACHER = row(LOGIN, 403, 403, 200, 200, 200)
# The assignment's student only; the class's teacher sees the work on the teacher's pages.
CLASS_STUDENT = row(LOGIN, 200, 404, 404, 404, 404)
POST_ONLY = row(LOGIN, 405, 405, 405, 405, 405)
# POST-only where the method is checked before sign-in.
POST_ONLY_FOR_ALL = row(405, 405, 405, 405, 405, 405)

MATRIX: dict[str, dict] = {
    # Public pages of the unit.
    "home": EVERYONE,
    "lessons:index": EVERYONE,
    "lessons:detail": EVERYONE,
    "lessons:plan": row(LOGIN, 403, 403, 200, 200, 200),  # teachers' material
    "lessons:handout": EVERYONE,
    "lessons:timeline": EVERYONE,
    "lessons:map": EVERYONE,
    "privacy": EVERYONE,
    "healthz": EVERYONE,
    "ping": EVERYONE,
    # Accounts.
    "accounts:login": row(200, "/learn/", "/learn/", "/teach/", "/teach/", "/teach/"),
    "accounts:logout": POST_ONLY_FOR_ALL,
    "accounts:signup": row(200, "/learn/", "/learn/", "/teach/", "/teach/", "/teach/"),
    "accounts:password_change": SIGNED_IN,
    "accounts:password_change_done": row(LOGIN, "/learn/", "/learn/", "/teach/", "/teach/", "/teach/"),
    "accounts:password_reset": EVERYONE,
    "accounts:password_reset_done": EVERYONE,
    "accounts:password_reset_confirm": EVERYONE,
    "accounts:password_reset_complete": EVERYONE,
    "join": row(200, 200, 200, 200, 200, 200),
    # The teacher's classes and rosters.
    "teach:dashboard": ANY_TEACHER,
    "teach:classroom_new": ANY_TEACHER,
    "teach:archived": ANY_TEACHER,
    "teach:classroom": CLASS_TEACHER,
    "teach:classroom_edit": CLASS_TEACHER,
    "teach:classroom_archive": POST_ONLY_FOR_ALL,
    "teach:classroom_restore": POST_ONLY_FOR_ALL,
    "teach:join_code": CLASS_TEACHER,
    "teach:regenerate_join_code": POST_ONLY_FOR_ALL,
    "teach:toggle_joining": POST_ONLY_FOR_ALL,
    "teach:students_add": CLASS_TEACHER,
    # The cards show new passwords once, straight after they are made; otherwise back to the class.
    "teach:login_cards": row(LOGIN, 403, 403, "/teach/classes/{classroom}/", 404, 404),
    "teach:student_reset_password": POST_ONLY_FOR_ALL,
    "teach:student_remove": CLASS_TEACHER,
    "privacy_tools:student_export": CLASS_TEACHER,
    "privacy_tools:student_delete": CLASS_TEACHER,
    # Students' work.
    "coursework:learn": SIGNED_IN,
    "coursework:assignment": CLASS_STUDENT,
    "coursework:answer": POST_ONLY,
    "coursework:autosave": POST_ONLY,
    "coursework:history": CLASS_STUDENT,
    "coursework:restore": POST_ONLY,
    "coursework:discussion": CLASS_STUDENT,
    "coursework:mark_read": POST_ONLY,
    "coursework:reply": POST_ONLY,
    # Teachers assigning, moderating and reviewing.
    "coursework:assign": CLASS_TEACHER_OBJECT,
    "coursework:edit": CLASS_TEACHER_OBJECT,
    "coursework:delete": CLASS_TEACHER_OBJECT,
    "coursework:moderate": CLASS_TEACHER_OBJECT,
    "coursework:hide_post": POST_ONLY,
    "coursework:hide_reply": POST_ONLY,
    "review:progress": CLASS_TEACHER_OBJECT,
    "review:return_all": POST_ONLY,
    "review:export_csv": CLASS_TEACHER_OBJECT,
    "review:gradebook": CLASS_TEACHER_OBJECT,
    "review:response": CLASS_TEACHER_OBJECT,
    "review:comment_bank_add": POST_ONLY,
    "review:comment_bank_delete": POST_ONLY,
    # The admin's front door: staff only.
    "admin:index": row("/admin/login/", "/admin/login/", "/admin/login/", "/admin/login/", "/admin/login/", 200),
}


def persona_user(world: World, persona: str):
    return None if persona == "anon" else getattr(world, persona)


def url_for(world: World, route) -> str:
    kwargs = KWARGS[route.name](world) if route.params else {}
    return reverse(route.name, kwargs=kwargs)


def outcome(response) -> int | str:
    """The cell value a response stands for."""
    if response.status_code in (301, 302):
        location = urlsplit(response["Location"])
        if location.path == reverse("accounts:login"):
            return LOGIN
        return location.path
    return response.status_code


def test_every_url_is_in_the_matrix():
    routes = project_routes()
    missing = sorted(r.name for r in routes if r.name not in MATRIX)
    assert not missing, (
        "These URLs have no row in tests/security/test_access_matrix.py MATRIX; add one saying who may open "
        f"them: {missing}"
    )
    missing_kwargs = sorted(r.name for r in routes if r.params and r.name not in KWARGS)
    assert not missing_kwargs, f"Say how to fill these URLs' arguments in KWARGS: {missing_kwargs}"
    stale = sorted(set(MATRIX) - {r.name for r in routes})
    assert not stale, f"MATRIX names URLs that no longer exist: {stale}"


def test_every_url_answers_every_persona_as_the_matrix_says(client):
    world = build_world()
    wrong = []
    for route in project_routes():
        expected_row = MATRIX.get(route.name)
        if expected_row is None:
            continue  # reported by test_every_url_is_in_the_matrix
        url = url_for(world, route)
        for persona in PERSONAS:
            client.logout()
            user = persona_user(world, persona)
            if user is not None:
                client.force_login(user)
            got = outcome(client.get(url))
            expected = expected_row[persona]
            if isinstance(expected, str):
                expected = expected.format(classroom=world.classroom.pk)
            if got != expected:
                wrong.append(f"{route.name} ({url}) as {persona}: expected {expected}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_no_url_ever_answers_another_users_object_with_403():
    """403 is only for a role that may not use a page at all; for a person of
    the right role, another's object is always 404."""
    for name, cells in MATRIX.items():
        assert cells["other_teacher"] != 403, name
        assert cells["staff"] != 403, name
        if cells["student"] == 200:
            assert cells["other_student"] in (200, 404), name


# What an attacker would post: a plausible value for every field any form takes,
# so that a missing access check would show up as a change in the database.
HOSTILE_POST = {
    "body": "Written by someone else",
    "text": "Written by someone else",
    "comment": "Written by someone else",
    "name": "Taken over",
    "position": "Yes, it backfired",
    "hidden": "1",
    "confirm": "on",
    "confirm_username": "",  # filled with the student's username
    "joining_open": "",
    "usernames": "intruder",
    "names": "Intruder One",
    "version": "1",
    "action": "return",
    "claim": "4",
    "evidence": "4",
    "reasoning": "4",
    "sources": "4",
}


def owner_of(route) -> str | None:
    """Who may write through a URL with arguments: the class's student on /learn/,
    the class's teacher on /teach/; None for public URLs."""
    if route.route.startswith("learn/"):
        return "student"
    if route.route.startswith("teach/"):
        return "teacher"
    return None


def database_state() -> dict:
    from django.apps import apps

    # last_login moves with every sign-in the test makes; nothing else may.
    return {
        m._meta.label: sorted(repr({k: v for k, v in row.items() if k != "last_login"}) for row in m.objects.values())
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in {"accounts", "lessons"}
    }


def test_posting_to_another_users_object_is_refused_and_changes_nothing(client):
    world = build_world()
    HOSTILE_POST["confirm_username"] = world.student.username
    before = database_state()
    wrong = []
    for route in project_routes():
        owner = owner_of(route)
        if not route.params or owner is None:
            continue
        url = url_for(world, route)
        for persona in PERSONAS:
            if persona == owner:
                continue
            client.logout()
            user = persona_user(world, persona)
            if user is not None:
                client.force_login(user)
            got = outcome(client.post(url, HOSTILE_POST))
            if got not in (LOGIN, 401, 403, 404, 405):  # 405: a GET-only URL
                wrong.append(f"POST {route.name} ({url}) as {persona}: got {got}")
    assert not wrong, "\n".join(wrong)
    after = database_state()
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, f"outsiders' POSTs changed: {changed}"
