"""People and groups: the custom user, classes and rosters."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No look-alikes: no 0/O, no 1/I/L.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(raw: str) -> str:
    """What a student types, made comparable: upper case, no spaces or dashes."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


class UserQuerySet(models.QuerySet):
    def teachers(self):
        return self.filter(role=User.Role.TEACHER)

    def students(self):
        return self.filter(role=User.Role.STUDENT)


class KoreaUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A teacher or a student. Staff and superusers are the admins.

    Students give no email address and no birth date: the least we can collect.
    """

    class Role(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        STUDENT = "student", _("Student")

    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.TEACHER, db_index=True)
    display_name = models.CharField(
        _("display name"), max_length=100, blank=True, help_text=_("The name classmates and teachers see.")
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set for accounts a teacher created with a temporary password."),
    )

    objects = KoreaUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_teacher(self) -> bool:
        return self.role == self.Role.TEACHER

    @property
    def is_student(self) -> bool:
        return self.role == self.Role.STUDENT

    @property
    def can_see_teacher_material(self) -> bool:
        """Lesson plans and teacher notes: teachers and admins only."""
        return self.is_authenticated and (self.is_teacher or self.is_staff)


class ClassroomQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def taught_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(teacher=user)

    def attended_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(enrollments__student=user)

    def with_student_count(self):
        return self.annotate(student_count=models.Count("enrollments", distinct=True))


class Classroom(models.Model):
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="classrooms",
        limit_choices_to={"role": User.Role.TEACHER},
        verbose_name=_("teacher"),
    )
    name = models.CharField(_("name"), max_length=100)
    join_code = models.CharField(_("join code"), max_length=JOIN_CODE_LENGTH, default=new_join_code, db_index=True)
    joining_open = models.BooleanField(_("joining open"), default=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.UniqueConstraint(
                fields=["join_code"],
                condition=Q(archived_at__isnull=True),
                name="classroom_unique_active_join_code",
            ),
        ]
        indexes = [models.Index(fields=["teacher", "archived_at"], name="classroom_teacher_archived")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("teach:classroom", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def regenerate_join_code(self, *, save: bool = True) -> str:
        """A fresh code, unique among active classes; the old one stops working."""
        while True:
            code = new_join_code()
            if not Classroom.objects.active().filter(join_code=code).exclude(pk=self.pk).exists():
                break
        self.join_code = code
        if save:
            self.save(update_fields=["join_code"])
        return code

    def archive(self) -> None:
        self.archived_at = timezone.now()
        self.save(update_fields=["archived_at"])

    def unarchive(self) -> None:
        if Classroom.objects.active().filter(join_code=self.join_code).exclude(pk=self.pk).exists():
            self.regenerate_join_code(save=False)
        self.archived_at = None
        self.save(update_fields=["archived_at", "join_code"])


class Enrollment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="enrollments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrollments",
        limit_choices_to={"role": User.Role.STUDENT},
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        ordering = ["classroom", "student__display_name", "student__username"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["classroom", "student"], name="enrollment_unique_student_per_class"),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"
