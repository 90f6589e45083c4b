"""Query budgets: the caseload and the client's page cost the same number of queries
however many cases and entries there are."""

import pytest
from django.urls import reverse

from tillit.clients import services
from tillit.conftest import client_for
from tillit.factories import AssignmentFactory, CaseFactory, EntryFactory, UserFactory

# Both counts include SAVEPOINT and RELEASE: each request is one transaction
# (ATOMIC_REQUESTS), nested in the test's own.
# session, user, cases with last contact, contact persons, audit row, memberships
CASELOAD_QUERIES = 8
# session, user, person, cases with grant, audit row, assignments, open alerts,
# journal count, journal page, earlier versions, memberships, groups with attendance
PERSON_QUERIES = 14


def _grow(worker, unit, person, cases: int, entries: int) -> None:
    """`cases` cases of `person` on the worker's caseload, each with a history."""
    others = [UserFactory.member(unit) for _ in range(2)]
    for n in range(cases):
        case = CaseFactory(unit=unit, person=person)
        AssignmentFactory(case=case, worker=worker)
        AssignmentFactory(case=case, worker=others[n % 2], role="treatment")
        for i in range(entries):
            entry = EntryFactory(case=case, author=others[i % 2], signed=True)
            if i % 3 == 0:
                services.entry_correct(actor=worker, entry=entry, text="fixed", reason="typo")
        EntryFactory(case=case, author=worker)  # a draft
        CaseFactory(unit=unit)  # someone else's case in the unit


@pytest.mark.parametrize(("cases", "entries"), [(1, 2), (12, 15)])
def test_caseload_query_count_is_constant(
    worker, unit, person, cases, entries, django_assert_num_queries
):
    _grow(worker, unit, person, cases, entries)
    client = client_for(worker)
    with django_assert_num_queries(CASELOAD_QUERIES):
        response = client.get(reverse("clients:caseload"))
    assert len(response.context["cases"]) == cases


@pytest.mark.parametrize(("cases", "entries"), [(1, 2), (4, 40)])
def test_person_page_query_count_is_constant(
    worker, unit, person, cases, entries, django_assert_num_queries
):
    _grow(worker, unit, person, cases, entries)
    client = client_for(worker)
    with django_assert_num_queries(PERSON_QUERIES):
        response = client.get(reverse("clients:person", args=[person.pk]))
    assert response.status_code == 200
    assert len(response.context["cases"]) == cases
    shown = list(response.context["page"])
    assert len(shown) == min(cases * (entries + 1), 30)
    assert any(entry.earlier for entry in shown) == (entries > 0)
