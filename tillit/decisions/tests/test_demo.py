from __future__ import annotations

import pytest
from django.utils import timezone

from tillit.decisions import queries
from tillit.decisions.demo import seed
from tillit.decisions.models import Decision
from tillit.factories import AssignmentFactory, CaseFactory, PersonFactory


@pytest.mark.django_db
def test_demo_decisions(unit, worker):
    cases = []
    for _ in range(4):
        case = CaseFactory(person=PersonFactory(), unit=unit)
        AssignmentFactory(case=case, worker=worker)
        cases.append(case)
    made = seed(cases, worker)
    assert len(made) == 5 and all(d.is_signed for d in made)
    refused = Decision.objects.get(outcome="refused")
    assert refused.appeal_info and refused.communicated_how == "letter"
    assert Decision.objects.filter(carried_out_on__isnull=False, replaces__isnull=True).exists()
    waiting = list(queries.waiting([unit.pk], timezone.localdate()))
    assert len(waiting) == 1 and waiting[0].delay_reason
    ended = Decision.objects.get(replaces__isnull=False)
    assert ended.ends_on < timezone.localdate()
    assert not queries.open_periods(ended.case, timezone.localdate()).exists()
