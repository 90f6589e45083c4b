from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from tillit.bam.models import CONFIDENCE_MAX, CONFIDENCE_MIN, Column, Kind, Moment, Tag
from tillit.bam.services import tag_names
from tillit.clients.forms import DateTimeInput
from tillit.clients.models import Case, EntryKind, JournalEntry

MEETING_KINDS = (EntryKind.MEETING, EntryKind.HOME_VISIT, EntryKind.NETWORK_MEETING)
MEETING_DAYS = 60


class EntryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: JournalEntry) -> str:
        # In the municipality's time and the reader's format, as the journal shows it.
        when = date_format(timezone.localtime(obj.happened_at), "SHORT_DATETIME_FORMAT")
        return f"{obj.get_kind_display()} {when}"


class MomentForm(forms.Form):
    """A moment in the client's words. Tags: the person's earlier ones as checkboxes, and
    new ones typed with commas between them."""

    kind = forms.ChoiceField(
        label=_("Kind of moment"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a weak or a strong moment.")},
    )
    happened_at = forms.DateTimeField(
        label=_("When it happened"),
        widget=DateTimeInput,
        error_messages={"required": _("Say when it happened.")},
    )
    title = forms.CharField(label=_("Title, in the client's words"), max_length=200, required=False)
    antecedent = forms.CharField(
        label=_("Antecedent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Moment._meta.get_field("antecedent").help_text,
    )
    behaviour = forms.CharField(
        label=_("Behaviour"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Moment._meta.get_field("behaviour").help_text,
    )
    consequences = forms.CharField(
        label=_("Consequences"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Moment._meta.get_field("consequences").help_text,
    )
    what_worked = forms.CharField(
        label=_("What worked (strong moment)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    instead_next_time = forms.CharField(
        label=_("What to try instead next time (weak moment)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confidence = forms.IntegerField(
        label=_("Confidence from 0 to 10"),
        required=False,
        min_value=CONFIDENCE_MIN,
        max_value=CONFIDENCE_MAX,
        help_text=Moment._meta.get_field("confidence").help_text,
        error_messages={
            "min_value": _("Confidence is a number from 0 to 10."),
            "max_value": _("Confidence is a number from 0 to 10."),
            "invalid": _("Confidence is a number from 0 to 10."),
        },
    )
    entry = EntryChoice(
        label=_("Meeting where you explored it"),
        queryset=JournalEntry.objects.none(),
        required=False,
        empty_label=_("Not from a meeting in the journal"),
    )
    tags = forms.MultipleChoiceField(
        label=_("The client's earlier tags"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_tags = forms.CharField(
        label=_("New tags"),
        required=False,
        max_length=300,
        help_text=_("The client's words for what led up to it, with commas between."),
    )
    # The revision a moment was read at, when it is edited (tillit/lib/revisions.py).
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case: Case, entry_id: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Recent meetings of the case, and the one the moment already points at.
        since = timezone.now() - datetime.timedelta(days=MEETING_DAYS)
        self.fields["entry"].queryset = (  # type: ignore[attr-defined]
            JournalEntry.objects.filter(case=case, kind__in=MEETING_KINDS)
            .current()
            .filter(Q(happened_at__gte=since) | Q(pk=entry_id))
            .order_by("-happened_at")
        )
        names = Tag.objects.filter(person_id=case.person_id).values_list("name", flat=True)
        self.fields["tags"].choices = [(n, n) for n in names]  # type: ignore[attr-defined]
        if not self.fields["tags"].choices:  # type: ignore[attr-defined]
            del self.fields["tags"]

    def moment_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("revision", None)
        tags = [*data.pop("tags", []), *tag_names(data.pop("new_tags", ""))]
        return {**data, "tags": tags}


class NoteForm(forms.Form):
    column = forms.ChoiceField(choices=Column.choices, widget=forms.HiddenInput)
    text = forms.CharField(
        max_length=300,
        error_messages={
            "required": _("Write the note first."),
            "max_length": _("Keep a note short: at most 300 characters."),
        },
    )


class ClientMomentForm(MomentForm):
    """The client's own quick note of a moment between meetings, on a phone: plain words,
    no meeting to choose; it can be brief and completed together later."""

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, case=case, **kwargs)
        del self.fields["entry"]
        labels = {
            "kind": _("Was it a weak or a strong moment?"),
            "happened_at": _("When did it happen?"),
            "title": _("A few words about it"),
            "antecedent": _("What led up to it? Where, with whom, what you thought and felt"),
            "behaviour": _("What did you do?"),
            "consequences": _("What happened after? What did it give, what did it cost?"),
            "what_worked": _("What did you do that worked? (strong moment)"),
            "instead_next_time": _("What could you do instead next time? (weak moment)"),
            "confidence": _("How sure are you, from 0 to 10, that you can handle it next time?"),
            "tags": _("Your earlier words for what led up to it"),
            "new_tags": _("New words for what led up to it"),
        }
        for name, label in labels.items():
            if name in self.fields:
                self.fields[name].label = label
                self.fields[name].help_text = ""
