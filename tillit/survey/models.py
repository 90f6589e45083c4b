"""The annual client survey (brukarundersökning / brukerundersøkelse): questions as data,
a survey period per unit, and anonymous answers.

Anonymity is built into the tables, not promised by the views: an answer (`Response`,
`Answer`) has no person, case, user, address or time. Its period is the finest time it
carries. Its key is a random UUID, so no key grows with the order answers came in, and
every read orders by that random key or by content, never by insertion. On SQLite the
two tables are stored WITHOUT ROWID (migration 0002), so not even the hidden row number
keeps that order (tested in tests/test_anonymity.py)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tillit.lib.once import submission_column, submission_unique

# The answer values: 1-4 with 4 the most positive; the top two steps count as positive.
STEPS = (4, 3, 2, 1)
POSITIVE = (3, 4)
DONT_KNOW = 8
NO_HELP = 9
VALUES = (*STEPS, DONT_KNOW, NO_HELP)


def localized(texts: dict, language: str | None = None) -> Any:
    """The text (or list) in the current language, else English, else any."""
    language = (language or translation.get_language() or "en")[:2]
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


class Questionnaire(models.Model):
    """A questionnaire loaded from questionnaires/*.json: its questions, the four-step
    scales they use (per language, the most positive first), and the optional free text."""

    key = models.SlugField(unique=True)
    version = models.PositiveSmallIntegerField(default=1)
    name = models.JSONField(_("name (per language)"))
    intro = models.JSONField(_("introduction (per language)"), default=dict, blank=True)
    scales = models.JSONField(_("answer scales (per language)"))
    dont_know = models.JSONField(_("'don't know' (per language)"))
    no_help = models.JSONField(_("'no help received' (per language)"))
    free_text = models.JSONField(_("free-text question (per language)"), default=dict, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("survey questionnaire")
        verbose_name_plural = _("survey questionnaires")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.name)

    @property
    def introduction(self) -> str:
        return localized(self.intro) if self.intro else ""

    @property
    def free_text_question(self) -> str:
        return localized(self.free_text) if self.free_text else ""


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions", db_index=False
    )
    key = models.SlugField()
    order = models.PositiveSmallIntegerField(default=0)
    text = models.JSONField(_("text (per language)"))
    scale = models.CharField(max_length=30)
    # Whether "I have not received any help" is offered (questions about the help itself).
    no_help = models.BooleanField(default=False)

    class Meta:
        ordering = ["questionnaire", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "key"], name="survey_unique_question_key"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self.text)

    def options(self) -> list[tuple[int, str]]:
        """The choices in the current language: the four steps, most positive first, then
        "don't know" and, where it applies, "no help received"."""
        q = self.questionnaire
        steps = localized(q.scales[self.scale])
        options = [*zip(STEPS, steps, strict=True), (DONT_KNOW, localized(q.dont_know))]
        if self.no_help:
            options.append((NO_HELP, localized(q.no_help)))
        return options


class PeriodQuerySet(models.QuerySet["Period"]):
    def running(self, day: datetime.date | None = None) -> PeriodQuerySet:
        day = day or timezone.localdate()
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class Period(models.Model):
    """A unit's survey period, opened by its team leader or a manager. Clients answer on
    their phones through `token` (the unit link and its QR code) while it runs, or on paper
    forms marked with `code`, which the unit's staff type in."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    code = models.CharField(_("unit code"), max_length=12, unique=True)
    token = models.CharField(max_length=64, unique=True, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey period")
        verbose_name_plural = _("survey periods")
        ordering = ["-starts_on", "unit__name"]
        indexes = [models.Index(fields=["unit", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="survey_period_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.starts_on} to {self.ends_on}"

    @property
    def year(self) -> int:
        return self.starts_on.year

    def is_running(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.starts_on <= day <= self.ends_on


class Channel(models.TextChoices):
    PHONE = "phone", _("On a phone, through the unit link")
    PAPER = "paper", _("On paper, typed in by staff")


class Response(models.Model):
    """One client's answers in one period. Nothing on it points to a person, a case, a
    member of staff or a time: no date, no timestamp, and a random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="responses")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    free_text = models.TextField(_("free text"), blank=True)
    # A random key drawn when the form is shown, so a form sent twice is one answer
    # (tillit.lib.once); it says nothing of when.
    submission = submission_column()

    class Meta:
        ordering = ["id"]  # random: never the order the answers came in
        constraints = [submission_unique("survey_response")]

    def __str__(self) -> str:
        return f"answer in period {self.period_id}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="survey_one_answer_per_question"
            ),
            models.CheckConstraint(condition=Q(value__in=VALUES), name="survey_answer_value"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}={self.value}"


class PaperTally(models.Model):
    """How many paper forms a member of staff typed in for a period: accountability for
    the typing, never which answers they were."""

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="tallies", db_index=False
    )
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    forms = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "staff"], name="survey_one_tally_per_staff")
        ]

    def __str__(self) -> str:
        return f"{self.staff_id}: {self.forms} in period {self.period_id}"
