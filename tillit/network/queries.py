"""Reads for the map: the members on a day with their circle and valid consents, in a
fixed number of queries however large the network."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch

from tillit.network.models import (
    Circle,
    Consent,
    FamilyConference,
    Meeting,
    MeetingKind,
    NetworkMember,
    Placement,
)


def members_on(person_id: int, day: datetime.date) -> list[NetworkMember]:
    members = list(
        NetworkMember.objects.on(day)
        .filter(person_id=person_id)
        .prefetch_related(
            Prefetch("placements", Placement.objects.filter(from_on__lte=day), to_attr="placed"),
            Prefetch("consents", Consent.objects.valid_on(day), to_attr="valid"),
        )
    )
    for member in members:
        placed = member.placed  # type: ignore[attr-defined]
        member.circle = placed[-1].circle if placed else Circle.OUTER
        member.consented = {c.purpose for c in member.valid}  # type: ignore[attr-defined]
    members.sort(key=lambda m: (m.circle, m.name.lower(), m.pk))
    return members


def practised(staff_ids: list[int], since: datetime.datetime) -> dict[tuple[int, str], int]:
    """For the leaders' methods page: family group conferences held (for the worker who
    asked for it and a coordinator on the staff, each once) and network meetings held (for
    the worker who recorded it) since `since`, as {(staff id, method key): count}. Two
    queries; no client data leaves this function."""
    day = since.date()
    found: dict[tuple[int, str], int] = {}
    held = FamilyConference.objects.filter(held_on__gte=day).values_list(
        "pk", "created_by_id", "coordinator_staff_id"
    )
    for _pk, created_by, coordinator in held.order_by():
        for staff in {created_by, coordinator} & set(staff_ids):
            found[(staff, "fgc")] = found.get((staff, "fgc"), 0) + 1
    meetings = (
        Meeting.objects.filter(
            kind=MeetingKind.NETWORK, held_on__gte=day, created_by_id__in=staff_ids
        )
        .order_by()
        .values_list("created_by_id")
        .annotate(n=Count("pk"))
    )
    for staff, n in meetings:
        found[(staff, "network")] = n
    return found
