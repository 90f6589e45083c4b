"""Decisions (beslut / vedtak) on a case: an intervention applied for or offered, granted,
partly granted or refused, on grounds stated in words and under a law given as data, with
how the client may appeal. A decision is changed only by a new decision that replaces it;
the old one stays readable. Interventions (tillit.outcomes) carry out granted decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.clients.models import Case


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


class Law(models.Model):
    """A provision a decision rests on, as data (loaded by a data migration)."""

    key = models.SlugField(max_length=40, unique=True)
    country = models.CharField(max_length=2, choices=[("SE", "Sverige"), ("NO", "Norge")])
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


class Decision(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("kind of help"), max_length=20, choices=Kind.choices)
    what = models.CharField(_("what was applied for or offered"), max_length=300)
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    grounds = models.TextField(_("grounds"), blank=True)
    law = models.ForeignKey(Law, verbose_name=_("law"), on_delete=models.PROTECT)
    delegation = models.CharField(_("under delegation"), max_length=200, blank=True)
    appeal_info = models.TextField(_("how to appeal"), blank=True)
    decided_on = models.DateField(_("decided"), default=timezone.localdate)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    communicated_on = models.DateField(_("told the client on"), null=True, blank=True)
    communicated_how = models.CharField(_("how"), max_length=20, blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    # The execution clock (verkställighet): when the first intervention carrying the
    # decision out began (set by tillit.outcomes), and why it has not, in words.
    carried_out_on = models.DateField(_("carried out from"), null=True, blank=True)
    delay_reason = models.TextField(_("why it is not carried out yet"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

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
            ),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | ~Q(grounds="") & ~Q(appeal_info=""),
                name="signed_decision_has_grounds_and_appeal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.what} ({self.get_outcome_display()}, {self.decided_on})"
