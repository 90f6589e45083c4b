"""Reads for the map: the members on a day with their circle and valid consents, in a
fixed number of queries however large the network."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch

from tillit.network.models import Circle, Consent, NetworkMember, Placement


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
