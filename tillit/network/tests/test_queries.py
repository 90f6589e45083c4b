"""Query budget: the network map costs the same number of queries however large the
network, its history and the conferences and meetings around it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tillit.conftest import client_for
from tillit.network import services

# session, its user with their roles, person with cases and grant, audit row, members,
# placements, consents, conferences, meetings
MAP_QUERIES = 10  # and the client's navigation's attention counts


def _grow(person, case, worker, size: int) -> None:
    today = timezone.localdate()
    for n in range(size):
        member = services.member_add(
            actor=worker,
            person=person,
            circle=1 + n % 3,
            name=f"Member {n}",
            relation="friend",
            quality=["support", "strain", "both"][n % 3],
            on=today - datetime.timedelta(days=40),
        )
        services.member_move(member=member, circle=1 + (n + 1) % 3, on=today)
        consent = services.consent_give(actor=worker, member=member, purpose="invite")
        if n % 4 == 0:
            services.consent_withdraw(actor=worker, consent=consent)
    for _ in range(max(size // 5, 1)):
        services.conference_request(actor=worker, case=case, questions="Q", agreement="A")
        services.meeting_record(
            actor=worker,
            case=case,
            members=[],
            held_on=today,
            kind="reflecting",
            purpose="P",
        )


@pytest.mark.parametrize("size", [1, 40])
def test_map_query_count_is_constant(person, case, worker, size, django_assert_num_queries):
    _grow(person, case, worker, size)
    client = client_for(worker)
    with django_assert_num_queries(MAP_QUERIES):
        response = client.get(reverse("network:map", args=[person.pk]))
    assert response.status_code == 200
    assert len(response.context["members"]) == size
