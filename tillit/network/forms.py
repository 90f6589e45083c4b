from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.lib.dates import not_in_future
from tillit.network.models import (
    Circle,
    Decision,
    FamilyConference,
    Meeting,
    NetworkMember,
    PlanStep,
    Purpose,
)
from tillit.org.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberForm(forms.ModelForm):
    # The revision the member was read at (tillit/lib/revisions.py).
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = NetworkMember
        fields = ["name", "relation", "quality", "client_words", "reach"]
        widgets = {"client_words": forms.Textarea(attrs={"rows": 2})}


class MemberAddForm(MemberForm):
    revision = None  # type: ignore[assignment]
    circle = forms.TypedChoiceField(
        label=_("Circle"), choices=Circle.choices, coerce=int, initial=Circle.INNER
    )

    class Meta(MemberForm.Meta):
        fields = ["name", "relation", "circle", "quality", "client_words", "reach"]


class MoveForm(forms.Form):
    circle = forms.TypedChoiceField(label=_("Circle"), choices=Circle.choices, coerce=int)


class EndForm(forms.Form):
    reason = forms.CharField(label=_("Why is this person taken off the map?"), max_length=200)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    given_on = forms.DateField(label=_("Given on"), widget=DATE)


class DayForm(forms.Form):
    on = forms.DateField(label=_("Show the map as it was on"), widget=DATE, required=False)


class ConferenceForm(forms.ModelForm):
    class Meta:
        model = FamilyConference
        fields = ["questions", "agreement"]
        widgets = {
            "questions": forms.Textarea(attrs={"rows": 3}),
            "agreement": forms.Textarea(attrs={"rows": 2}),
        }


class CoordinatorForm(forms.Form):
    name = forms.CharField(label=_("Independent coordinator"), max_length=120, required=False)
    staff = forms.ModelChoiceField(
        label=_("or one of the staff"),
        queryset=User.objects.none(),
        required=False,
    )
    on = forms.DateField(label=_("Appointed on"), widget=DATE)

    def __init__(self, *args, staff_queryset=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_queryset  # type: ignore[attr-defined]


class PrepareForm(forms.Form):
    professionals = forms.CharField(
        label=_("Professionals who will inform"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class InviteForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Invite from the network"), queryset=NetworkMember.objects.none()
    )

    def __init__(self, *args, members=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class HoldForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE, validators=[not_in_future])
    information = forms.CharField(
        label=_("Information part"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    private_time = forms.CharField(
        label=_("The family's private time"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    plan_summary = forms.CharField(
        label=_("The family's plan as presented"), widget=forms.Textarea(attrs={"rows": 3})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StepForm(forms.ModelForm):
    class Meta:
        model = PlanStep
        fields = ["what", "owner_kind", "owner_member", "owner_name", "by_when"]
        widgets = {"what": forms.Textarea(attrs={"rows": 2}), "by_when": DATE}

    def __init__(self, *args, members=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_member"].queryset = members  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[c for c in Decision.choices if c[0]], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason, if not accepted"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class OutcomeForm(forms.Form):
    step = forms.ModelChoiceField(label=_("Action"), queryset=PlanStep.objects.none())
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))
    done_on = forms.DateField(label=_("Done on"), widget=DATE, required=False)

    def __init__(self, *args, steps=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = steps  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE, validators=[not_in_future])
    notes = forms.CharField(label=_("How the plan goes"), widget=forms.Textarea(attrs={"rows": 3}))


class MeetingForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        label=_("Network members taking part"),
        queryset=NetworkMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only people the client has consented to invite can take part."),
    )
    journal = forms.BooleanField(
        label=_("Also write a draft journal entry"), required=False, initial=True
    )

    class Meta:
        model = Meeting
        fields = [
            "held_on",
            "kind",
            "client_present",
            "staff",
            "agencies",
            "purpose",
            "client_words",
            "reflections",
            "response",
        ]
        widgets = {
            "held_on": DATE,
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "client_words": forms.Textarea(attrs={"rows": 3}),
            "reflections": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, members=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members  # type: ignore[attr-defined]
