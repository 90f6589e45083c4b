"""Interventions for the demo municipality (`manage.py seed_demo`): a register of three
providers with their prices, and on the cases given a purchased placement at a treatment
home (HVB) with its cost, a family home placement, an outpatient intervention with BaM
given by the unit's own staff, and housing support. Each carries out a signed decision of
its case of the same kind where the demo has one. And the outpatient unit's services
without needs assessment with their visits (`load_low_threshold`)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone

from tillit.clients.models import Case
from tillit.org.models import Method, Unit, User
from tillit.outcomes import services
from tillit.outcomes.models import (
    AgeBand,
    CostPer,
    Intervention,
    Kind,
    LowThresholdService,
    PlacementForm,
    Provider,
    ProviderKind,
    Sex,
    Visit,
)


def providers() -> dict[str, Provider]:
    rows = [
        ("hvb", "Behandlingshemmet Granbacken", "802400-1234", ProviderKind.TREATMENT_HOME,
         Decimal("2950"), CostPer.DAY),
        ("family_home", "Familjehemmet Ekudden", "", ProviderKind.FAMILY_HOME,
         Decimal("32000"), CostPer.MONTH),
        ("supported_housing", "Stödboendet Linden", "802400-5678",
         ProviderKind.SUPPORTED_HOUSING, Decimal("1150"), CostPer.DAY),
    ]  # fmt: skip
    return {
        key: Provider.objects.update_or_create(
            name=name,
            defaults={"org_number": number, "kind": kind, "cost_amount": cost, "cost_per": per},
        )[0]
        for key, name, number, kind, cost, per in rows
    }


def load_demo(cases: Sequence[Case], worker: User) -> list[Intervention]:
    """Four interventions on `cases` (taken in turn, again from the first if fewer are
    given), recorded by `worker`."""
    if not cases:
        return []
    register = providers()
    today = timezone.localdate()

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    plans: list[dict] = [
        {
            "kind": Kind.PLACEMENT,
            "name": "Behandling på Granbacken",
            "started_on": ago(75),
            "placement_form": PlacementForm.TREATMENT_HOME,
            "purchased": True,
            "provider": register["hvb"],
        },
        {
            "kind": Kind.PLACEMENT,
            "name": "Familjehem i Ekudden",
            "started_on": ago(400),
            "placement_form": PlacementForm.FAMILY_HOME,
            "purchased": True,
            "provider": register["family_home"],
        },
        {
            "kind": Kind.METHOD,
            "name": "Samtal med BaM varannan vecka",
            "started_on": ago(60),
            "method": Method.objects.get(key="bam"),
        },
        {"kind": Kind.HOUSING, "name": "Boendestöd i egen lägenhet", "started_on": ago(200)},
    ]
    made = []
    for n, plan in enumerate(plans):
        case = cases[n % len(cases)]
        decision = services.decisions_to_carry_out(case).filter(kind=plan["kind"]).first()
        made.append(services.intervention_start(actor=worker, case=case, decision=decision, **plan))
    return made


# -- services without needs assessment ----------------------------------------------------

# (name, weekdays open (Monday 0), visits per day from-to, share arriving as a group)
LOW_THRESHOLD = [
    ("Öppen mottagning", (1, 3), (4, 12), 0.08),
    ("Rådgivning utan tidsbokning", (2,), (2, 6), 0.0),
]
SEXES = [(Sex.NOT_STATED, 30), (Sex.MAN, 44), (Sex.WOMAN, 25), (Sex.OTHER, 1)]
AGES = [
    (AgeBand.NOT_STATED, 40),
    (AgeBand.FROM_18, 8),
    (AgeBand.FROM_25, 15),
    (AgeBand.FROM_35, 14),
    (AgeBand.FROM_45, 11),
    (AgeBand.FROM_55, 8),
    (AgeBand.FROM_65, 4),
]


def load_low_threshold(
    unit: Unit, staff: Sequence[User], *, seed: int = 2026
) -> list[LowThresholdService]:
    """The outpatient unit's open drop-in (Tuesday and Thursday afternoons) and walk-in
    counselling (Wednesdays), with their visits from 1 January last year to today,
    recorded by `staff` in turn: busier in winter, closed four weeks in July, now and
    then a few who came together, sex and age when the visitor said them. A service that
    already has visits is left as it is."""
    rng = random.Random(seed)
    today = timezone.localdate()
    first = datetime.date(today.year - 1, 1, 1)
    made = []
    for name, weekdays, (low, high), groups in LOW_THRESHOLD:
        service, _created = LowThresholdService.objects.get_or_create(unit=unit, name=name)
        made.append(service)
        if service.visits.exists() or not staff:
            continue
        visits: list[Visit] = []
        day = first
        while day <= today:
            summer = day.month == 7
            if day.weekday() in weekdays and not summer:
                winter = 2 if day.month in (1, 2, 11, 12) else 0
                for _n in range(rng.randint(low, high + winter)):
                    together = rng.random() < groups
                    visits.append(
                        Visit(
                            service=service,
                            day=day,
                            persons=rng.randint(2, 4) if together else 1,
                            sex="" if together else _pick(rng, SEXES),
                            age_band="" if together else _pick(rng, AGES),
                            recorded_by=staff[len(visits) % len(staff)],
                        )
                    )
            day += datetime.timedelta(days=1)
        Visit.objects.bulk_create(visits)
    return made


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]
