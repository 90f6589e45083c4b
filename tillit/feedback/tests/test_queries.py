"""The per-client chart and the worker's feedback list cost the same number of queries
however many meetings and answers there are."""

import pytest
from django.urls import reverse

from tillit.clients import services as client_services
from tillit.conftest import client_for
from tillit.factories import AssignmentFactory, CaseFactory, EntryFactory, UserFactory
from tillit.feedback.tests.test_collect import record
from tillit.outcomes.models import Intervention

# session, its user with their roles, person with cases, audit, responses, assignments,
# interventions, alerts
CHART_QUERIES = 9  # and the client's navigation's attention counts
# session, its user with their roles, cases with latest scores and alerts, audit row and
# the clients it lists
LIST_QUERIES = 5


def _meetings(worker, case, count):
    for n in range(count):
        entry = EntryFactory(case=case, author=worker, signed=True)
        record(entry, "relationship", 3 + n % 7)
        record(entry, "life", 4 + n % 5)


@pytest.mark.parametrize("meetings", [1, 25])
def test_chart_query_count_is_constant(
    worker, unit, case, person, meetings, django_assert_num_queries
):
    _meetings(worker, case, meetings)
    for n in range(meetings // 5):
        Intervention.objects.create(case=case, kind="group", name=f"M{n}", created_by=worker)
        client_services.assignment_start(
            case=case, worker=UserFactory.member(unit), role="contact_person"
        )
    client = client_for(worker if meetings == 1 else case.assignments.current().get().worker)
    with django_assert_num_queries(CHART_QUERIES):
        response = client.get(reverse("feedback:person", args=[person.pk]))
    assert len(response.context["rows"]) == meetings


@pytest.mark.parametrize("cases", [1, 12])
def test_feedback_list_query_count_is_constant(worker, unit, cases, django_assert_num_queries):
    for _ in range(cases):
        case = CaseFactory(unit=unit)
        AssignmentFactory(case=case, worker=worker)
        _meetings(worker, case, 3)
    client = client_for(worker)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("feedback:mine"))
    assert len(response.context["cases"]) == cases
