"""Fill the database with a realistic school, fast, for the benchmark.

By default: 50 teachers, each with 5 classes of 30 students (7,500 students),
every class assigned the whole unit. Each class is part-way through it: the
lessons before its current one are done (submitted answers, draft and released
feedback, discussion replies, sections read), the current lesson is open and
most students have a draft, and the lessons after it open on later dates.
One extra class of 150 students (the first teacher's five classes together)
gives the progress grid its largest roster.

Everything is written with `bulk_create` in a few large batches; every user
gets the same password hash, computed once, so that sign-in works at a real
hasher's cost without paying it 7,500 times here.

It refuses to run on a database that already has users, unless `--force`:
it is meant for a fresh, throw-away database (the benchmark creates one).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, Classroom, Enrollment, User
from lessons.models import (
    Assignment,
    CommentBankEntry,
    Feedback,
    Lesson,
    Prompt,
    Reply,
    Response,
    ResponseVersion,
    Section,
    SectionRead,
)

DEFAULT_PASSWORD = "bench-school-1950"

# Realistic proportions, from how classes use a unit like this one.
SUBMITTED_SHARE = 0.9  # of a finished lesson's answers that were handed in
FEEDBACK_SHARE = 0.7  # of handed-in answers the teacher has scored
RELEASED_SHARE = 0.8  # of scored answers already returned to the student
REVISING_SHARE = 0.1  # of returned answers sent back for another go
CURRENT_DRAFT_SHARE = 0.85  # of students with a draft on the current lesson
CURRENT_SUBMITTED_SHARE = 0.05  # ... and those who already handed it in
SNAPSHOT_SHARE = 0.4  # answers with a periodic draft snapshot kept
REPLY_SHARE = 0.3  # handed-in answers that classmates replied to
READ_SHARE = 0.9  # sections of a finished lesson a student marked read

_WORD_LIST = (
    "Stalin Kim Mao Truman Korea parallel invasion armistice Soviet China America Seoul Pyongyang "
    "because however therefore evidence source letter speech shows suggests risk gamble backfired "
    "paid off alliance army border war cost result power balance Cold Europe Asia treaty aid troops "
    "the a of to and in that it was he his they their not but this for on with as by from at which "
    "would could might believed wanted feared hoped decided agreed refused argued claimed"
)
WORDS = _WORD_LIST.split(" ")

COMMENTS = [
    "Clear position. Now bring in a second piece of evidence from the reading.",
    "Good use of the letter; say who wrote it and why that matters.",
    "Your reasoning jumps: explain how the evidence supports your claim.",
    "Strong answer. Consider the best argument against your view.",
    "Quote the source exactly and name the section you used.",
    "You describe events well; now answer the question of whether it backfired.",
]

REPLIES = [
    "I agree, but what about China's losses?",
    "Where in the reading did you find that?",
    "Good point about the 38th parallel.",
    "I think the opposite: it paid off for the Soviet Union.",
    "Could you say more about the Acheson speech?",
    "Nice quote, it really supports your claim.",
]


@dataclass
class Seeded:
    teachers: int = 0
    classes: int = 0
    students: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def _body(rng: random.Random, words: int) -> str:
    sentences = []
    remaining = words
    while remaining > 0:
        n = min(remaining, rng.randint(8, 18))
        sentence = " ".join(rng.choice(WORDS) for _ in range(n))
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
        remaining -= n
    return " ".join(sentences)


class Command(BaseCommand):
    help = "Seed a realistic school (teachers, classes, students, the whole unit assigned, work done) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--teachers", type=int, default=50)
        parser.add_argument("--classes", type=int, default=5, help="classes per teacher")
        parser.add_argument("--students", type=int, default=30, help="students per class")
        parser.add_argument(
            "--big-class",
            action="store_true",
            default=True,
            help="also give the first teacher one class of all their students (default on)",
        )
        parser.add_argument("--no-big-class", dest="big_class", action="store_false")
        parser.add_argument("--password", default=DEFAULT_PASSWORD)
        parser.add_argument("--prefix", default="bench", help="usernames start with this")
        parser.add_argument("--seed", type=int, default=1950, help="random seed, for a repeatable school")
        parser.add_argument("--force", action="store_true", help="seed even if the database already has users")

    def handle(self, *args, **options):
        if options["teachers"] < 1 or options["classes"] < 1 or options["students"] < 1:
            raise CommandError("--teachers, --classes and --students must be at least 1.")
        if User.objects.exists() and not options["force"]:
            raise CommandError("The database already has users; seed a fresh database or pass --force.")
        lessons = list(Lesson.objects.published().order_by("order"))
        if not lessons:
            raise CommandError("No published lessons: load the unit first (manage.py load_unit).")
        started = time.monotonic()
        seeded = seed_school(
            lessons=lessons,
            teachers=options["teachers"],
            classes_per_teacher=options["classes"],
            students_per_class=options["students"],
            big_class=options["big_class"],
            password=options["password"],
            prefix=options["prefix"],
            seed=options["seed"],
        )
        took = time.monotonic() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in seeded.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded in {took:.1f} s: {summary}."))


def seed_school(
    *,
    lessons: list[Lesson],
    teachers: int,
    classes_per_teacher: int,
    students_per_class: int,
    big_class: bool,
    password: str,
    prefix: str,
    seed: int,
) -> Seeded:
    """Write the whole school in one transaction; returns the row counts."""
    rng = random.Random(seed)
    now = timezone.now()
    password_hash = make_password(password)
    prompts_by_lesson: dict[int, list[Prompt]] = {lesson.pk: [] for lesson in lessons}
    for prompt in Prompt.objects.published().filter(lesson__in=lessons).order_by("lesson__order", "order"):
        prompts_by_lesson[prompt.lesson_id].append(prompt)
    sections_by_lesson: dict[int, list[int]] = {lesson.pk: [] for lesson in lessons}
    for section_id, lesson_id in Section.objects.filter(lesson__in=lessons).order_by("order").values_list(
        "pk", "lesson_id"
    ):
        sections_by_lesson[lesson_id].append(section_id)

    bodies = [_body(rng, rng.randint(60, 220)) for _ in range(60)]
    draft_bodies = [_body(rng, rng.randint(15, 90)) for _ in range(40)]
    counts: dict[str, int] = {}

    with transaction.atomic():
        teacher_rows = User.objects.bulk_create(
            [
                User(
                    username=f"{prefix}_t{t:03d}",
                    display_name=f"Teacher {t:03d}",
                    email=f"{prefix}_t{t:03d}@school.example",
                    role=User.Role.TEACHER,
                    password=password_hash,
                )
                for t in range(teachers)
            ]
        )
        counts["teachers"] = len(teacher_rows)
        total_students = teachers * classes_per_teacher * students_per_class
        student_rows = User.objects.bulk_create(
            [
                User(
                    username=f"{prefix}_s{s:05d}",
                    display_name=f"Student {s:05d}",
                    role=User.Role.STUDENT,
                    password=password_hash,
                )
                for s in range(total_students)
            ],
            batch_size=2000,
        )
        counts["students"] = len(student_rows)

        codes = _unique_codes(rng, teachers * classes_per_teacher + 1)
        classrooms = []
        for t, teacher in enumerate(teacher_rows):
            for c in range(classes_per_teacher):
                classrooms.append(
                    Classroom(teacher=teacher, name=f"Year {9 + c % 3} History {chr(65 + c)}", join_code=codes.pop())
                )
            if t == 0 and big_class:
                classrooms.append(Classroom(teacher=teacher, name="Year group: all my students", join_code=codes.pop()))
        classrooms = Classroom.objects.bulk_create(classrooms)
        counts["classes"] = len(classrooms)

        # Rosters: class i of teacher t holds the next students_per_class students.
        rosters: dict[int, list[User]] = {}
        enrollments = []
        cursor = 0
        for classroom in classrooms:
            if classroom.name.startswith("Year group"):
                continue
            roster = student_rows[cursor : cursor + students_per_class]
            cursor += students_per_class
            rosters[classroom.pk] = roster
            enrollments.extend(Enrollment(classroom=classroom, student=s) for s in roster)
        for classroom in classrooms:
            if classroom.name.startswith("Year group"):
                own = [c for c in classrooms if c.teacher_id == classroom.teacher_id and c.pk != classroom.pk]
                roster = [s for c in own for s in rosters[c.pk]]
                rosters[classroom.pk] = roster
                enrollments.extend(Enrollment(classroom=classroom, student=s) for s in roster)
        Enrollment.objects.bulk_create(enrollments, batch_size=5000)
        counts["enrolments"] = len(enrollments)

        # The whole unit assigned to every class, one lesson a week; each class
        # is at its own point in it (the current lesson opened yesterday).
        assignments = []
        current_index: dict[int, int] = {}
        for n, classroom in enumerate(classrooms):
            current = min(len(lessons) - 1, 3 + n % 4) if len(lessons) > 1 else 0
            current_index[classroom.pk] = current
            for i, lesson in enumerate(lessons):
                opens_at = now - timedelta(days=1) + timedelta(weeks=i - current)
                assignments.append(
                    Assignment(
                        classroom=classroom,
                        lesson=lesson,
                        opens_at=opens_at,
                        due_at=opens_at + timedelta(days=7),
                        discussion_on=True,
                        post_first=True,
                    )
                )
        assignments = Assignment.objects.bulk_create(assignments, batch_size=5000)
        counts["assignments"] = len(assignments)

        responses: list[Response] = []
        reads: list[SectionRead] = []
        for assignment in assignments:
            lesson_pos = next(i for i, lesson in enumerate(lessons) if lesson.pk == assignment.lesson_id)
            current = current_index[assignment.classroom_id]
            if lesson_pos > current:
                continue
            finished = lesson_pos < current
            section_ids = sections_by_lesson[assignment.lesson_id]
            for student in rosters[assignment.classroom_id]:
                for prompt in prompts_by_lesson[assignment.lesson_id]:
                    response = _response(rng, assignment, prompt, student, section_ids, finished, bodies, draft_bodies)
                    if response is not None:
                        responses.append(response)
                if finished:
                    reads.extend(
                        SectionRead(
                            assignment_id=assignment.pk,
                            student_id=student.pk,
                            section_id=section_id,
                            read_at=assignment.opens_at + timedelta(hours=1),
                        )
                        for section_id in section_ids
                        if rng.random() < READ_SHARE
                    )
        responses = Response.objects.bulk_create(responses, batch_size=2000)
        counts["responses"] = len(responses)
        SectionRead.objects.bulk_create(reads, batch_size=5000)
        counts["sections read"] = len(reads)

        versions: list[ResponseVersion] = []
        feedback: list[Feedback] = []
        replies: list[Reply] = []
        teacher_of = {c.pk: c.teacher_id for c in classrooms}
        assignment_class = {a.pk: a.classroom_id for a in assignments}
        for response in responses:
            if rng.random() < SNAPSHOT_SHARE:
                versions.append(
                    ResponseVersion(
                        response_id=response.pk,
                        kind=ResponseVersion.Kind.SNAPSHOT,
                        version=max(1, response.version - 1),
                        position=response.position,
                        body=response.body[: len(response.body) // 2],
                        cited_sections=response.cited_sections[:1],
                        created_at=response.created_at,
                    )
                )
            if response.submitted_at is None:
                continue
            versions.append(
                ResponseVersion(
                    response_id=response.pk,
                    kind=ResponseVersion.Kind.SUBMITTED,
                    version=response.version,
                    position=response.position,
                    body=response.body,
                    cited_sections=response.cited_sections,
                    quoted_sentence=response.quoted_sentence,
                    created_at=response.submitted_at,
                )
            )
            classroom_id = assignment_class[response.assignment_id]
            if response.status in (Response.Status.RETURNED, Response.Status.REVISING) or (
                rng.random() < FEEDBACK_SHARE * (1 - RELEASED_SHARE)
            ):
                released = response.status in (Response.Status.RETURNED, Response.Status.REVISING)
                feedback.append(
                    Feedback(
                        response_id=response.pk,
                        teacher_id=teacher_of[classroom_id],
                        claim=rng.randint(1, 4),
                        evidence=rng.randint(1, 4),
                        reasoning=rng.randint(1, 4),
                        sources=rng.randint(1, 4),
                        comment=rng.choice(COMMENTS),
                        released_at=response.submitted_at + timedelta(days=2) if released else None,
                    )
                )
            if rng.random() < REPLY_SHARE:
                classmates = rosters[classroom_id]
                for _ in range(rng.randint(1, 3)):
                    replies.append(
                        Reply(response_id=response.pk, author_id=rng.choice(classmates).pk, body=rng.choice(REPLIES))
                    )
        ResponseVersion.objects.bulk_create(versions, batch_size=2000)
        counts["versions"] = len(versions)
        Feedback.objects.bulk_create(feedback, batch_size=5000)
        counts["feedback"] = len(feedback)
        Reply.objects.bulk_create(replies, batch_size=5000)
        counts["replies"] = len(replies)
        bank = [CommentBankEntry(teacher=t, text=text) for t in teacher_rows for text in COMMENTS[:4]]
        CommentBankEntry.objects.bulk_create(bank)
        counts["comment bank entries"] = len(bank)

    return Seeded(teachers=teachers, classes=len(classrooms), students=len(student_rows), counts=counts)


def _response(rng, assignment, prompt, student, section_ids, finished, bodies, draft_bodies) -> Response | None:
    """One student's answer to one prompt, or None when they have not started it."""
    position = rng.choice(prompt.positions) if prompt.positions else ""
    cited = rng.sample(section_ids, k=min(len(section_ids), rng.randint(1, 2))) if section_ids else []
    started = assignment.opens_at + timedelta(minutes=rng.randint(5, 600))
    if finished:
        if rng.random() >= SUBMITTED_SHARE:
            if rng.random() < 0.5:
                return None
            return Response(
                assignment_id=assignment.pk,
                prompt_id=prompt.pk,
                student_id=student.pk,
                position=position,
                body=rng.choice(draft_bodies),
                cited_sections=cited[:1],
                status=Response.Status.DRAFT,
                version=rng.randint(1, 6),
                created_at=started,
            )
        status = Response.Status.SUBMITTED
        if rng.random() < FEEDBACK_SHARE * RELEASED_SHARE:
            status = Response.Status.REVISING if rng.random() < REVISING_SHARE else Response.Status.RETURNED
        submitted_at = started + timedelta(minutes=rng.randint(10, 90))
        return Response(
            assignment_id=assignment.pk,
            prompt_id=prompt.pk,
            student_id=student.pk,
            position=position,
            body=rng.choice(bodies),
            cited_sections=cited,
            quoted_sentence=rng.choice(bodies)[:120] if rng.random() < 0.5 else "",
            status=status,
            version=rng.randint(3, 12),
            submitted_at=submitted_at,
            is_late=submitted_at > assignment.due_at,
            created_at=started,
        )
    # The current lesson: most have a draft, a few have handed it in already.
    roll = rng.random()
    if roll >= CURRENT_DRAFT_SHARE + CURRENT_SUBMITTED_SHARE:
        return None
    submitted = roll >= CURRENT_DRAFT_SHARE
    return Response(
        assignment_id=assignment.pk,
        prompt_id=prompt.pk,
        student_id=student.pk,
        position=position,
        body=rng.choice(bodies if submitted else draft_bodies),
        cited_sections=cited,
        status=Response.Status.SUBMITTED if submitted else Response.Status.DRAFT,
        version=rng.randint(2, 8),
        submitted_at=started + timedelta(minutes=30) if submitted else None,
        created_at=started,
    )


def _unique_codes(rng: random.Random, n: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < n:
        codes.add("".join(rng.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH)))
    return sorted(codes)
