"""Decisions and providers for the interventions' tests."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from tillit.decisions.models import Decision, Law
from tillit.outcomes.models import Provider


def decision(  # type: ignore[no-untyped-def]
    case, worker, *, kind="placement", outcome="granted", signed=True, law="se-sol-2025-assessed",
    replaces=None,
):  # fmt: skip
    return Decision.objects.create(
        replaces=replaces,
        case=case,
        kind=kind,
        what="Behandlingshem",
        outcome=outcome,
        law=Law.objects.get(key=law),
        decided_by=worker,
        grounds="Behovet är utrett." if signed else "",
        appeal_info="Överklaga inom tre veckor." if signed else "",
        signed_at=timezone.now() if signed else None,
    )


def provider(**kwargs) -> Provider:  # type: ignore[no-untyped-def]
    values = {
        "name": "Granbacken",
        "kind": "hvb",
        "cost_amount": Decimal("2950"),
        "cost_per": "day",
    }
    return Provider.objects.create(**(values | kwargs))
