"""Writes of interventions; the view's access helper has already applied the policy and
written the audit row."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tillit.clients.models import Case
from tillit.org.models import User
from tillit.outcomes.models import Intervention


def intervention_start(
    *, actor: User, case: Case, kind: str, name: str, started_on: datetime.date
) -> Intervention:
    return Intervention.objects.create(
        case=case, kind=kind, name=name, started_on=started_on, created_by=actor
    )


def intervention_end(*, intervention: Intervention, on: datetime.date) -> Intervention:
    if on < intervention.started_on:
        raise ValidationError(_("Give an end date on or after the start."))
    intervention.ended_on = on
    intervention.save(update_fields=["ended_on"])
    return intervention
