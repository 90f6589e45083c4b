"""The access policy beyond the URL walk: protected identities, ended assignments,
and no data without an audit row."""

from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tillit.audit.models import AccessLog
from tillit.clients import access, services
from tillit.clients.models import Assignment, AssignmentRole, Case, JournalEntry
from tillit.conftest import client_for
from tillit.feedback.queries import open_alerts


def test_protected_identity_is_hidden_from_staff_not_named(worker, leader, case, person):
    person.protected_identity = True
    person.save()
    url = reverse("clients:person", args=[person.pk])

    assert client_for(worker).get(url).status_code == 404
    assert client_for(leader).get(url).status_code == 404
    assert client_for(worker).get(reverse("clients:caseload")).context["cases"] == []

    person.named_staff.add(worker)
    assert client_for(worker).get(url).status_code == 200
    assert client_for(leader).get(url).status_code == 404


def test_ended_assignment_ends_access(worker, colleague, leader, case, person):
    services.assignment_start(case=case, worker=colleague, role="contact_person")
    url = reverse("clients:person", args=[person.pk])

    assert client_for(worker).get(url).status_code == 403
    assert client_for(colleague).get(url).status_code == 200


def test_assignment_change_keeps_history(worker, colleague, case):
    first = case.assignments.get()
    services.assignment_start(case=case, worker=colleague, role="contact_person")

    first.refresh_from_db()
    assert first.ended_on == timezone.localdate()
    assert first.worker == worker
    current = Assignment.objects.current().get(case=case)
    assert current.worker == colleague
    assert case.assignments.count() == 2


def test_leader_assigns_from_the_unit_page(leader, colleague, case, person):
    client = client_for(leader)
    client.post(reverse("clients:case_assign", args=[case.pk]), {"worker": colleague.pk})

    page = client_for(leader).get(reverse("clients:person", args=[person.pk]))
    history = page.context["cases"][0].history
    assert [a.worker for a in history] == [colleague, case.assignments.earliest("id").worker]


def test_only_workers_of_the_unit_can_be_assigned(leader, outsider, case):
    client_for(leader).post(reverse("clients:case_assign", args=[case.pk]), {"worker": outsider.pk})
    assert not case.assignments.filter(worker=outsider).exists()


def test_no_audit_row_means_no_data(worker, case, person):
    client = client_for(worker)
    client.raise_request_exception = False
    with mock.patch.object(AccessLog.objects, "create", side_effect=DatabaseError("disk full")):
        response = client.get(reverse("clients:person", args=[person.pk]))

    assert response.status_code == 500
    assert person.last_name not in response.content.decode()


def test_refusals_are_logged(outsider, colleague, case, person, caplog):
    with caplog.at_level("WARNING", logger="tillit.access"):
        client_for(outsider).get(reverse("clients:person", args=[person.pk]))
        client_for(colleague).get(reverse("clients:person", args=[person.pk]))
    refusals = [r.getMessage() for r in caplog.records if r.name == "tillit.access"]
    assert [m.split("status=")[1] for m in refusals] == ["404", "403"]


def test_team_leader_sees_only_their_units_cases(leader, other_leader, case):
    assert list(access.visible_cases(leader)) == [case]
    assert list(access.visible_cases(other_leader)) == []


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
def test_pages_render_in_each_language(worker, entry, person, language):
    client = client_for(worker)
    client.cookies["django_language"] = language
    response = client.get(reverse("clients:person", args=[person.pk]))
    assert f'<html lang="{language}">' in response.content.decode()


def test_the_cases_on_a_clients_page_follow_their_contact_persons(leader, colleague, case):
    client = client_for(leader)
    page = reverse("clients:person", args=[case.person_id])
    assert str(colleague) not in client.get(page).text
    services.assignment_start(case=case, worker=colleague, role=AssignmentRole.CONTACT_PERSON)
    assert str(colleague) in client.get(page).text


def test_a_person_with_no_case_is_nobodys_to_see(worker, leader, caplog):
    from tillit.factories import PersonFactory

    lone = PersonFactory()
    with caplog.at_level("WARNING", logger="tillit.access"):
        for user in (worker, leader):
            assert (
                client_for(user).get(reverse("clients:person", args=[lone.pk])).status_code == 404
            )
        assert client_for(worker).get(reverse("clients:person", args=[10**9])).status_code == 404
    assert len([r for r in caplog.records if r.name == "tillit.access"]) == 3


def test_the_assigned_question_answers_for_each_user(worker, colleague, case):
    def mine(user) -> list[bool]:
        return list(
            Case.objects.annotate(mine=access._assigned_to(user.pk, "pk")).values_list(
                "mine", flat=True
            )
        )

    assert (mine(worker), mine(colleague), mine(worker)) == ([True], [False], [True])


def test_the_case_query_answers_for_each_user_at_each_request(worker, colleague, case, person):
    """The grant is asked in the query that reads the person's cases, with what the page
    adds to it, and comes from the database at each request."""
    alerts = (("open_alerts", open_alerts()),)

    def ground(user) -> str:
        try:
            granted = access.person_access(user, person.pk, "read", dict(alerts))
        except PermissionDenied:
            return "refused"
        return granted.grant.ground

    assert (ground(worker), ground(colleague)) == ("assigned", "refused")
    services.assignment_start(case=case, worker=colleague, role="contact_person")
    assert (ground(worker), ground(colleague)) == ("refused", "assigned")


def test_a_record_of_a_case_answers_for_each_user_at_each_request(worker, colleague, case, entry):
    """access.on_case_for (journal entries, BaM moments): the record with its case and
    the grant in one query; the grant comes from the database at each call."""

    def ground(user, pk: int = entry.pk) -> str:
        request = SimpleNamespace(user=user)
        try:
            found, grant = access.on_case_for(request, JournalEntry, "entry", pk, "read")
        except PermissionDenied:
            return "refused"
        except Http404:
            return "not found"
        assert (found, found.case, found.case.person) == (entry, case, case.person)
        return grant.ground

    assert (ground(worker), ground(colleague)) == ("assigned", "refused")
    assert ground(worker, entry.pk + 1000) == "not found"
    services.assignment_start(case=case, worker=colleague, role="contact_person")
    assert (ground(worker), ground(colleague)) == ("refused", "assigned")


def test_the_clients_heading_follows_the_person(worker, case, person):
    # Its open alerts too: tillit/feedback/tests/test_collect.py
    client = client_for(worker)
    page = reverse("clients:person", args=[person.pk])
    assert f"<h1>{person.full_name}</h1>" in client.get(page).text
    person.first_name = "Renamed"
    person.save()
    assert f"<h1>{person.full_name}</h1>" in client.get(page).text
