from __future__ import annotations

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.clients.models import Case
from tillit.lib.once import SubmissionField
from tillit.org.models import Method, Unit
from tillit.outcomes import services
from tillit.outcomes.models import AgeBand, Intervention, Provider, Sex, Visit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProviderChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Provider) -> str:
        if obj.cost_amount is None:
            return obj.name
        return f"{obj.name} ({obj.cost_amount:.0f} {obj.get_cost_per_display()})"


class MethodChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Method) -> str:
        return obj.display_name


class InterventionForm(forms.ModelForm):
    """A new intervention on one case: the decisions offered are that case's own that
    may be carried out; the rules that span rows are the service's (`problems`)."""

    method = MethodChoice(
        label=_("Method"),
        queryset=Method.objects.all(),
        to_field_name="key",
        required=False,
        help_text=_("For an intervention that is a method, such as BaM or MI."),
    )
    provider = ProviderChoice(
        label=_("Provider"),
        queryset=Provider.objects.filter(active=True),
        required=False,
        help_text=_("For a purchased intervention: from the register of providers."),
    )
    submission = SubmissionField()

    class Meta:
        model = Intervention
        fields = [
            "kind",
            "name",
            "started_on",
            "decision",
            "method",
            "placement_form",
            "purchased",
            "provider",
            "cost_amount",
            "cost_per",
        ]
        widgets = {"started_on": DATE}
        labels = {"purchased": _("Purchased from a provider (not our own staff)")}
        help_texts = {
            "placement_form": _("For a placement only."),
            "cost_amount": _("Empty for a purchased intervention: the provider's price."),
        }

    def __init__(self, *args, case: Case, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"id_{case.pk}_%s")
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["decision"].queryset = services.decisions_to_carry_out(case)  # type: ignore[attr-defined]
        self.fields["decision"].help_text = _(
            "The signed decision this intervention carries out, if there is one."
        )

    def clean_started_on(self):
        value = self.cleaned_data["started_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("An intervention cannot start in the future."))
        return value

    def clean(self) -> dict:
        data = super().clean() or {}
        if "kind" not in data:
            return data
        found = services.problems(
            case=self.case,
            kind=data["kind"],
            decision=data.get("decision"),
            purchased=bool(data.get("purchased")),
            provider=data.get("provider"),
            cost_amount=data.get("cost_amount"),
            cost_per=data.get("cost_per") or "",
            placement_form=data.get("placement_form") or "",
            method=data.get("method"),
        )
        for name, message in found.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data

    def _post_clean(self) -> None:
        # The model's own checks would repeat the service's in other words: the service
        # and the database hold the rules.
        pass


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended"), widget=DATE)


# -- services without needs assessment ----------------------------------------------------


class ServiceForm(forms.Form):
    """A new service of one of the units the team leader leads."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    name = forms.CharField(
        label=_("Name of the service"),
        max_length=120,
        help_text=_("As visitors know it, e.g. Open drop-in or Walk-in counselling."),
    )

    def __init__(self, *args, units: QuerySet[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.queryset = units  # type: ignore[attr-defined]
        if len(units) == 1:
            field.initial = units[0].pk
            field.widget = forms.HiddenInput()


class VisitForm(forms.Form):
    """One visit, quick to fill in on a phone: the day is today unless changed; the rest
    is optional and says "not stated" until the visitor says otherwise."""

    day = forms.DateField(label=_("Day"), widget=DATE, initial=timezone.localdate)
    persons = forms.IntegerField(
        label=_("How many came"),
        min_value=1,
        max_value=500,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("More than 1 for a group that came together."),
    )
    sex = forms.ChoiceField(
        label=_("Sex, if the visitor says"),
        choices=Sex.choices,
        required=False,
    )
    age_band = forms.ChoiceField(
        label=_("Age, if the visitor says"), choices=AgeBand.choices, required=False
    )
    submission = SubmissionField()

    def clean_day(self) -> datetime.date:
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be recorded for a day to come."))
        return day


class VisitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Visit) -> str:
        parts = [obj.service.name]
        if obj.sex:
            parts.append(str(obj.get_sex_display()))
        if obj.age_band:
            parts.append(str(obj.get_age_band_display()))
        if not (obj.sex or obj.age_band):
            parts.append(str(_("sex and age not stated")))
        return " · ".join(parts)


class LinkForm(forms.Form):
    """Which visit was the client's, and their consent to linking it to their record."""

    visit = VisitChoice(label=_("Visit"), queryset=Visit.objects.none())
    consent = forms.BooleanField(
        label=_("The client consents to this visit being linked to their record"),
        required=False,
    )
    consent_on = forms.DateField(
        label=_("Consent given on"), widget=DATE, initial=timezone.localdate
    )

    def __init__(self, *args, visits: QuerySet[Visit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = visits  # type: ignore[attr-defined]

    def clean_consent(self) -> bool:
        if not self.cleaned_data.get("consent"):
            raise forms.ValidationError(
                _("Only with the client's consent can a visit be linked to them.")
            )
        return True

    def clean_consent_on(self) -> datetime.date:
        day = self.cleaned_data["consent_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Consent cannot be given on a day to come."))
        return day
