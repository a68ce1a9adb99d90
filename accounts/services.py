"""Writes that span users, classes and enrolments. Views call these; each is
atomic and validates what it is given."""

import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.db.models import Q

from .models import Classroom, Enrollment, User
from .usernames import unique_usernames, username_base

# Short, common, unambiguous words: a 13-year-old can read a temporary
# password off a card and type it on a phone. Two words and two digits give
# about 1.3 million combinations; with sign-in locked after five failures and
# the password replaced at first sign-in, that is plenty.
PASSWORD_WORDS = (
    "apple", "arrow", "badge", "beach", "berry", "bread", "brick", "brush", "cabin", "camel",
    "candy", "cargo", "chalk", "cloud", "coral", "crane", "crown", "daisy", "delta", "eagle",
    "earth", "ember", "fable", "fern", "field", "flame", "flint", "forest", "frost", "garden",
    "ginger", "globe", "grape", "gravel", "harbor", "hazel", "honey", "horse", "island", "ivory",
    "jelly", "jungle", "kayak", "kettle", "koala", "lemon", "lilac", "llama", "lotus", "magnet",
    "mango", "maple", "marble", "meadow", "melon", "mint", "moose", "nectar", "noodle", "ocean",
    "olive", "orbit", "otter", "panda", "paper", "peach", "pearl", "pepper", "piano", "pilot",
    "planet", "plum", "pond", "puffin", "quartz", "rabbit", "radar", "raven", "river", "robin",
    "rocket", "saddle", "salmon", "sandal", "silver", "spark", "spruce", "squid", "stone", "storm",
    "sugar", "summit", "tiger", "timber", "toast", "tulip", "turtle", "valley", "velvet", "violet",
    "walnut", "willow", "window", "winter", "wombat", "yacht", "zebra", "zipper",
)  # fmt: skip

MAX_BULK_NAMES = 100


def temporary_password() -> str:
    """Easy to type, hard to guess in five tries: "maple-river-42"."""
    first, second = secrets.choice(PASSWORD_WORDS), secrets.choice(PASSWORD_WORDS)
    while second == first:
        second = secrets.choice(PASSWORD_WORDS)
    return f"{first}-{second}-{secrets.randbelow(90) + 10}"


@dataclass(frozen=True)
class LoginCard:
    """What a teacher hands a student once: never stored after the page is shown."""

    display_name: str
    username: str
    password: str

    def as_dict(self) -> dict[str, str]:
        return {"display_name": self.display_name, "username": self.username, "password": self.password}


def create_classroom(*, teacher: User, name: str) -> Classroom:
    classroom = Classroom(teacher=teacher, name=name.strip())
    classroom.full_clean()
    # The join code is unique among active classes; a clash is one in a
    # trillion, but the constraint would turn it into an error page.
    if Classroom.objects.active().filter(join_code=classroom.join_code).exists():
        classroom.regenerate_join_code(save=False)
    classroom.save()
    return classroom


def create_teacher(*, username: str, email: str, display_name: str, password: str) -> User:
    user = User(username=username, email=email, display_name=display_name.strip(), role=User.Role.TEACHER)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def join_classroom(*, student: User, classroom: Classroom) -> bool:
    """Enrol the student; True if they were not in the class already."""
    if not student.is_student:
        raise ValueError("Only students join classes.")
    _enrollment, created = Enrollment.objects.get_or_create(classroom=classroom, student=student)
    return created


@transaction.atomic
def create_student_and_join(*, username: str, display_name: str, password: str, classroom: Classroom) -> User:
    """A student signing themselves up with a class code: no email, no birth date."""
    student = User(username=username, display_name=display_name.strip(), role=User.Role.STUDENT)
    validate_password(password, student)
    student.set_password(password)
    student.full_clean()
    student.save()
    Enrollment.objects.create(classroom=classroom, student=student)
    return student


def _hash_passwords(passwords: list[str]) -> list[str]:
    """Hashing is deliberately slow (about 0.2 s each); a class of 30 would keep
    the teacher waiting. The hash functions release the GIL, so threads help."""
    if len(passwords) < 4:
        return [make_password(p) for p in passwords]
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(make_password, passwords))


def _taken_usernames(bases: set[str]) -> set[str]:
    """Existing usernames that could clash with these bases, in one query."""
    clashes = Q()
    for base in bases:
        clashes |= Q(username__istartswith=base)
    return set(User.objects.filter(clashes).values_list("username", flat=True))


def bulk_add_students(*, classroom: Classroom, names: list[str]) -> list[LoginCard]:
    """Create one student account per name, enrolled in the class, each with a
    readable unique username and a temporary password to change at first
    sign-in. Returns the login cards; the passwords exist nowhere else."""
    names = [name.strip() for name in names if name.strip()]
    if not names:
        raise ValueError("No names given.")
    if len(names) > MAX_BULK_NAMES:
        raise ValueError(f"At most {MAX_BULK_NAMES} names at a time.")
    bases = [username_base(name) for name in names]
    # Two teachers adding "Zoe" at the same moment could both pick "zoe":
    # the unique constraint stops the second, which then picks again.
    for attempt in range(3):
        try:
            with transaction.atomic():
                usernames = unique_usernames(bases, _taken_usernames(set(bases)))
                cards = [
                    LoginCard(display_name=name, username=username, password=temporary_password())
                    for name, username in zip(names, usernames, strict=True)
                ]
                hashes = _hash_passwords([card.password for card in cards])
                students = [
                    User(
                        username=card.username,
                        display_name=card.display_name,
                        role=User.Role.STUDENT,
                        must_change_password=True,
                        password=hashed,
                    )
                    for card, hashed in zip(cards, hashes, strict=True)
                ]
                User.objects.bulk_create(students)
                # bulk_create sets primary keys on PostgreSQL and SQLite 3.35+.
                Enrollment.objects.bulk_create([Enrollment(classroom=classroom, student=s) for s in students])
                return cards
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def reset_student_password(*, classroom: Classroom, student: User) -> LoginCard:
    """A new temporary password for a student of this class, to change at next
    sign-in. Also lifts a sign-in lockout, since the teacher now vouches for them."""
    if not Enrollment.objects.filter(classroom=classroom, student=student).exists():
        raise ValueError("The student is not in this class.")
    password = temporary_password()
    student.set_password(password)
    student.must_change_password = True
    student.save(update_fields=["password", "must_change_password"])
    from axes.utils import reset as reset_axes_lockout

    reset_axes_lockout(username=student.username)
    return LoginCard(display_name=student.name, username=student.username, password=password)


def remove_student(*, classroom: Classroom, student: User) -> None:
    """Take the student out of the class; their account and their work stay."""
    Enrollment.objects.filter(classroom=classroom, student=student).delete()
