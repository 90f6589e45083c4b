from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.extracts.codebook import GROUPS
from tillit.lib.once import SubmissionField
from tillit.org.models import Unit


class DateInput(forms.DateInput):
    input_type = "date"


class OrderForm(forms.Form):
    study = forms.CharField(label=_("Study"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the study asks and why it needs these records: the leaders who approve "
            "it read this."
        ),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each with the units below it."),
    )
    period_from = forms.DateField(label=_("From"), widget=DateInput)
    period_to = forms.DateField(label=_("To"), widget=DateInput)
    groups = forms.MultipleChoiceField(
        label=_("Variables"),
        choices=[(g.key, g.label) for g in GROUPS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cases, their units and codes are always in it; see the codebook."),
    )
    submission = SubmissionField()

    def __init__(self, *args, units: set[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(pk__in=units).order_by("name")  # type: ignore[attr-defined]

    def clean_purpose(self) -> str:
        purpose = self.cleaned_data["purpose"].strip()
        if len(purpose) < 20:
            raise forms.ValidationError(
                _("Say in a sentence or two what the study is for (at least 20 characters).")
            )
        return purpose

    def clean_groups(self) -> list[str]:
        chosen = set(self.cleaned_data["groups"])
        return [g.key for g in GROUPS if g.key in chosen]

    def clean(self) -> dict:
        data = super().clean() or {}
        first, last = data.get("period_from"), data.get("period_to")
        if first and last and last < first:
            self.add_error("period_to", _("The end of the period cannot be before its start."))
        if last and last > timezone.localdate():
            self.add_error("period_to", _("The period cannot end in the future."))
        return data


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the extract is refused"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the extract is refused."))
        return reason
