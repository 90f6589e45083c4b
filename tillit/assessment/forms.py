from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.assessment.models import AreaAnswer, ClientView

# ASI's composite scores are numbers from 0 to 1, one per domain; no item text.
INSTRUMENT_DOMAINS = [
    ("medical", _("Physical health")),
    ("employment", _("Work and income")),
    ("alcohol", _("Alcohol")),
    ("drugs", _("Drugs")),
    ("legal", _("Legal situation")),
    ("family", _("Family and social relations")),
    ("psychiatric", _("Mental health")),
]
RATINGS = [("", "—")] + [(str(n), str(n)) for n in range(5)]


class AreaForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = AreaAnswer
        fields = [
            "client_account",
            "worker_reflection",
            "agreed",
            "differ",
            "client_rating",
            "worker_rating",
        ]
        widgets = {
            "client_account": forms.Textarea(attrs={"rows": 4}),
            "worker_reflection": forms.Textarea(attrs={"rows": 4}),
            "agreed": forms.Textarea(attrs={"rows": 2}),
            "differ": forms.Textarea(attrs={"rows": 2}),
            "client_rating": forms.Select(choices=RATINGS),
            "worker_rating": forms.Select(choices=RATINGS),
        }

    def __init__(self, data=None, *, instance: AreaAnswer) -> None:
        # Each area on a page has its own prefix: many forms, one page.
        super().__init__(data, instance=instance, prefix=f"a{instance.pk}")
        self.fields["revision"].initial = instance.revision


class ClientAreaForm(AreaForm):
    class Meta(AreaForm.Meta):
        fields = ["client_account", "client_rating"]
        labels = {
            "client_account": _("How I see it, in my own words"),
            "client_rating": _("How much help I need here (0 none, 4 very much)"),
        }


class ClientViewForm(forms.Form):
    view = forms.ChoiceField(label=_("The client's view"), choices=ClientView.choices)
    statement = forms.CharField(
        label=_("In the client's own words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    revision = forms.IntegerField(
        widget=forms.HiddenInput(attrs={"id": "view-revision"}), required=False
    )


class OwnViewForm(ClientViewForm):
    """The same, as the client says it in the portal."""

    view = forms.ChoiceField(
        label=_("Do you agree with the assessment?"),
        choices=[
            (ClientView.AGREES, _("Yes, I agree")),
            (ClientView.DISSENTS, _("No, not with everything")),
        ],
    )
    statement = forms.CharField(
        label=_("What you do not agree with, in your words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InstrumentForm(forms.Form):
    date = forms.DateField(
        label=_("Interview date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    revision = forms.IntegerField(
        widget=forms.HiddenInput(attrs={"id": "instrument-revision"}), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, label in INSTRUMENT_DOMAINS:
            self.fields[key] = forms.DecimalField(
                label=label, min_value=0, max_value=1, decimal_places=3, required=False
            )

    def scores(self) -> dict[str, float]:
        data = self.cleaned_data
        return {
            key: float(data[key]) for key, _label in INSTRUMENT_DOMAINS if data[key] is not None
        }
