"""Instruments as data, the client's answers after (or before) each meeting, and alerts
that stay open until someone records what was done."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tillit.feedback import scoring
from tillit.lib.links import OneTimeLink


def localized(texts: dict[str, str], language: str | None = None) -> str:
    """The text in the current language, else English, else any."""
    language = (language or translation.get_language() or "en")[:2]
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


class When(models.TextChoices):
    BEFORE = "before", _("Before the meeting")
    AFTER = "after", _("After the meeting")
    GROUP = "group", _("After a group session")


class Instrument(models.Model):
    """A short questionnaire. Loaded from instruments/*.json; an administrator may edit
    wording and thresholds or add a licensed instrument without code."""

    key = models.SlugField(unique=True)
    version = models.PositiveSmallIntegerField(default=1)
    when = models.CharField(max_length=10, choices=When.choices)
    name = models.JSONField(_("name (per language)"))
    scale_min = models.SmallIntegerField(default=0)
    scale_max = models.SmallIntegerField(default=10)
    label_low = models.JSONField(_("low end label (per language)"), default=dict, blank=True)
    label_high = models.JSONField(_("high end label (per language)"), default=dict, blank=True)
    scoring = models.CharField(
        max_length=10, choices=[("mean", "mean"), ("sum", "sum"), ("max", "max")]
    )
    open_question = models.JSONField(_("open question (per language)"), default=dict, blank=True)
    rules = models.JSONField(_("alert rules"), default=dict, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["when", "key"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.name)

    @property
    def low_label(self) -> str:
        return localized(self.label_low) if self.label_low else ""

    @property
    def high_label(self) -> str:
        return localized(self.label_high) if self.label_high else ""

    @property
    def question(self) -> str:
        return localized(self.open_question) if self.open_question else ""


class Item(models.Model):
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    key = models.SlugField()
    order = models.PositiveSmallIntegerField(default=0)
    text = models.JSONField(_("text (per language)"))
    optional = models.BooleanField(_("may be switched off for a case"), default=False)
    # For a multiple-choice item: [{"value": 0, "label": {"en": ...}}, ...]
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "key"], name="unique_item_key")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self.text)

    def spec(self) -> scoring.ItemSpec:
        return scoring.ItemSpec(self.key, self.optional)

    def options(self) -> list[tuple[int, str]]:
        if self.choices:
            return [(c["value"], localized(c["label"])) for c in self.choices]
        return [
            (n, str(n)) for n in range(self.instrument.scale_min, self.instrument.scale_max + 1)
        ]


class SwitchedOffItem(models.Model):
    """An optional item the client and worker chose not to ask in this case (e.g. the
    substance item, for a client who does not want it asked every time)."""

    case = models.ForeignKey(
        "clients.Case", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "item"], name="unique_switched_off_item")
        ]

    def __str__(self) -> str:
        return f"{self.item} off for case {self.case_id}"


class Channel(models.TextChoices):
    MEETING = "meeting", _("In the meeting, on the worker's device")
    LINK = "link", _("One-time link on the client's phone")
    PAPER = "paper", _("On paper, typed in later")
    PORTAL = "portal", _("In the client portal")


class Response(models.Model):
    """One client's answers to one instrument for one meeting."""

    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "clients.Case", on_delete=models.PROTECT, related_name="feedback_responses", db_index=False
    )
    entry = models.ForeignKey(
        "clients.JournalEntry",
        on_delete=models.PROTECT,
        related_name="feedback_responses",
        db_index=False,
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    given_on = models.DateField(_("date the answers were given"))
    score = models.FloatField()
    open_answer = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["given_on", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "instrument"], name="one_response_per_meeting_and_instrument"
            )
        ]
        indexes = [models.Index(fields=["case", "instrument", "given_on"])]

    def __str__(self) -> str:
        return f"{self.instrument.key} {self.given_on} {self.score}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"


class AlertRule(models.TextChoices):
    BELOW = "below", _("Score under the cut-off")
    DROP = "drop", _("Score dropped since the last meeting")
    NOT_BETTER = "not_better", _("Not better after several meetings")
    AT_LEAST = "at_least", _("The client says our contact made things a lot harder")


class AlertResponse(models.TextChoices):
    TALKED = "talked", _("Talked it through with the client")
    SUPERVISION = "supervision", _("Took it to supervision")
    REFLECTING_TEAM = "reflecting_team", _("Reflecting team")
    NETWORK = "network", _("Brought in the network")
    CHANGED = "changed", _("Changed method or intervention")
    OTHER = "other", _("Other")


class AlertQuerySet(models.QuerySet["Alert"]):
    def open(self) -> AlertQuerySet:
        return self.filter(closed_at__isnull=True)


class Alert(models.Model):
    """A signal that the work may not be working. Closed only with a recorded response."""

    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "clients.Case", on_delete=models.PROTECT, related_name="alerts", db_index=False
    )
    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="alerts")
    rule = models.CharField(max_length=20, choices=AlertRule.choices)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    response_kind = models.CharField(
        _("what was done"), max_length=20, choices=AlertResponse.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["case", "closed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True)
                | ~models.Q(response_kind="") & ~models.Q(note=""),
                name="closed_alert_has_response",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} ({self.opened_at:%Y-%m-%d})"

    @property
    def is_urgent(self) -> bool:
        return self.rule == AlertRule.AT_LEAST


class AnswerLink(OneTimeLink):
    """A one-time link for the client's own phone (tillit.lib.links)."""

    entry = models.ForeignKey("clients.JournalEntry", on_delete=models.PROTECT, related_name="+")
    when = models.CharField(max_length=10, choices=When.choices)

    def __str__(self) -> str:
        return f"link for entry {self.entry_id}"
