from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.lib.once import SubmissionField
from tillit.org.models import Unit
from tillit.survey.models import Question, Questionnaire

FREE_TEXT_LENGTH = 2000
DEFAULT_DAYS = 21  # three weeks, as the national surveys often run


class PeriodForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, choices=[])
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units: list[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + datetime.timedelta(days=DEFAULT_DAYS - 1)


class AnswerForm(forms.Form):
    """The questions of a questionnaire, each optional; at least one must be answered.
    On paper (`paper=True`) the typist also confirms that names are gone from free text."""

    submission = SubmissionField()

    def __init__(self, *args, questionnaire: Questionnaire, paper: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.paper = paper
        self.questions: list[Question] = list(questionnaire.questions.all())
        for question in self.questions:
            self.fields[f"q_{question.key}"] = forms.TypedChoiceField(
                label=question.label,
                choices=question.options(),
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )
        if questionnaire.free_text:
            self.fields["free_text"] = forms.CharField(
                label=questionnaire.free_text_question,
                required=False,
                max_length=FREE_TEXT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        if paper:
            self.fields["names_removed"] = forms.BooleanField(
                label=_(
                    "I have removed every name (of the client, staff or anyone else) from the "
                    "text, and anything else that could tell who wrote it."
                ),
                required=False,
            )

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q_{q.key}"] for q in self.questions]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if not self.answers():
            raise forms.ValidationError(_("Please answer at least one question."))
        if self.paper and cleaned.get("free_text", "").strip() and not cleaned.get("names_removed"):
            self.add_error("names_removed", _("Remove any names from the text, then tick the box."))
        return cleaned

    def answers(self) -> dict[str, int]:
        data = getattr(self, "cleaned_data", {})
        return {
            q.key: data[f"q_{q.key}"]
            for q in self.questions
            if data.get(f"q_{q.key}") not in (None, "")
        }
