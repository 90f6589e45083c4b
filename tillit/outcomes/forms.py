from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.outcomes.models import Intervention


class InterventionForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = ["kind", "name", "started_on"]
        widgets = {"started_on": forms.DateInput(attrs={"type": "date"})}

    def clean_started_on(self):
        value = self.cleaned_data["started_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("An intervention cannot start in the future."))
        return value


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended"), widget=forms.DateInput(attrs={"type": "date"}))
