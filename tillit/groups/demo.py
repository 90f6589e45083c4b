"""Demo groups for `manage.py seed_demo`: a maintenance-treatment group and an alcohol
group in the outpatient unit, with sessions, attendance and the members' agreement."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from tillit.clients.models import Assignment, Case, CaseStatus
from tillit.groups import services
from tillit.groups.models import Agreement, Group


def load_demo(seed: int) -> None:
    rng = random.Random(seed + 11)
    today = timezone.localdate()
    start = today - datetime.timedelta(weeks=8)
    case = Case.objects.exclude(status=CaseStatus.CLOSED).order_by("-id").first()
    if case is None:
        return
    unit = case.unit
    cases = list(
        Case.objects.filter(unit=unit)
        .exclude(status=CaseStatus.CLOSED)
        .filter(pk__in=Assignment.objects.current().values("case_id"))
        .order_by("id")[:16]
    )
    worker = Assignment.objects.current().filter(case=cases[0]).first().worker  # type: ignore[union-attr]
    for n, (kind, name) in enumerate(
        (("maintenance", "Tisdagsgruppen"), ("alcohol", "Mixgruppen"))
    ):
        group = Group.objects.create(
            unit=unit, name=name, kind=kind, started_on=start, created_by=worker
        )
        members = [
            services.member_join(group=group, person=c.person, on=start) for c in cases[n::2]
        ]
        for week in range(8):
            services.session_record(
                actor=worker,
                group=group,
                held_on=start + datetime.timedelta(weeks=week),
                theme="",
                members=members,
                present={m.pk for m in members if rng.random() < 0.75},
            )
        Agreement.objects.create(
            group=group,
            text="Vi kommer nyktra. Det som sägs här stannar här. Vi lyssnar på varandra.",
            written_by="Gruppen tillsammans",
            written_on=start,
            recorded_by=worker,
        )
