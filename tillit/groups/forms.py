from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.clients.models import Person
from tillit.groups.models import Agreement, Group
from tillit.lib.dates import not_in_future
from tillit.org.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["unit", "name", "kind", "started_on"]
        widgets = {"started_on": DATE}

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Client"), queryset=Person.objects.none())
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE)

    def __init__(self, *args, persons=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE, validators=[not_in_future])
    theme = forms.CharField(label=_("Theme"), max_length=200, required=False)
    present = forms.MultipleChoiceField(
        label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(m.pk), m.person.full_name) for m in members]  # type: ignore[attr-defined]


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["text", "written_by"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
