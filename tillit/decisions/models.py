"""Decisions (beslut / vedtak) on a case: an intervention applied for or offered, granted,
partly granted or refused, on grounds stated in words and under a law given as data, with
how the client may appeal. A decision is a draft until it is signed; a signed decision is
never changed (the model refuses, and so does the database, migration 0003): it is changed
only by a new decision that replaces it, and the old one stays readable. Interventions
(tillit.outcomes) carry out granted decisions; the execution clock (verkställighet) runs
from the decision until the first of them starts (`carried_out_on`)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tillit.clients.models import Case
from tillit.lib.once import submission_column, submission_unique


class Kind(models.TextChoices):
    """What kind of help: shared by decisions and the interventions that carry them out."""

    OUTPATIENT = "outpatient", _("Outpatient treatment")
    METHOD = "method", _("A method (e.g. BaM, MI, CRA)")
    GROUP = "group", _("Group")
    PLACEMENT = "placement", _("Placement")
    SUPPORT = "support", _("Support in everyday life")
    HOUSING = "housing", _("Housing")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    PARTLY = "partly", _("Partly granted")
    REFUSED = "refused", _("Refused")


# What the execution clock and an open decision period are about: help that was given.
GRANTING = (Outcome.GRANTED, Outcome.PARTLY)


class Origin(models.TextChoices):
    APPLIED = "applied", _("Applied for by the client")
    OFFERED = "offered", _("Offered by the social services")


class Told(models.TextChoices):
    """How the decision was made known to the client."""

    LETTER = "letter", _("Letter")
    MEETING = "meeting", _("In a meeting")
    PHONE = "phone", _("By phone")
    DIGITAL = "digital", _("Digital mail")


class Country(models.TextChoices):
    SWEDEN = "SE", "Sverige"
    NORWAY = "NO", "Norge"


class Law(models.Model):
    """A provision a decision rests on, as data (loaded by migration 0002)."""

    key = models.SlugField(max_length=40, unique=True)
    country = models.CharField(max_length=2, choices=Country.choices)
    reference = models.CharField(_("provision"), max_length=120)
    name = models.CharField(_("name in English"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_nb = models.CharField(_("name in Norwegian Bokmål"), max_length=200, blank=True)
    needs_assessment = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("law")
        verbose_name_plural = _("laws")
        ordering = ["country", "reference"]

    def __str__(self) -> str:
        return self.reference

    @property
    def local_name(self) -> str:
        """The name in the language of the request (or of the letter being written)."""
        language = (get_language() or "en")[:2]
        return {"sv": self.name_sv, "nb": self.name_nb}.get(language) or self.name


class SignedDecisionError(ValidationError):
    """A signed decision is changed only by a new decision that replaces it."""


# What may still be written on a signed decision: that it was told to the client, when
# the help began, and why it has not begun yet (the execution clock).
WRITABLE_WHEN_SIGNED = frozenset(
    {"communicated_on", "communicated_how", "carried_out_on", "delay_reason", "revision"}
)


class DecisionQuerySet(models.QuerySet["Decision"]):
    def signed(self) -> DecisionQuerySet:
        return self.filter(signed_at__isnull=False)

    def in_force(self) -> DecisionQuerySet:
        """Signed and not replaced by a signed decision (a draft that will replace one
        changes nothing until it is signed)."""
        return self.signed().exclude(replaced_by__signed_at__isnull=False)


class Decision(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("kind of help"), max_length=20, choices=Kind.choices)
    origin = models.CharField(
        _("applied for or offered"), max_length=10, choices=Origin.choices, default="applied"
    )
    what = models.CharField(_("what was applied for or offered"), max_length=300)
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    grounds = models.TextField(_("grounds"), blank=True)
    law = models.ForeignKey(Law, verbose_name=_("law"), on_delete=models.PROTECT)
    delegation = models.CharField(_("under delegation"), max_length=200, blank=True)
    appeal_info = models.TextField(_("how to appeal"), blank=True)
    decided_on = models.DateField(_("decided"), default=timezone.localdate)
    # Who drafted it, until it is signed; then who decided (signed) it.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    communicated_on = models.DateField(_("told the client on"), null=True, blank=True)
    communicated_how = models.CharField(_("how"), max_length=20, choices=Told.choices, blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    # The execution clock (verkställighet): when the first intervention carrying the
    # decision out began (set by tillit.outcomes), and why it has not, in words.
    carried_out_on = models.DateField(_("carried out from"), null=True, blank=True)
    delay_reason = models.TextField(_("why it is not carried out yet"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # A draft is saved against the revision it was read at (tillit/lib/revisions.py).
    revision = models.PositiveIntegerField(default=1)
    # The key of the form that made it: a double click makes one draft (tillit/lib/once.py).
    submission = submission_column()

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="decision_ends_after_it_starts",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | ~Q(grounds="") & ~Q(appeal_info=""),
                name="signed_decision_has_grounds_and_appeal",
                violation_error_message=_(
                    "A decision is signed with its grounds and how to appeal."
                ),
            ),
            models.CheckConstraint(
                condition=Q(communicated_on__isnull=True, communicated_how="")
                | Q(communicated_on__isnull=False) & ~Q(communicated_how=""),
                name="decision_told_when_and_how",
            ),
            submission_unique("decision"),
        ]

    def __str__(self) -> str:
        return f"{self.what} ({self.get_outcome_display()}, {self.decided_on})"

    def save(self, *args, **kwargs) -> None:
        changed = self._changed_when_signed()
        if changed:
            raise SignedDecisionError(
                _("A signed decision cannot be changed; make a new decision that replaces it.")
            )
        super().save(*args, **kwargs)
        self._stored = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}

    def delete(self, *args, **kwargs):
        if self.is_signed:
            raise SignedDecisionError(_("A signed decision cannot be removed."))
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored = dict(zip(field_names, values, strict=True))
        return instance

    def _changed_when_signed(self) -> list[str]:
        stored = getattr(self, "_stored", None)
        if not stored or stored.get("signed_at") is None:
            return []
        return [
            field.attname
            for field in self._meta.concrete_fields
            if field.attname in stored
            and field.name not in WRITABLE_WHEN_SIGNED
            and getattr(self, field.attname) != stored[field.attname]
        ]

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def grants(self) -> bool:
        return self.outcome in GRANTING
