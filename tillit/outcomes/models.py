"""Interventions (insatser / tiltak) on a case: what was done for the client, from when to
when. The feedback chart marks where each started, so a change in the client's answers
can be read against what changed in the help."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.clients.models import Case


class Kind(models.TextChoices):
    OUTPATIENT = "outpatient", _("Outpatient treatment")
    METHOD = "method", _("A method (e.g. BaM, MI, CRA)")
    GROUP = "group", _("Group")
    PLACEMENT = "placement", _("Placement")
    SUPPORT = "support", _("Support in everyday life")
    OTHER = "other", _("Other")


class Intervention(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="interventions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("what"), max_length=200)
    started_on = models.DateField(_("started"), default=timezone.localdate)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="intervention_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.name
