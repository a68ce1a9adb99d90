"""Forms for coursework: a student's answer, a reply, and a teacher's assignment."""

import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .models import Assignment, Lesson, Prompt, Section
from .services import MAX_BODY_CHARS, MAX_QUOTE_CHARS, MAX_REPLY_CHARS, Answer


class AnswerForm(forms.Form):
    """The plain-form path for saving or submitting an answer (no JavaScript needed)."""

    position = forms.ChoiceField(label=_("Your position"), required=False, widget=forms.RadioSelect)
    body = forms.CharField(label=_("Your answer"), required=False, max_length=MAX_BODY_CHARS, strip=False)
    cited_sections = forms.TypedMultipleChoiceField(
        label=_("Evidence: the sections your answer rests on"), required=False, coerce=int
    )
    quoted_sentence = forms.CharField(
        label=_("Quote a sentence (optional)"), required=False, max_length=MAX_QUOTE_CHARS
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    keep_previous = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, prompt: Prompt, sections: list[Section], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [(p, p) for p in prompt.positions or []]
        self.fields["cited_sections"].choices = [(s.pk, s.heading) for s in sections]

    def answer(self) -> Answer:
        data = self.cleaned_data
        return Answer(
            position=data.get("position") or "",
            body=data.get("body") or "",
            cited_sections=list(data.get("cited_sections") or []),
            quoted_sentence=data.get("quoted_sentence") or "",
        )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=MAX_REPLY_CHARS,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_REPLY_CHARS}),
        help_text=_("Brief and kind: at most %(n)s characters.") % {"n": MAX_REPLY_CHARS},
    )


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name or name == "UTC"]


# The largest id a BigAutoField can hold; SQLite raises OverflowError (a 500)
# when asked to compare a column with anything larger.
MAX_ID = 2**63 - 1


class IdsField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows whose submitted ids are checked to be
    in-range integers before the database sees them, so a tampered form gets
    the field's "not one of the choices" message instead of a server error."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if not text.isdecimal() or not 0 < int(text) <= MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


class _AssignmentFieldsForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Time zone"), help_text=_("The opening and due times below are in this time zone.")
    )
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DateTimeLocalInput())
    due_at = forms.DateTimeField(
        label=_("Due at"), required=False, widget=DateTimeLocalInput(), help_text=_("Leave empty for no due time.")
    )
    prompts = IdsField(
        label=_("Questions"),
        queryset=Prompt.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to assign every question."),
    )
    students = IdsField(
        label=_("Students"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to assign it to the whole class."),
    )
    discussion_on = forms.BooleanField(
        label=_("Discussion: students see and reply to classmates' answers"), required=False, initial=True
    )
    post_first = forms.BooleanField(
        label=_("Students must post their own answer before they see classmates' answers"), required=False, initial=True
    )
    late_policy = forms.ChoiceField(
        label=_("Late work"),
        choices=Assignment.LatePolicy.choices,
        initial=Assignment.LatePolicy.ACCEPT,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, classroom, **kwargs):
        super().__init__(*args, **kwargs)
        self.classroom = classroom
        self.fields["time_zone"].choices = _time_zone_choices()
        self.fields["time_zone"].initial = timezone.get_current_timezone_name()
        self.fields["students"].queryset = User.objects.filter(enrollments__classroom=classroom).order_by(
            "display_name", "username"
        )
        self.fields["students"].label_from_instance = lambda user: user.name
        self.fields["prompts"].label_from_instance = lambda p: f"{p.lesson.order}. {p.text}"

    def clean(self):
        data = super().clean()
        zone_name = data.get("time_zone")
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in ("opens_at", "due_at"):
                value = data.get(name)
                if value is not None:
                    # The browser sends a wall-clock time; read it in the chosen zone.
                    data[name] = timezone.make_aware(timezone.make_naive(value).replace(tzinfo=None), zone)
        opens_at, due_at = data.get("opens_at"), data.get("due_at")
        if opens_at and due_at and due_at <= opens_at:
            self.add_error("due_at", _("The due time must be after the opening time."))
        return data


class AssignForm(_AssignmentFieldsForm):
    lessons = IdsField(
        label=_("Lessons"), queryset=Lesson.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    field_order = ["lessons", "time_zone", "opens_at", "due_at", "prompts", "students"]

    def __init__(self, *args, classroom, **kwargs):
        super().__init__(*args, classroom=classroom, **kwargs)
        self.fields["lessons"].queryset = Lesson.objects.published().order_by("order")
        self.fields["lessons"].label_from_instance = lambda lesson: f"{lesson.order}. {lesson.title}"
        self.fields["prompts"].queryset = (
            Prompt.objects.published()
            .filter(lesson__status="published")
            .select_related("lesson")
            .order_by("lesson__order", "order")
        )
        self.fields["opens_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean(self):
        data = super().clean()
        lessons = data.get("lessons") or []
        chosen_lessons = {lesson.pk for lesson in lessons}
        if any(p.lesson_id not in chosen_lessons for p in data.get("prompts") or []):
            self.add_error("prompts", _("Tick questions of the lessons you chose only."))
        return data


class AssignmentEditForm(_AssignmentFieldsForm):
    confirm = forms.BooleanField(
        label=_("I understand that submitted answers to removed questions or students will drop off this assignment"),
        required=False,
    )

    def __init__(self, *args, assignment: Assignment, **kwargs):
        super().__init__(*args, classroom=assignment.classroom, **kwargs)
        self.fields["prompts"].queryset = (
            assignment.lesson.prompts.published().select_related("lesson").order_by("order")
        )


class DeleteAssignmentForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, delete the submitted answers too"), required=False)
