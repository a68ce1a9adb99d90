"""Forms for signing up, signing in, joining a class and managing a roster."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import JOIN_CODE_LENGTH, Classroom, User, normalise_join_code
from .services import MAX_BULK_NAMES


class LoginForm(AuthenticationForm):
    """Sign-in that forgives a phone's automatic capital letter: "Zoe.smith"
    finds "zoe.smith" (sign-up already refuses usernames differing only in case)."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and not User.objects.filter(username=username).exists():
            match = list(User.objects.filter(username__iexact=username).values_list("username", flat=True)[:2])
            if len(match) == 1:
                self.cleaned_data["username"] = match[0]
        return super().clean()


class TeacherSignupForm(UserCreationForm):
    display_name = forms.CharField(
        label=_("Your name"), max_length=100, help_text=_("As your students know you, e.g. Ms Park.")
    )
    email = forms.EmailField(label=_("Email"), help_text=_("Only for resetting a forgotten password."))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["display_name", "username", "email"]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(gettext("An account with this email already exists. Try signing in."))
        return email


class StudentSignupForm(UserCreationForm):
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        help_text=_("The name your teacher and classmates see. A first name and an initial are enough."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["display_name", "username"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.role = User.Role.STUDENT
        self.fields["username"].help_text = _("You sign in with this. Letters, digits and . - _ only.")


class JoinCodeForm(forms.Form):
    """A class code. After validation, `self.classroom` is the class it opens."""

    UNKNOWN = "unknown"
    CLOSED = "closed"

    code = forms.CharField(
        label=_("Class code"),
        max_length=32,
        help_text=_("The 8-character code your teacher shows you."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}),
    )

    classroom: Classroom | None = None

    def clean_code(self):
        code = normalise_join_code(self.cleaned_data["code"])
        classroom = None
        if len(code) == JOIN_CODE_LENGTH:
            classroom = Classroom.objects.active().filter(join_code=code).select_related("teacher").first()
        if classroom is None:
            raise forms.ValidationError(
                gettext("No class has this code. Check it with your teacher: a class's code can change."),
                code=self.UNKNOWN,
            )
        if not classroom.joining_open:
            raise forms.ValidationError(
                gettext("This class is not taking new students at the moment. Ask your teacher to open it."),
                code=self.CLOSED,
            )
        self.classroom = classroom
        return code


class ClassroomForm(forms.ModelForm):
    class Meta:
        model = Classroom
        fields = ["name"]
        labels = {"name": _("Class name")}
        help_texts = {"name": _("As your students know it, e.g. Year 10 History, period 3.")}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(gettext("Give the class a name."))
        return name


class BulkAddForm(forms.Form):
    names = forms.CharField(
        label=_("Student names, one per line"),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=format_lazy(
            _("Paste up to {limit} names. Blank lines are skipped. Give two students with the same name an initial."),
            limit=MAX_BULK_NAMES,
        ),
    )

    def __init__(self, *args, classroom: Classroom, **kwargs):
        super().__init__(*args, **kwargs)
        self.classroom = classroom

    def clean_names(self):
        names = [" ".join(line.split()) for line in self.cleaned_data["names"].splitlines()]
        names = [name for name in names if name]
        if not names:
            raise forms.ValidationError(gettext("Paste at least one name."))
        if len(names) > MAX_BULK_NAMES:
            raise forms.ValidationError(
                gettext("That is %(count)d names; add at most %(limit)d at a time.")
                % {"count": len(names), "limit": MAX_BULK_NAMES}
            )
        too_long = [name for name in names if len(name) > 100]
        if too_long:
            raise forms.ValidationError(
                gettext("Names can be at most 100 characters: %(names)s") % {"names": ", ".join(too_long)}
            )
        seen: set[str] = set()
        repeated: list[str] = []
        for name in names:
            key = name.casefold()
            if key in seen and name not in repeated:
                repeated.append(name)
            seen.add(key)
        if repeated:
            raise forms.ValidationError(
                gettext("These names appear more than once: %(names)s. Add an initial to tell the students apart.")
                % {"names": ", ".join(repeated)}
            )
        on_roster = {
            name.casefold()
            for name in User.objects.filter(enrollments__classroom=self.classroom).values_list(
                "display_name", flat=True
            )
        }
        already = [name for name in names if name.casefold() in on_roster]
        if already:
            raise forms.ValidationError(
                gettext(
                    "Already in this class: %(names)s. Remove them from the list, "
                    "or add an initial if they are different students."
                )
                % {"names": ", ".join(already)}
            )
        return names
