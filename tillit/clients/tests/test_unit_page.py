"""A unit's page shows its open cases a page at a time, and every case without a contact
person whichever page it is on; the log lists the clients the page showed."""

from __future__ import annotations

from django.urls import reverse

from tillit.audit.models import AccessLog
from tillit.clients.views import UNIT_PAGE_SIZE
from tillit.conftest import client_for
from tillit.factories import AssignmentFactory, CaseFactory, PersonFactory


def test_a_large_unit_is_paged_and_no_unassigned_case_is_hidden(leader, worker, unit):
    for n in range(UNIT_PAGE_SIZE + 3):
        case = CaseFactory(unit=unit, person=PersonFactory(last_name=f"Namn{n:04d}"))
        if n != UNIT_PAGE_SIZE + 1:  # one on the second page has no contact person
            AssignmentFactory(case=case, worker=worker)
    client = client_for(leader)
    first = client.get(reverse("clients:unit", args=[unit.pk]))
    assert len(first.context["cases"]) == UNIT_PAGE_SIZE
    assert first.context["page"].paginator.count == UNIT_PAGE_SIZE + 3
    assert [c.person.last_name for c in first.context["unassigned"]] == [
        f"Namn{UNIT_PAGE_SIZE + 1:04d}"
    ]
    listed = set(AccessLog.objects.latest("pk").listed.values_list("person_id", flat=True))
    assert len(listed) == UNIT_PAGE_SIZE + 1  # the page's cases and the unassigned one
    second = client.get(reverse("clients:unit", args=[unit.pk]), {"page": "2"})
    assert [c.person.last_name for c in second.context["cases"]] == [
        f"Namn{n:04d}" for n in range(UNIT_PAGE_SIZE, UNIT_PAGE_SIZE + 3)
    ]
    assert client.get(reverse("clients:unit", args=[unit.pk]), {"page": "x"}).status_code == 200
