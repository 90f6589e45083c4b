from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.feedback.models import AlertResponse, Instrument


class AnswersForm(forms.Form):
    """The questions of one or more instruments, as radio buttons a thumb can hit.

    Field names are "<instrument>__<item>", and "<instrument>__open" for the open question.
    """

    def __init__(
        self,
        *args,
        instruments: list[Instrument],
        switched_off: frozenset[str] = frozenset(),
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instruments = instruments
        self.sections = []
        for instrument in instruments:
            names = []
            for item in instrument.items.all():
                if item.key in switched_off:
                    continue
                name = f"{instrument.key}__{item.key}"
                self.fields[name] = forms.TypedChoiceField(
                    label=item.label,
                    choices=item.options(),
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=not item.optional,
                    error_messages={
                        "required": _("Please answer this question."),
                        "invalid_choice": _("Choose one of the answers shown."),
                    },
                )
                names.append(name)
            if instrument.question:
                name = f"{instrument.key}__open"
                self.fields[name] = forms.CharField(
                    label=instrument.question,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
                names.append(name)
            self.sections.append((instrument, [self[name] for name in names]))

    def answers(self) -> dict[str, dict[str, int | None]]:
        result: dict[str, dict[str, int | None]] = {}
        for name, value in self.cleaned_data.items():
            instrument, item = name.split("__", 1)
            if item != "open" and name in self.fields:
                result.setdefault(instrument, {})[item] = value if value != "" else None
        return result

    def open_answers(self) -> dict[str, str]:
        return {
            name.split("__", 1)[0]: value
            for name, value in self.cleaned_data.items()
            if name.endswith("__open") and value
        }


class PaperForm(forms.Form):
    given_on = forms.DateField(
        label=_("Date the client gave the answers"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_given_on(self) -> datetime.date:
        value = self.cleaned_data["given_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class WhenForm(forms.Form):
    when = forms.ChoiceField(
        label=_("Which questions"),
        choices=[
            ("before", _("Life check (start of the meeting)")),
            ("after", _("Relationship check (end of the meeting)")),
            ("group", _("Group check (after a group session)")),
        ],
        widget=forms.RadioSelect,
    )


class AlertCloseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What was done"), choices=AlertResponse.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class UnlockForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
