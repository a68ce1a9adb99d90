"""Forms for the review screen: rubric feedback and the comment bank."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lessons.models import RUBRIC
from lessons.review_services import COMMENT_MAX_LENGTH


class FeedbackForm(forms.Form):
    """Four rubric criteria (each optional, level 1-4) and a comment."""

    ACTIONS = {"draft", "return", "revision"}

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control", "data-review-comment": ""}),
    )
    add_to_bank = forms.BooleanField(label=_("Also keep this comment in my comment bank"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for key, label, levels in RUBRIC:
            fields[key] = forms.TypedChoiceField(
                label=label,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[(str(n), f"{n}: {text}") for n, text in enumerate(levels, start=1)],
                widget=forms.RadioSelect,
            )
        # Criteria first, then the comment, in the order the rubric is read.
        self.fields = {**fields, **self.fields}
        self.criteria = [self[key] for key, _label, _levels in RUBRIC]

    def scores(self) -> dict[str, int | None]:
        return {key: self.cleaned_data.get(key) for key, _label, _levels in RUBRIC}

    @classmethod
    def initial_for(cls, feedback, response) -> dict:
        initial: dict = {"version": response.version}
        if feedback is not None:
            initial.update({key: getattr(feedback, key) for key, _label, _levels in RUBRIC})
            initial["comment"] = feedback.comment
        return initial


class CommentBankForm(forms.Form):
    text = forms.CharField(
        label=_("New comment for your bank"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the comment you want to keep."))
        return text
