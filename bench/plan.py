"""Build the load plan from the seeded database: who the simulated people are,
their signed-in sessions, and the URLs they use.

    python bench/plan.py build OUT.json
    python bench/plan.py verify PLAN.json SUBMITTED.json bell|students OUT.json

Run with the same environment as the app servers (the same DJANGO_SECRET_KEY,
DATABASE_URL and REDIS_URL): the sessions are minted here, signed with that key,
so that thousands of simulated students are signed in without paying the
password hasher thousands of times (sign-in is measured on its own).

The URLs are resolved with `reverse()`, so a renamed path follows the app.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from datetime import timedelta
from importlib import import_module
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "korea_lessons.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Classroom, Enrollment, User  # noqa: E402
from lessons.models import Assignment, Prompt, Response, ResponseVersion, Section  # noqa: E402

# Placeholders that survive reverse() and are then swapped for {names}.
_PLACEHOLDERS = {"assignment": 900000001, "prompt": 900000002, "response": 900000003}
BELL_STUDENTS = 300
LOGIN_POOL = 400
REVIEWS_PER_TEACHER = 20
BACKEND = "django.contrib.auth.backends.ModelBackend"


def url_template(candidates: list[tuple[str, tuple[str, ...]]]) -> str | None:
    """The first candidate URL name that reverses, as a template with {assignment}-style fields."""
    for name, params in candidates:
        args = [_PLACEHOLDERS[p] for p in params]
        try:
            url = reverse(name, args=args)
        except NoReverseMatch:
            continue
        for param in params:
            url = url.replace(str(_PLACEHOLDERS[param]), "{" + param + "}")
        return url
    return None


def resolve_urls() -> dict[str, str | None]:
    return {
        "ping": url_template([("ping", ())]),
        "login": url_template([("accounts:login", ())]),
        "learn": url_template([("coursework:learn", ())]),
        "page": url_template(
            [("coursework:assignment", ("assignment",)), ("coursework:assignment_detail", ("assignment",))]
        ),
        "autosave": url_template(
            [
                ("coursework:autosave", ("assignment", "prompt")),
                ("coursework:save_draft", ("assignment", "prompt")),
                ("coursework:autosave", ("assignment",)),
                ("coursework:save_draft", ("assignment",)),
            ]
        ),
        "submit": url_template(
            [
                ("coursework:answer", ("assignment", "prompt")),
                ("coursework:submit", ("assignment", "prompt")),
                ("coursework:submit", ("assignment",)),
            ]
        ),
        "discussion": url_template(
            [
                ("coursework:discussion", ("assignment", "prompt")),
                ("coursework:discussion", ("assignment",)),
            ]
        ),
        "grid": url_template([("review:progress", ("assignment",))]),
        "review": url_template([("review:response", ("response",))]),
    }


def mint_sessions(users: list[User]) -> dict[int, dict[str, str]]:
    """A signed-in session and a CSRF secret for each user, written straight to the session table."""
    expire = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    rows, cookies = [], {}
    for user in users:
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: BACKEND,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        cookies[user.pk] = {
            settings.SESSION_COOKIE_NAME: key,
            settings.CSRF_COOKIE_NAME: secrets.token_hex(16),  # 32 characters: an unmasked CSRF secret
        }
    Session.objects.bulk_create(rows, batch_size=5000)
    return cookies


def build_plan() -> dict:
    now = timezone.now()
    classrooms = list(Classroom.objects.active().select_related("teacher").with_student_count().order_by("pk"))
    big = max(classrooms, key=lambda c: c.student_count)
    normal = [c for c in classrooms if c.pk != big.pk]
    current = {
        a.classroom_id: a
        for a in Assignment.objects.filter(classroom__in=classrooms, opens_at__lte=now, due_at__gt=now)
        .select_related("lesson")
        .order_by("opens_at")
    }
    prompts_by_lesson: dict[int, list[Prompt]] = {}
    for prompt in Prompt.objects.published().order_by("lesson_id", "order"):
        prompts_by_lesson.setdefault(prompt.lesson_id, []).append(prompt)
    sections_by_lesson: dict[int, list[int]] = {}
    for section_id, lesson_id in Section.objects.order_by("order").values_list("pk", "lesson_id"):
        sections_by_lesson.setdefault(lesson_id, []).append(section_id)
    responses = {
        (r.assignment_id, r.prompt_id, r.student_id): r
        for r in Response.objects.filter(assignment__in=current.values()).only(
            "pk", "assignment_id", "prompt_id", "student_id", "status", "version", "body", "position"
        )
    }
    # Reading the discussion: the last finished lesson, where the student has posted an answer.
    previous = {}
    for assignment in Assignment.objects.filter(classroom__in=normal, due_at__lte=now).order_by("opens_at"):
        previous[assignment.classroom_id] = assignment
    discussion = {}
    for assignment_id, prompt_id, student_id in Response.objects.filter(
        assignment__in=previous.values(), status__in=[Response.Status.SUBMITTED, Response.Status.RETURNED]
    ).values_list("assignment_id", "prompt_id", "student_id"):
        discussion.setdefault(student_id, [assignment_id, prompt_id])
    roster: dict[int, list[int]] = {}
    for classroom_id, student_id in Enrollment.objects.filter(classroom__in=normal).values_list(
        "classroom_id", "student_id"
    ):
        roster.setdefault(classroom_id, []).append(student_id)

    # One seat per student: the first question of the current lesson they can still edit.
    seats = []
    for classroom in normal:
        assignment = current.get(classroom.pk)
        if assignment is None:
            continue
        prompts = prompts_by_lesson.get(assignment.lesson_id, [])
        for student_id in sorted(roster.get(classroom.pk, [])):
            for prompt in prompts:
                response = responses.get((assignment.pk, prompt.pk, student_id))
                if response is not None and response.status not in (
                    Response.Status.DRAFT,
                    Response.Status.REVISING,
                ):
                    continue
                seats.append(
                    {
                        "student": student_id,
                        "classroom": classroom.pk,
                        "assignment": assignment.pk,
                        "prompt": prompt.pk,
                        "positions": prompt.positions or [],
                        "sections": sections_by_lesson.get(assignment.lesson_id, [])[:2],
                        "version": response.version if response else 0,
                        "body": response.body if response else "",
                        "position": (response.position if response else "") or "",
                        "discussion": discussion.get(student_id),
                    }
                )
                break
    # The bell: whole classes (the last ones) that submit together; nobody else uses their seats.
    bell_classes: list[int] = []
    bell: list[dict] = []
    for classroom in reversed(normal):
        class_seats = [s for s in seats if s["classroom"] == classroom.pk]
        if len(bell) + len(class_seats) > BELL_STUDENTS:
            break
        bell.extend(class_seats)
        bell_classes.append(classroom.pk)
    students = [s for s in seats if s["classroom"] not in bell_classes]

    teachers = []
    for teacher in User.objects.teachers().order_by("pk"):
        own = [c for c in normal if c.teacher_id == teacher.pk and c.pk in current]
        if not own:
            continue
        review_ids = list(
            Response.objects.filter(
                assignment__classroom__in=own, status__in=[Response.Status.SUBMITTED, Response.Status.RETURNED]
            )
            .order_by("-pk")
            .values_list("pk", flat=True)[:REVIEWS_PER_TEACHER]
        )
        teachers.append({"teacher": teacher.pk, "grids": [current[c.pk].pk for c in own], "reviews": review_ids})

    seated = {s["student"] for s in seats}
    users = list(User.objects.filter(pk__in=seated | {t["teacher"] for t in teachers} | {big.teacher_id}))
    cookies = mint_sessions(users)
    for seat in seats:
        seat["cookies"] = cookies[seat["student"]]
    for teacher in teachers:
        teacher["cookies"] = cookies[teacher["teacher"]]
    login_pool = list(
        User.objects.students().exclude(pk__in=seated).order_by("-pk").values_list("username", flat=True)[:LOGIN_POOL]
    )
    if len(login_pool) < LOGIN_POOL:
        login_pool += list(
            User.objects.students().order_by("-pk").values_list("username", flat=True)[: LOGIN_POOL - len(login_pool)]
        )
    big_assignment = current.get(big.pk)
    return {
        "created_at": now.isoformat(),
        "urls": resolve_urls(),
        "students": students,
        "bell": bell,
        "teachers": teachers,
        "big_grid": {
            "assignment": big_assignment.pk if big_assignment else None,
            "students": big.student_count,
            "cookies": cookies[big.teacher_id],
        },
        "login": login_pool,
        "counts": {
            "students": User.objects.students().count(),
            "teachers": User.objects.teachers().count(),
            "classes": len(classrooms),
            "responses": Response.objects.count(),
        },
    }


def verify(plan: dict, confirmed: list[dict], seats_key: str) -> dict:
    """Every submission the server confirmed is in the database, handed in, with exactly one
    submitted copy; and no seat of the run has two."""
    seats = plan[seats_key]
    keys = {(s["assignment"], s["prompt"], s["student"]) for s in seats}
    confirmed_keys = {(c["assignment"], c["prompt"], c["student"]) for c in confirmed}
    rows = {
        (r.assignment_id, r.prompt_id, r.student_id): r
        for r in Response.objects.filter(
            assignment__in={k[0] for k in keys}, student__in={k[2] for k in keys}
        ).annotate(submitted_copies=Count("versions", filter=Q(versions__kind=ResponseVersion.Kind.SUBMITTED)))
    }
    posted = (Response.Status.SUBMITTED, Response.Status.RETURNED)

    def saved_once(key) -> bool:
        row = rows.get(key)
        return row is not None and row.status in posted and row.submitted_copies == 1

    doubled = sorted(str(k) for k in keys if k in rows and rows[k].submitted_copies > 1)
    missing = sorted(str(k) for k in confirmed_keys if not saved_once(k))
    return {
        "expected": len(keys),
        "confirmed": len(confirmed_keys),
        "confirmations_received": len(confirmed),
        "saved_once": sum(1 for k in (keys if seats_key == "bell" else confirmed_keys) if saved_once(k)),
        "submitted_in_db": sum(1 for k in keys if k in rows and rows[k].status in posted),
        "doubled": doubled[:20],
        "missing": missing[:20],
    }


def main() -> None:
    command = sys.argv[1]
    if command == "build":
        out = Path(sys.argv[2])
        plan = build_plan()
        out.write_text(json.dumps(plan))
        missing = [name for name, url in plan["urls"].items() if url is None]
        print(
            f"plan: {len(plan['students'])} student seats, {len(plan['bell'])} at the bell, "
            f"{len(plan['teachers'])} teachers; URLs not found: {', '.join(missing) or 'none'}"
        )
    elif command == "verify":
        plan = json.loads(Path(sys.argv[2]).read_text())
        confirmed = json.loads(Path(sys.argv[3]).read_text())
        result = verify(plan, confirmed, sys.argv[4])
        Path(sys.argv[5]).write_text(json.dumps(result))
    else:
        raise SystemExit("usage: plan.py build OUT.json | verify PLAN.json SUBMITTED.json SEATS_KEY OUT.json")


if __name__ == "__main__":
    main()
