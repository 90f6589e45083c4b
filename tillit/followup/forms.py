from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from tillit.clients.models import JournalEntry, Origin
from tillit.feedback.models import Instrument
from tillit.followup.models import (
    Change,
    Channel,
    Housing,
    Occupation,
    Reason,
    Substance,
    TryHow,
)
from tillit.followup.services import DISCARD, SIGN, default_dates
from tillit.lib.dates import not_in_future

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOT_ASKED = [("", _("Not asked or not said"))]


class CloseForm(forms.Form):
    """Why the case closes, the client's own summary, each of the closing user's drafts
    (signed or discarded, chosen one by one), and when to follow up."""

    reason = forms.ChoiceField(
        label=_("Why the case closes"), choices=Reason.choices, widget=forms.RadioSelect
    )
    reason_text = forms.CharField(
        label=_("The reason in a few words"),
        required=False,
        max_length=300,
        help_text=_("Needed if the reason is another one."),
    )
    client_words = forms.CharField(
        label=_("The client's own summary, in their words"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Where the client gave one: what changed, what helped, what did not."),
    )
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE, validators=[not_in_future])
    follow_up = forms.BooleanField(
        label=_("Follow up with the client after closing"), required=False
    )
    first_on = forms.DateField(label=_("First follow-up"), required=False, widget=DATE)
    second_on = forms.DateField(label=_("Second follow-up"), required=False, widget=DATE)

    def __init__(self, *args, drafts: list[JournalEntry], **kwargs) -> None:
        today = timezone.localdate()
        first, second = default_dates(today)
        kwargs.setdefault(
            "initial",
            {"closed_on": today, "follow_up": True, "first_on": first, "second_on": second},
        )
        super().__init__(*args, **kwargs)
        self.drafts = drafts
        for draft in drafts:
            self.fields[f"draft_{draft.pk}"] = forms.ChoiceField(
                label=_("Your draft of %(day)s: “%(start)s”")
                % {
                    "day": date_format(timezone.localtime(draft.happened_at), "SHORT_DATE_FORMAT"),
                    "start": Truncator(draft.text).chars(80),
                },
                choices=[(SIGN, _("Sign it")), (DISCARD, _("Discard it"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose whether this draft is signed or discarded.")},
            )

    def clean(self) -> dict:
        data = super().clean() or {}
        reason = data.get("reason")
        if reason == Reason.OTHER and not data.get("reason_text", "").strip():
            self.add_error("reason_text", _("Say in a few words why the case closes."))
        if not data.get("follow_up"):
            return data
        if reason == Reason.DIED:
            self.add_error("follow_up", _("No follow-up is planned with a client who has died."))
        dates = [d for d in (data.get("first_on"), data.get("second_on")) if d]
        if not dates:
            self.add_error("first_on", _("Give the day of at least one follow-up."))
        closed_on = data.get("closed_on")
        for name in ("first_on", "second_on"):
            day = data.get(name)
            if day and closed_on and day <= closed_on:
                self.add_error(name, _("A follow-up is planned after the day the case closes."))
        return data

    def draft_choices(self) -> dict[int, str]:
        return {d.pk: self.cleaned_data[f"draft_{d.pk}"] for d in self.drafts}

    def follow_up_on(self) -> list[datetime.date]:
        if not self.cleaned_data.get("follow_up"):
            return []
        return [d for d in (self.cleaned_data["first_on"], self.cleaned_data["second_on"]) if d]

    def draft_fields(self) -> list[forms.BoundField]:
        return [self[f"draft_{d.pk}"] for d in self.drafts]

    def other_fields(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if not f.name.startswith("draft_")]


class ReopenForm(forms.Form):
    origin = forms.ChoiceField(label=_("How the case starts again"), choices=Origin.choices)
    origin_text = forms.CharField(
        label=_("What the application or report said"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class _Answers(forms.Form):
    """How life is now (the life check's areas) and the rest of what a follow-up asks.
    The life areas are the feedback instrument's, as data."""

    # The client's phone shows radio buttons a thumb can hit; the worker's form, selects.
    life_widget: type[forms.Widget] = forms.Select
    first: tuple[str, ...] = ()  # the fields before the life areas

    def __init__(self, *args, life: Instrument | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.life = life
        self.life_names: list[str] = []
        items = list(life.items.all()) if life else []
        for item in items:
            name = f"life_{item.key}"
            choices: list[tuple[str, object]] = [(str(v), label) for v, label in item.options()]
            self.fields[name] = forms.TypedChoiceField(
                label=item.label,
                choices=choices
                if self.life_widget is forms.RadioSelect
                else [*NOT_ASKED, *choices],
                coerce=int,
                empty_value=None,
                required=False,
                widget=self.life_widget,
            )
            self.life_names.append(name)
        self.order_fields([*self.first, *self.life_names])

    def life_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.life_names]

    def other_fields(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if f.name not in self.life_names]

    def answers(self) -> dict:
        data = self.cleaned_data
        sought = data.get("sought_help", "")
        return {
            "life": {name.removeprefix("life_"): data.get(name) for name in self.life_names},
            "change": data["change"],
            "substance": data.get("substance", ""),
            "housing": data.get("housing", ""),
            "occupation": data.get("occupation", ""),
            "sought_help": {"yes": True, "no": False}.get(sought),
            "client_words": data.get("client_words", ""),
        }


class FollowUpForm(_Answers):
    """The worker's record of a follow-up conversation."""

    first = ("held_on", "channel")

    held_on = forms.DateField(label=_("Held on"), widget=DATE, validators=[not_in_future])
    channel = forms.ChoiceField(
        label=_("How"), choices=[c for c in Channel.choices if c[0] != Channel.LINK]
    )
    change = forms.ChoiceField(
        label=_("Change since the case closed"),
        choices=Change.choices,
        widget=forms.RadioSelect,
        help_text=_("As the client describes it: has the improvement lasted?"),
    )
    substance = forms.ChoiceField(
        label=_("Alcohol, drugs or the habit they wanted to change"),
        choices=NOT_ASKED + Substance.choices,
        required=False,
    )
    housing = forms.ChoiceField(
        label=_("Housing"), choices=NOT_ASKED + Housing.choices, required=False
    )
    occupation = forms.ChoiceField(
        label=_("Work or studies"), choices=NOT_ASKED + Occupation.choices, required=False
    )
    sought_help = forms.ChoiceField(
        label=_("Has sought help again"),
        choices=[*NOT_ASKED, ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )
    client_words = forms.CharField(
        label=_("In the client's own words"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ClientFollowUpForm(_Answers):
    """The short follow-up on the client's phone, in plain words; only the change is
    asked for, the rest may be left."""

    life_widget = forms.RadioSelect
    change = forms.ChoiceField(
        label=_("Since our contact ended, how have things gone?"),
        choices=[
            (Change.LASTING, _("Better, and it has stayed better")),
            (Change.TEMPORARY, _("Better for a while, but not now")),
            (Change.NONE, _("About the same")),
            (Change.WORSE, _("Worse")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please answer this question.")},
    )
    substance = forms.ChoiceField(
        label=_(
            "Your use of alcohol, drugs or the habit you wanted to change, compared with "
            "when our contact ended"
        ),
        choices=[
            (Substance.NONE, _("I do not use at all now")),
            (Substance.LESS, _("Less")),
            (Substance.SAME, _("About the same")),
            (Substance.MORE, _("More")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    housing = forms.ChoiceField(
        label=_("Where do you live now?"),
        choices=[
            (Housing.OWN, _("In my own or rented home")),
            (Housing.FAMILY, _("With family or friends")),
            (Housing.SUPPORTED, _("In supported housing")),
            (Housing.INSTITUTION, _("At a treatment home or institution")),
            (Housing.NONE, _("I have no home of my own")),
            (Housing.OTHER, _("Somewhere else")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    occupation = forms.ChoiceField(
        label=_("Do you work or study?"),
        choices=[
            (Occupation.WORK, _("I work")),
            (Occupation.STUDIES, _("I study")),
            (Occupation.ACTIVITY, _("Work practice or another daily activity")),
            (Occupation.NONE, _("Neither")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    sought_help = forms.ChoiceField(
        label=_("Have you sought help again for the same thing?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        required=False,
    )
    client_words = forms.CharField(
        label=_("Is there anything you want to tell us? In your own words."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AttemptForm(forms.Form):
    tried_on = forms.DateField(label=_("Tried on"), widget=DATE, validators=[not_in_future])
    how = forms.ChoiceField(
        label=_("How"), choices=[c for c in TryHow.choices if c[0] != TryHow.LINK]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    give_up = forms.BooleanField(
        label=_("No more tries: record the follow-up as not reached"), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"tried_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
