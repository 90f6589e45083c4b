from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.clients.models import Case
from tillit.lib.once import SubmissionField
from tillit.plans.models import Doer, Goal, Participant, PlanKind, Review, Step

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    case = forms.ModelChoiceField(label=_("Case"), queryset=Case.objects.none())
    kind = forms.ChoiceField(label=_("Kind of plan"), choices=PlanKind.choices)
    review_on = forms.DateField(label=_("Next review"), required=False, widget=DATE)

    def __init__(self, *args, cases: list[Case], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = Case.objects.filter(pk__in=[c.pk for c in cases])  # type: ignore[attr-defined]
        if len(cases) == 1:
            self.fields["case"].initial = cases[0].pk


class GoalForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Goal
        fields = ["text", "why"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "why": forms.Textarea(attrs={"rows": 2}),
        }


class StepForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Step
        fields = ["text", "doer", "doer_name", "due_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_on": DATE}
        help_texts = {"doer_name": _("Who in the network, or which agency.")}

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("doer") in (Doer.NETWORK, Doer.AGENCY) and not data.get("doer_name"):
            self.add_error("doer_name", _("Say who: a name, or the agency."))
        return data


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "agency", "role", "consent", "consent_on"]
        widgets = {"consent_on": DATE}
        help_texts = {"consent_on": _("Empty means today.")}

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("consent") and not data.get("consent_on"):
            data["consent_on"] = self.instance.consent_on = timezone.localdate()
        return data


class ConsentForm(forms.Form):
    consent = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes"
    )
    consent_on = forms.DateField(required=False)


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["held_on", "happened", "changes", "next_on"]
        widgets = {
            "held_on": DATE,
            "next_on": DATE,
            "happened": forms.Textarea(attrs={"rows": 3}),
            "changes": forms.Textarea(attrs={"rows": 3}),
        }


class ResponseForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Do you accept the plan?"),
        choices=[("yes", _("Yes, I accept the plan")), ("no", _("No, I do not accept it"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("In your own words"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("If you do not accept it, say what you would change."),
    )
    submission = SubmissionField()

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("accepted") is False and not data.get("text", "").strip():
            self.add_error("text", _("Say in your own words what you do not accept."))
        return data
