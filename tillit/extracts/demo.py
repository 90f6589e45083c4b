"""An approved extract for the demo municipality (`manage.py seed_demo` calls `load`): the
demo evaluator (petra, evaluator and manager at the root) orders a study of the units
below her, and each unit's team leader approves it (lena and tomas), as the rule asks;
petra cannot approve her own order. She produces and downloads it on the order's page."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tillit.extracts import services
from tillit.extracts.codebook import GROUP_KEYS
from tillit.extracts.models import Order
from tillit.org.models import Membership, Role, Unit, User


def load(username: str = "petra") -> Order | None:
    evaluator = User.objects.filter(username=username).first()
    if evaluator is None or not services.is_evaluator(evaluator):
        return None
    roots = evaluator.unit_ids(Role.EVALUATOR)
    units = list(Unit.objects.filter(parent__in=roots).order_by("name"))
    if not units:
        return None
    today = timezone.localdate()
    order, _made = services.order_create(
        actor=evaluator,
        study="Kontinuitet och allians i Lillby",
        purpose=(
            "Hur hänger kontinuiteten i kontaktpersonen ihop med relationen och "
            "livssituationen? En jämförelse mellan mottagning, utredning och öppenvård "
            "under de senaste tre åren."
        ),
        units=units,
        period_from=today.replace(day=1) - datetime.timedelta(days=3 * 365),
        period_to=today,
        groups=GROUP_KEYS,
        language="sv",
    )
    leaders = (
        Membership.objects.filter(unit__in=units, role=Role.TEAM_LEADER)
        .exclude(user=evaluator)
        .select_related("user")
        .order_by("user__username")
    )
    for leader in dict.fromkeys(m.user for m in leaders):
        if services.may_decide(leader, order):
            order = services.order_approve(actor=leader, order=order)
    return order
