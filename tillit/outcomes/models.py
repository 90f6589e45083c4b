"""Interventions (insatser / tiltak) on a case: what was done for the client, from when to
when, under which decision, by whom (the municipality's own staff or a provider it buys
from) and at what cost. The feedback chart marks where each started, so a change in the
client's answers can be read against what changed in the help.

The kind of an intervention is the decision's (`tillit.decisions.models.Kind`): an
intervention carries out what was decided. A placement has its form (treatment home,
family home, supported housing, compulsory care), an intervention of the kind "a method"
names the method from the methods register (`org.Method`), so the leaders' methods page
counts practice from real interventions. The rules about one row are in the database."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.clients.models import Case
from tillit.decisions.models import Decision, Kind
from tillit.lib.once import submission_column, submission_unique
from tillit.org.models import Method

__all__ = [
    "AgeBand",
    "CostPer",
    "Intervention",
    "Kind",
    "LowThresholdService",
    "PlacementForm",
    "Provider",
    "ProviderKind",
    "Sex",
    "Visit",
    "VisitLink",
]


class CostPer(models.TextChoices):
    DAY = "day", _("per day")
    MONTH = "month", _("per month")


class PlacementForm(models.TextChoices):
    """The form of a placement, as the national statistics tell them apart."""

    TREATMENT_HOME = "hvb", _("Treatment home (HVB)")
    FAMILY_HOME = "family_home", _("Family home")
    SUPPORTED_HOUSING = "supported_housing", _("Supported housing")
    COMPULSORY = "lvm", _("Compulsory care (LVM / tvang)")


class ProviderKind(models.TextChoices):
    TREATMENT_HOME = "hvb", _("Treatment home (HVB)")
    FAMILY_HOME = "family_home", _("Family home")
    SUPPORTED_HOUSING = "supported_housing", _("Supported housing")
    COMPULSORY = "lvm", _("Compulsory care home (LVM / tvang)")
    OUTPATIENT = "outpatient", _("Outpatient treatment")
    OTHER = "other", _("Other")


def _cost_is_whole(prefix: str = "cost") -> Q:
    """An amount and what it is per, both or neither; never below zero."""
    return Q(**{f"{prefix}_amount__isnull": True, f"{prefix}_per": ""}) | Q(
        **{f"{prefix}_amount__gte": 0}
    ) & ~Q(**{f"{prefix}_per": ""})


class Provider(models.Model):
    """A provider the municipality buys interventions from (a treatment home, a family
    home, an outpatient clinic), with its price as data. Staff data, kept by
    administrators in the admin: no client is named here."""

    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    kind = models.CharField(_("kind of provider"), max_length=20, choices=ProviderKind.choices)
    cost_amount = models.DecimalField(
        _("cost"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    cost_per = models.CharField(_("per"), max_length=10, choices=CostPer.choices, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=_cost_is_whole(), name="provider_cost_is_whole")
        ]

    def __str__(self) -> str:
        return self.name


class Intervention(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="interventions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("what"), max_length=200)
    started_on = models.DateField(_("started"), default=timezone.localdate)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision carried out"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interventions",
    )
    purchased = models.BooleanField(_("purchased"), default=False)
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interventions",
    )
    cost_amount = models.DecimalField(
        _("cost"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    cost_per = models.CharField(_("per"), max_length=10, choices=CostPer.choices, blank=True)
    placement_form = models.CharField(
        _("form of placement"), max_length=20, choices=PlacementForm.choices, blank=True
    )
    method = models.ForeignKey(
        Method,
        verbose_name=_("method"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interventions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submission = submission_column()

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="intervention_ends_after_it_starts",
            ),
            # Purchased from a provider in the register, or given by the municipality's
            # own staff (no provider).
            models.CheckConstraint(
                condition=Q(purchased=True, provider__isnull=False)
                | Q(purchased=False, provider__isnull=True),
                name="intervention_purchased_from_a_provider",
            ),
            # A placement has its form; nothing else has one.
            models.CheckConstraint(
                condition=Q(kind=Kind.PLACEMENT) & ~Q(placement_form="")
                | ~Q(kind=Kind.PLACEMENT) & Q(placement_form=""),
                name="intervention_placement_has_its_form",
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.METHOD) | Q(method__isnull=False),
                name="intervention_method_is_named",
            ),
            models.CheckConstraint(condition=_cost_is_whole(), name="intervention_cost_is_whole"),
            submission_unique("intervention"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def compulsory(self) -> bool:
        return self.placement_form == PlacementForm.COMPULSORY


# -- services without needs assessment ----------------------------------------------------
# The 2025 Swedish socialtjänstlag's insatser utan individuell behovsprövning (and the
# Norwegian low-threshold services given without a vedtak): an open drop-in, walk-in
# counselling, a low-threshold group. A visit is counted, not a case: no identity, the day
# only, and what the visitor chose to say. A visitor who is (or becomes) a client may have
# a visit linked to their record, with their consent (`VisitLink`).


class LowThresholdService(models.Model):
    """Help a unit offers without an individual needs assessment. Staff data, kept by the
    unit's team leaders; no client is named here."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="low_threshold_services",
    )
    name = models.CharField(_("name"), max_length=120)
    active = models.BooleanField(_("offered now"), default=True)

    class Meta:
        verbose_name = _("service without needs assessment")
        verbose_name_plural = _("services without needs assessment")
        ordering = ["unit__name", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="low_threshold_service_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="low_threshold_service_named"),
        ]

    def __str__(self) -> str:
        return self.name


