"""The work done on the unit: assignments, responses, feedback and discussion."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .curriculum import Lesson, Prompt, Section, Status

# The review rubric: four criteria, each with four described levels (1-4).
RUBRIC = [
    (
        "claim",
        _("Claim"),
        [
            _("No clear position, or it does not answer the question."),
            _("A position is stated but vague or inconsistent."),
            _("A clear position that answers the question."),
            _("A clear, precise position that weighs how far it holds."),
        ],
    ),
    (
        "evidence",
        _("Evidence"),
        [
            _("No evidence from the reading."),
            _("Some evidence, loosely connected or inaccurate."),
            _("Accurate, relevant evidence from the reading."),
            _("Well-chosen, specific evidence from several parts of the reading."),
        ],
    ),
    (
        "reasoning",
        _("Reasoning"),
        [
            _("Evidence is not explained."),
            _("Some explanation of how the evidence supports the claim."),
            _("Clear explanation linking evidence to the claim."),
            _("Convincing reasoning that also answers the strongest counter-argument."),
        ],
    ),
    (
        "sources",
        _("Use of sources"),
        [
            _("Sources are not mentioned."),
            _("Sources are named but not questioned."),
            _("Considers who wrote a source, when and why."),
            _("Weighs sources against each other and judges their reliability."),
        ],
    ),
]
RUBRIC_KEYS = [key for key, _label, _levels in RUBRIC]
RUBRIC_MAX_LEVEL = 4


class AssignmentQuerySet(models.QuerySet):
    def for_teacher(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(classroom__teacher=user)

    def for_student(self, user):
        """Assignments of the student's active classes that are for the whole
        class or name this student."""
        if not user.is_authenticated:
            return self.none()
        from accounts.models import Enrollment

        enrolled = Enrollment.objects.filter(classroom=OuterRef("classroom"), student=user)
        chosen_any = Assignment.students.through.objects.filter(assignment=OuterRef("pk"))
        chosen_me = chosen_any.filter(user=user)
        return self.filter(
            Exists(enrolled),
            classroom__archived_at__isnull=True,
        ).filter(~Exists(chosen_any) | Exists(chosen_me))


class Assignment(models.Model):
    class LatePolicy(models.TextChoices):
        ACCEPT = "accept", _("Accept late work (marked late)")
        CLOSE = "close", _("Close at the due time")

    classroom = models.ForeignKey("accounts.Classroom", on_delete=models.CASCADE, related_name="assignments")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="assignments")
    prompts = models.ManyToManyField(
        Prompt, blank=True, related_name="assignments", help_text=_("Leave empty for all of the lesson's prompts.")
    )
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="chosen_assignments",
        help_text=_("Leave empty for the whole class."),
    )
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    late_policy = models.CharField(
        _("late work"), max_length=10, choices=LatePolicy.choices, default=LatePolicy.ACCEPT
    )
    discussion_on = models.BooleanField(_("discussion on"), default=True)
    post_first = models.BooleanField(_("students must post before they see classmates' answers"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("assignment")
        indexes = [models.Index(fields=["classroom", "due_at"], name="assignment_class_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(due_at__gt=models.F("opens_at")),
                name="assignment_due_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lesson.title} ({self.classroom})"

    def is_open(self, now=None) -> bool:
        """Students can work on it: opened, and not closed by a passed due time."""
        now = now or timezone.now()
        if now < self.opens_at:
            return False
        return not (self.late_policy == self.LatePolicy.CLOSE and self.is_past_due(now))

    def is_past_due(self, now=None) -> bool:
        return self.due_at is not None and (now or timezone.now()) > self.due_at

    def assigned_prompts(self) -> list[Prompt]:
        """The chosen prompts, or all the lesson's published prompts, in order.

        One query, made once per instance: the view's access check and the
        service's rule check on the same request share the list (an autosave
        asks twice). `forget_assigned_prompts()` after changing the choice.
        """
        if "_assigned_prompts" not in self.__dict__:
            chosen = Assignment.prompts.through.objects.filter(assignment_id=self.pk)
            self.__dict__["_assigned_prompts"] = list(
                Prompt.objects.filter(
                    Q(pk__in=chosen.values("prompt_id"))
                    | Q(lesson_id=self.lesson_id, status=Status.PUBLISHED) & ~Exists(chosen)
                ).order_by("order", "pk")
            )
        return self.__dict__["_assigned_prompts"]

    def forget_assigned_prompts(self) -> None:
        self.__dict__.pop("_assigned_prompts", None)


class Response(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        REVISING = "revising", _("Needs revision")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="responses")
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="responses")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responses")
    position = models.CharField(_("position"), max_length=200, blank=True)
    body = models.TextField(_("answer"), blank=True)
    # Section ids the answer rests on; kept on the row so that an autosave is
    # one guarded UPDATE. The service checks they belong to the lesson.
    cited_sections = models.JSONField(_("cited sections"), default=list, blank=True)
    quoted_sentence = models.TextField(_("quoted sentence"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Incremented on every write; a save names the version it started from and
    # is refused when another tab has saved since (the two-tab rule).
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    hidden = models.BooleanField(_("hidden from discussion"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assignment", "prompt__order", "student"]
        verbose_name = _("response")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "prompt", "student"], name="response_unique_per_student_prompt"
            ),
        ]
        indexes = [
            models.Index(fields=["assignment", "status"], name="response_assignment_status"),
            models.Index(fields=["student", "assignment"], name="response_student_assignment"),
        ]

    def __str__(self) -> str:
        return f"{self.student} on {self.prompt}"

    @property
    def word_count(self) -> int:
        return len(self.body.split())

    @property
    def is_submitted(self) -> bool:
        return self.status in {self.Status.SUBMITTED, self.Status.RETURNED}

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.REVISING}


class ResponseVersion(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SNAPSHOT = "snapshot", _("Draft snapshot")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="versions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    version = models.PositiveIntegerField(_("response version"))
    position = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    cited_sections = models.JSONField(default=list, blank=True)
    quoted_sentence = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["response", "-created_at", "-pk"]
        verbose_name = _("response version")
        indexes = [models.Index(fields=["response", "kind", "created_at"], name="responseversion_lookup")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} of {self.response_id}"

    @property
    def word_count(self) -> int:
        return len(self.body.split())


class SectionRead(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="section_reads")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="section_reads")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("section read")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "student", "section"], name="sectionread_unique_per_student"
            ),
        ]


class Feedback(models.Model):
    """A teacher's rubric scores and comment; a draft until `released_at`."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="feedback")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="feedback_given"
    )
    claim = models.PositiveSmallIntegerField(_("claim"), null=True, blank=True)
    evidence = models.PositiveSmallIntegerField(_("evidence"), null=True, blank=True)
    reasoning = models.PositiveSmallIntegerField(_("reasoning"), null=True, blank=True)
    sources = models.PositiveSmallIntegerField(_("use of sources"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    released_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=(Q(**{f"{key}__isnull": True}) | Q(**{f"{key}__gte": 1, f"{key}__lte": RUBRIC_MAX_LEVEL})),
                name=f"feedback_{key}_in_range",
            )
            for key in RUBRIC_KEYS
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.response_id}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    def scores(self) -> dict[str, int | None]:
        return {key: getattr(self, key) for key in RUBRIC_KEYS}

    @property
    def total(self) -> int | None:
        values = [v for v in self.scores().values() if v is not None]
        return sum(values) if values else None


class Reply(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("reply"), max_length=1000)
    hidden = models.BooleanField(_("hidden"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        indexes = [models.Index(fields=["response", "created_at"], name="reply_response_created")]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class CommentBankEntry(models.Model):
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_bank")
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["text"]
        verbose_name = _("comment bank entry")
        verbose_name_plural = _("comment bank entries")

    def __str__(self) -> str:
        return self.text[:60]
