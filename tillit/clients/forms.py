from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.clients.models import (
    Case,
    EmergencyAccess,
    EmergencyCategory,
    EntryKind,
    JournalEntry,
    Person,
)
from tillit.lib import ids
from tillit.lib.once import SubmissionField
from tillit.org.models import Role, Unit, User


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        # The field hands over a naive datetime already in the current time zone.
        if hasattr(value, "strftime"):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


class PersonForm(forms.ModelForm):
    """A new client. The identity number is checked here, before the model's length limit,
    so that a person who types too many digits is told just that."""

    id_number = forms.CharField(
        label=_("identity number"),
        max_length=20,
        required=False,
        help_text=_("Swedish: YYYYMMDD-NNNN. Norwegian: 11 digits."),
    )

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "id_country",
            "id_number",
            "no_id_reason",
            "protected_identity",
            "preferred_language",
        ]

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("id_country"):
            try:
                data["id_number"] = ids.normalise(data["id_country"], data.get("id_number", ""))
            except forms.ValidationError as error:
                self.add_error("id_number", error)
        return data

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Nearly every client has a number of the municipality's own country.
        norwegian = settings.LANGUAGE_CODE == "nb"
        self.fields["id_country"].initial = ids.NORWAY if norwegian else ids.SWEDEN
        self.fields["preferred_language"].initial = settings.LANGUAGE_CODE

    def validate_unique(self) -> None:
        """A number already registered is refused with where to ask for access, and
        nothing of the client. A protected identity whose staff the user is not among is
        not there at all: the registration goes ahead as a record of its own (the
        protected client's named staff see it on their client's page), so that no answer
        tells whether a protected person exists."""
        number, country = self.instance.id_number, self.instance.id_country
        if not number:
            return
        existing = Person.objects.filter(id_country=country, id_number=number).filter(
            Q(protected_identity=False) | Q(named_staff=self.user)
        )
        units = sorted(
            set(Case.objects.filter(person__in=existing).values_list("unit__name", flat=True))
        )
        if existing.exists():
            self.add_error(
                "id_number",
                _(
                    "A client with this identity number is already registered (%(units)s). "
                    "Ask a team leader there for access to their records; they are not shown "
                    "here."
                )
                % {"units": ", ".join(units) or "—"},
            )


class CaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = ["unit", "origin", "origin_text"]

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        units = user.unit_ids(Role.WORKER, Role.TEAM_LEADER)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=units)  # type: ignore[attr-defined]


class EntryFields(forms.ModelForm):
    """What a journal entry says, as a new entry, a draft and a correction write it."""

    class Meta:
        model = JournalEntry
        fields = ["happened_at", "kind", "text", "present", "client_words"]
        widgets = {
            "happened_at": DateTimeInput(),
            "text": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["happened_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["kind"].initial = EntryKind.MEETING

    def clean_happened_at(self):
        value = self.cleaned_data["happened_at"]
        if value > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError(_("A journal entry cannot be about the future."))
        return value


class EntryForm(EntryFields):
    sign = forms.BooleanField(label=_("Sign now"), required=False)
    # A draft's revision as read (tillit/lib/revisions.py); a new entry's form key
    # (tillit/lib/once.py).
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission = SubmissionField()

    class Meta(EntryFields.Meta):
        pass


class CorrectionForm(EntryFields):
    reason = forms.CharField(
        label=_("Why is the entry corrected?"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    class Meta(EntryFields.Meta):
        pass


class AssignForm(forms.Form):
    worker = forms.ModelChoiceField(label=_("Contact person"), queryset=User.objects.none())

    def __init__(self, *args, unit_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__unit_id=unit_id, memberships__role=Role.WORKER, is_active=True
        )


class EmergencyAccessForm(forms.Form):
    id_country = forms.ChoiceField(
        label=_("Identity number type"),
        choices=[("se", _("Swedish")), ("no", _("Norwegian"))],
        required=False,
    )
    id_number = forms.CharField(label=_("Identity number"), max_length=20, required=False)
    person = forms.IntegerField(widget=forms.HiddenInput, required=False)
    category = forms.ChoiceField(
        label=_("Kind of urgency"),
        choices=[("", "—"), *EmergencyCategory.choices],
    )
    reason = forms.CharField(
        label=_("Reason"),
        min_length=EmergencyAccess.REASON_MIN_LENGTH,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why you need to see this client's records now, and what you will do. A team "
            "leader, not you, reviews it. You may read the records and write one signed journal "
            "note; nothing else."
        ),
    )


class InquiryForm(forms.Form):
    assess = forms.TypedChoiceField(
        label=_("Open an assessment?"),
        choices=[("yes", _("Yes, open an assessment")), ("no", _("No assessment"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why, in words: recorded either way."),
    )


class HandoverForm(forms.Form):
    to_unit = forms.TypedChoiceField(label=_("To unit"), coerce=int)
    note = forms.CharField(
        label=_("Note to the receiving unit"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What they need to know to take the case on."),
    )

    def __init__(self, *args, case: Case, units: list[Unit] | None = None, **kwargs) -> None:
        """`units`: every unit, read once for a page that shows a form for each case."""
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units or Unit.objects.all() if u.pk != case.unit_id}
        self.fields["to_unit"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((pk, unit.name) for pk, unit in self.units.items()),
        ]

    def clean_to_unit(self) -> Unit:
        return self.units[self.cleaned_data["to_unit"]]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the unit cannot take the case"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
