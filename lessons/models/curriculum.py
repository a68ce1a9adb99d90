"""What is taught: the unit, its lessons, readings, terms, sources, prompts and plans."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MARKDOWN_HELP = _(
    "Markdown: a blank line starts a new paragraph; **bold**, *italic*, "
    "'- ' starts a list item, [text](https://...) makes a link. HTML is removed."
)
ONE_PER_LINE_HELP = _("One item per line.")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft (staff only)")
    PUBLISHED = "published", _("Published")


class LoadedContent(models.Model):
    """Content that the unit loader writes.

    `loaded_digest` is a hash of the values the loader last wrote. When the row
    no longer matches it, an admin has edited the row, and the loader leaves it
    alone (unless told to reset).
    """

    loaded_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True


class Unit(LoadedContent):
    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    central_question = models.CharField(_("central question"), max_length=300)
    positions = models.JSONField(
        _("positions"), default=list, blank=True, help_text=_("The answers a student can take to the central question.")
    )
    intro = models.TextField(_("introduction"), blank=True, help_text=MARKDOWN_HELP)
    source_credit = models.TextField(_("source credit"), help_text=_("Author, title, publisher and year of the source."))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("unit")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("lessons:index")


class LessonQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """Drafts are for staff only."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()


class Lesson(LoadedContent):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField(_("order"))
    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=45)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # The lesson plan's lists, one item per line so that admins edit plain text.
    objectives = models.TextField(_("objectives"), blank=True, help_text=ONE_PER_LINE_HELP)
    standards = models.TextField(_("standards"), blank=True, help_text=ONE_PER_LINE_HELP)
    materials = models.TextField(_("materials"), blank=True, help_text=ONE_PER_LINE_HELP)
    support = models.TextField(_("support"), blank=True, help_text=MARKDOWN_HELP)
    extension = models.TextField(_("extension"), blank=True, help_text=MARKDOWN_HELP)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "order"]
        verbose_name = _("lesson")
        constraints = [
            models.UniqueConstraint(fields=["unit", "order"], name="lesson_unique_order_in_unit"),
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="lesson_duration_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("lessons:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    def objective_list(self) -> list[str]:
        return self._lines(self.objectives)

    def standard_list(self) -> list[str]:
        return self._lines(self.standards)

    def material_list(self) -> list[str]:
        return self._lines(self.materials)


class Section(LoadedContent):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"))
    heading = models.CharField(_("heading"), max_length=200)
    anchor = models.SlugField(_("anchor"), help_text=_("The #link to this section; unique within the lesson."))
    body = models.TextField(_("body"), help_text=MARKDOWN_HELP)

    class Meta:
        ordering = ["lesson", "order"]
        verbose_name = _("reading section")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "order"], name="section_unique_order_in_lesson"),
            models.UniqueConstraint(fields=["lesson", "anchor"], name="section_unique_anchor_in_lesson"),
        ]

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return f"{self.lesson.get_absolute_url()}#{self.anchor}"

    @property
    def word_count(self) -> int:
        return len(self.body.split())


class KeyTerm(LoadedContent):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="key_terms")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    term = models.CharField(_("term"), max_length=100)
    definition = models.TextField(_("definition"))

    class Meta:
        ordering = ["lesson", "order", "term"]
        verbose_name = _("key term")
        constraints = [models.UniqueConstraint(fields=["lesson", "term"], name="keyterm_unique_term_in_lesson")]

    def __str__(self) -> str:
        return self.term


class Quotation(LoadedContent):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="quotations")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("text"), help_text=_("The words quoted, without quotation marks."))
    speaker = models.CharField(_("speaker"), max_length=200)
    source = models.CharField(_("source"), max_length=300)
    date = models.CharField(_("date"), max_length=50, blank=True)
    note = models.TextField(_("note"), blank=True, help_text=_("Context for students."))

    class Meta:
        ordering = ["lesson", "order"]
        verbose_name = _("primary-source quotation")

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text[:60]}"


class TimelineEvent(LoadedContent):
    class Precision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="timeline_events")
    date = models.DateField(_("date"))
    precision = models.CharField(_("precision"), max_length=5, choices=Precision.choices, default=Precision.DAY)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="timeline_events"
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("timeline event")
        constraints = [
            models.UniqueConstraint(fields=["unit", "date", "title"], name="timelineevent_unique_in_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.title}"


class PromptQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()


class Prompt(LoadedContent):
    class Kind(models.TextChoices):
        OPEN = "open", _("Open (a written answer)")
        POSITION = "position", _("Position (pick a side and argue it)")

    class Role(models.TextChoices):
        ORDINARY = "", _("Ordinary")
        FIRST_TAKE = "first_take", _("First take on the central question")
        FINAL_ARGUMENT = "final_argument", _("Final argument on the central question")

    class Skill(models.TextChoices):
        SOURCING = "sourcing", _("Sourcing")
        CONTEXTUALISATION = "contextualisation", _("Contextualisation")
        CORROBORATION = "corroboration", _("Corroboration")
        ARGUMENT = "argument", _("Argument")

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="prompts")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OPEN)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ORDINARY, blank=True)
    skill = models.CharField(_("skill"), max_length=20, choices=Skill.choices, blank=True)
    text = models.TextField(_("question"))
    positions = models.JSONField(
        _("positions"), default=list, blank=True, help_text=_('For position prompts: a list, e.g. ["Yes", "No"].')
    )
    strong_answer = models.TextField(
        _("teacher notes"), blank=True, help_text=_("Teachers only: what a strong answer includes.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)

    objects = PromptQuerySet.as_manager()

    class Meta:
        ordering = ["lesson", "order"]
        verbose_name = _("discussion prompt")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "order"], name="prompt_unique_order_in_lesson"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_position(self) -> bool:
        return self.kind == self.Kind.POSITION

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind == self.Kind.POSITION:
            if not isinstance(self.positions, list) or len(self.positions) < 2:
                raise ValidationError({"positions": _("A position prompt needs at least two positions.")})
            if any(not isinstance(p, str) or not p.strip() for p in self.positions):
                raise ValidationError({"positions": _("Each position must be a non-empty text.")})
        elif self.positions:
            raise ValidationError({"positions": _("Only position prompts have positions.")})


class PlanStep(LoadedContent):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="plan_steps")
    order = models.PositiveSmallIntegerField(_("order"))
    phase = models.CharField(_("phase"), max_length=50)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    instructions = models.TextField(_("instructions"), help_text=MARKDOWN_HELP)

    class Meta:
        ordering = ["lesson", "order"]
        verbose_name = _("lesson plan step")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "order"], name="planstep_unique_order_in_lesson"),
            models.CheckConstraint(condition=Q(minutes__gt=0), name="planstep_minutes_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.phase} ({self.minutes} min)"
