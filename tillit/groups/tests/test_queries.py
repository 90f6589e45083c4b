"""The client's page shows their groups and attendance in two queries, however many, and in
none for a client in no group."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tillit.clients.tests.test_queries import PERSON_QUERIES
from tillit.conftest import client_for
from tillit.groups import services
from tillit.groups.models import Group

# tillit/clients/tests/test_queries.py's PERSON_QUERIES, less the journal's comments and
# earlier versions (no entries here), and two more for a client who is in a group: the
# memberships and their attendance.
GROUP_PERSON_QUERIES = PERSON_QUERIES


@pytest.mark.parametrize(("groups", "sessions"), [(1, 1), (6, 12)])
def test_person_page_with_groups_keeps_its_query_count(
    worker, unit, person, case, groups, sessions, django_assert_num_queries
):
    today = timezone.localdate()
    for n in range(groups):
        group = Group.objects.create(unit=unit, name=f"Group {n}", kind="other", created_by=worker)
        member = services.member_join(group=group, person=person, on=today)
        for i in range(sessions):
            services.session_record(
                actor=worker,
                group=group,
                held_on=today - datetime.timedelta(weeks=i),
                theme="",
                members=[member],
                present={member.pk} if i % 2 else set(),
            )
    client = client_for(worker)
    with django_assert_num_queries(GROUP_PERSON_QUERIES):
        response = client.get(reverse("clients:person", args=[person.pk]))
    assert (
        response.content.decode().count(f"kom till {sessions // 2} av {sessions} träffar") == groups
    )
