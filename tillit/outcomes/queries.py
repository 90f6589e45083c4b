"""Reads of interventions for pages about staff, not clients: counts only."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from tillit.outcomes.models import Intervention


def practised(staff_ids: list[int], since: datetime.datetime) -> dict[tuple[int, str], int]:
    """For the leaders' methods page: per staff member and method, the interventions with
    the method given by the municipality's own staff (a purchased one is the provider's
    practice) that ran at some time since `since`, counted for each worker assigned to the
    case while it ran. One query; no client data leaves this function."""
    first, today = since.date(), timezone.localdate()
    open_or_since = Q(case__assignments__ended_on__isnull=True)
    rows = (
        Intervention.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=first),
            method__isnull=False,
            purchased=False,
            started_on__lte=today,
        )
        # One filter() call: the conditions on the case's assignments are on one join.
        .filter(
            open_or_since | Q(case__assignments__ended_on__gte=first),
            open_or_since | Q(case__assignments__ended_on__gte=F("started_on")),
            Q(ended_on__isnull=True) | Q(ended_on__gte=F("case__assignments__started_on")),
            case__assignments__worker_id__in=staff_ids,
            case__assignments__started_on__lte=today,
        )
        .order_by()
        .values("case__assignments__worker_id", "method__key")
        .annotate(n=Count("pk", distinct=True))
    )
    return {(r["case__assignments__worker_id"], r["method__key"]): r["n"] for r in rows}