class Sex(models.TextChoices):
    NOT_STATED = "", _("Not stated")
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other")


class AgeBand(models.TextChoices):
    NOT_STATED = "", _("Not stated")
    UNDER_18 = "0-17", _("Under 18")
    FROM_18 = "18-24", _("18-24")
    FROM_25 = "25-34", _("25-34")
    FROM_35 = "35-44", _("35-44")
    FROM_45 = "45-54", _("45-54")
    FROM_55 = "55-64", _("55-64")
    FROM_65 = "65-", _("65 or older")


class Visit(models.Model):
    """One visit to a service without needs assessment: the service, the day (never the
    time), how many came together, and the visitor's sex and age band if they said them.
    Nothing else: no name, no case."""

    service = models.ForeignKey(
        LowThresholdService,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,  # visit_service_day leads with it
    )
    day = models.DateField(_("day"), default=timezone.localdate)
    persons = models.PositiveSmallIntegerField(
        _("how many came"),
        default=1,
        help_text=_("More than 1 for a group that came together."),
    )
    sex = models.CharField(_("sex"), max_length=5, choices=Sex.choices, blank=True, default="")
    age_band = models.CharField(
        _("age"), max_length=5, choices=AgeBand.choices, blank=True, default=""
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submission = submission_column()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-day", "-pk"]
        indexes = [models.Index(fields=["service", "day"], name="visit_service_day")]
        constraints = [
            models.CheckConstraint(condition=Q(persons__gte=1), name="visit_at_least_one"),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="visit_sex_is_a_choice"),
            models.CheckConstraint(
                condition=Q(age_band__in=AgeBand.values), name="visit_age_band_is_a_choice"
            ),
            submission_unique("visit"),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.day}"


class VisitLink(models.Model):
    """A visit linked to a client's record, which only the client's consent allows: when
    they gave it and who recorded it. The link is the client's data (retention removes it
    with the client's records); the visit itself stays, counted and anonymous."""

    visit = models.OneToOneField(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="link"
    )
    person = models.ForeignKey(
        "clients.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("client")
    )
    consent_on = models.DateField(_("consent given on"))
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit linked to a client")
        verbose_name_plural = _("visits linked to clients")
        constraints = [
            # No link without the client's consent, recorded with its day and recorder:
            # the columns are NOT NULL, and this says so in the rule's own name.
            models.CheckConstraint(
                condition=Q(consent_on__isnull=False, consent_recorded_by__isnull=False),
                name="visit_link_has_consent",
            ),
        ]

    def __str__(self) -> str:
        return str(self.visit)
