from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.decisions.models import Decision, Law, Told
from tillit.decisions.services import DRAFT_FIELDS
from tillit.lib.dates import not_in_future
from tillit.lib.once import SubmissionField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LawField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Law) -> str:
        return obj.local_name


class DecisionForm(forms.ModelForm):
    """A draft decision: what, the outcome, the period, the law, the grounds in words, the
    delegation and how to appeal. Grounds and appeal information may wait until signing."""

    # Chosen by its key, which is the same in every database (the data migration's).
    law = LawField(queryset=Law.objects.none(), to_field_name="key", label=_("Law"))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission = SubmissionField()

    class Meta:
        model = Decision
        fields = list(DRAFT_FIELDS)
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "grounds": forms.Textarea(attrs={"rows": 6}),
            "appeal_info": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "grounds": _("Why, in words the client can follow. Needed to sign."),
            "delegation": _("Who decides, under which point of the delegation order."),
            "appeal_info": _("Filled in with the standard text in the client's language."),
        }

    def __init__(self, *args, country: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["law"].queryset = Law.objects.filter(country=country)  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data

    def _post_clean(self) -> None:
        # The model's checks (and its refusal to change a signed decision) are the
        # service's; a form only reads what was typed.
        pass


class CommunicatedForm(forms.Form):
    communicated_on = forms.DateField(
        label=_("Told the client on"), widget=DATE, validators=[not_in_future]
    )
    communicated_how = forms.ChoiceField(label=_("How"), choices=Told.choices)


class DelayForm(forms.Form):
    delay_reason = forms.CharField(
        label=_("Why it is not carried out yet"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class QuarterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, choices=[(q, str(q)) for q in range(1, 5)]
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        year, quarter = data.get("year"), data.get("quarter")
        today = timezone.localdate()
        if year and quarter and (year, quarter) > (today.year, (today.month - 1) // 3 + 1):
            raise forms.ValidationError(_("Choose a quarter that has begun."))
        return data
