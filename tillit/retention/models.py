"""Retention (gallring): the rules as data, legal holds, and the record of what was removed.

A rule says how long a kind of record is kept. The Swedish and Norwegian defaults are
loaded by migration 0002 (`tillit/retention/defaults.py`); an administrator edits them in
the admin. A case falls under the rule that names its unit, else its country's default.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tillit.lib import ids


class Country(models.TextChoices):
    SWEDEN = ids.SWEDEN, _("Sweden")
    NORWAY = ids.NORWAY, _("Norway")


class RetentionRule(models.Model):
    """How long one kind of record is kept, counted from the last entry in the file."""

    key = models.SlugField(_("key"), max_length=50, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    name_en = models.CharField(_("name in English"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_nb = models.CharField(_("name in Norwegian"), max_length=200)
    active = models.BooleanField(
        _("in force"),
        default=False,
        help_text=_("Only the rules in force are applied: those of the municipality's country."),
    )
    is_default = models.BooleanField(
        _("default for the country"),
        default=False,
        help_text=_("Applies to the cases of every unit that no other rule of the country names."),
    )
    units = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("units whose cases are of this kind"),
        blank=True,
        related_name="+",
    )
    keep_forever = models.BooleanField(_("never removed"), default=False)
    years = models.PositiveSmallIntegerField(
        _("years kept after the last entry"),
        null=True,
        blank=True,
        help_text=_("Empty: nothing of this kind is removed until a time is entered."),
    )
    by_end_of_next_year = models.BooleanField(
        _("removed at the latest by the end of the following calendar year"), default=False
    )
    research_days = models.CharField(
        _("kept for research: persons born on these days of the month"),
        max_length=50,
        blank=True,
        help_text=_("Days separated by commas, e.g. 5,15,25. Empty: no such exception."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["country", "-is_default", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["country"],
                condition=Q(is_default=True),
                name="one_default_rule_per_country",
            ),
            models.CheckConstraint(
                condition=Q(years__isnull=True) | Q(years__gte=1), name="retention_at_least_a_year"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "en")[:2]
        return {"sv": self.name_sv, "nb": self.name_nb}.get(language) or self.name_en

    @property
    def removes(self) -> bool:
        """Whether this rule ever removes anything."""
        return not self.keep_forever and self.years is not None

    def birth_days(self) -> set[int]:
        return {int(day) for day in self.research_days.replace(" ", "").split(",") if day}

    def clean(self) -> None:
        try:
            days = self.birth_days()
        except ValueError:
            days = {0}
        if not all(1 <= day <= 31 for day in days):
            raise ValidationError(
                {"research_days": _("Write days of the month (1 to 31) separated by commas.")}
            )


class LegalHold(models.Model):
    """A case that must not be removed while the hold stands (a court case, a complaint, an
    inquiry by the inspectorate). Its reason names the matter, never the client's affairs."""

    case = models.ForeignKey(
        "clients.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    reason = models.CharField(_("reason"), max_length=300)
    placed_at = models.DateTimeField(default=timezone.now)
    placed_by = models.CharField(_("placed by"), max_length=150)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.CharField(_("lifted by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="legal_hold_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.reason}"


class RetentionRun(models.Model):
    """One run of `manage.py retention` that removed something (a dry run writes nothing)."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    run_by = models.CharField(max_length=150, blank=True)
    today = models.DateField()

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class RetentionRecord(models.Model):
    """One removed case: what went, why, under which rule, when. It outlives the case and
    keeps no name, number or date of birth: only the keys the access log already holds
    (the person and case rows are kept as empty tombstones, see services.py)."""

    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="records")
    case_id = models.BigIntegerField(unique=True)
    person_id = models.BigIntegerField(db_index=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="+")
    # The rule as it was applied (rules are edited in the admin).
    rule_key = models.CharField(max_length=50)
    years = models.PositiveSmallIntegerField()
    opened_on = models.DateField()
    closed_on = models.DateField(null=True)
    last_entry_on = models.DateField()
    due_on = models.DateField()
    removed_at = models.DateTimeField(default=timezone.now)
    # Rows removed per kind of record ("clients.JournalEntry": 40, ...).
    removed = models.JSONField(default=dict)
    person_removed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("retention record")
        verbose_name_plural = _("retention records")
        ordering = ["-removed_at"]

    def __str__(self) -> str:
        return f"{self.case_id} ({self.rule_key}, {self.removed_at:%Y-%m-%d})"
