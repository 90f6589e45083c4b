"""Reopening a closed case: a new period in the same unit linked to the old one, which
stays readable; its pending follow-ups are cancelled; once per closed case."""

from django.contrib.messages import get_messages
from django.urls import reverse

from tillit.clients.models import AssignmentRole, Case, CaseStatus
from tillit.conftest import client_for
from tillit.followup.models import CancelReason, FollowUp, State
from tillit.followup.tests.data import closed_case


def test_the_worker_reopens_a_closed_case_as_a_new_period(worker, unit):
    old = closed_case(unit, worker)
    first = FollowUp.objects.filter(closing__case=old).first()
    FollowUp.objects.filter(pk=first.pk).update(state=State.NOT_REACHED)
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    assert client.get(reverse("followup:reopen", args=[old.pk])).status_code == 200

    response = client.post(
        reverse("followup:reopen", args=[old.pk]), {"origin": "application", "origin_text": "Åter"}
    )

    assert response.status_code == 302
    new = Case.objects.get(previous=old)
    assert new.unit == old.unit and new.person == old.person
    assert new.status == CaseStatus.INQUIRY and new.closed_on is None
    assert new.assignments.get().worker == worker
    assert new.assignments.get().role == AssignmentRole.CONTACT_PERSON
    old.refresh_from_db()
    assert old.status == CaseStatus.CLOSED  # the old period stays as it was
    states = dict(FollowUp.objects.filter(closing__case=old).values_list("pk", "state"))
    assert states[first.pk] == State.NOT_REACHED  # what happened stays
    cancelled = FollowUp.objects.filter(closing__case=old, state=State.CANCELLED)
    assert cancelled.count() == 1
    assert cancelled.get().cancel_reason == CancelReason.REOPENED
    page = client.get(reverse("followup:person", args=[old.person_id])).content.decode()
    assert "Reopened as a new period" in page and "The case was reopened" in page


def test_a_team_leader_reopens_without_becoming_contact_person(worker, leader, unit):
    old = closed_case(unit, worker)
    client_for(leader).post(reverse("followup:reopen", args=[old.pk]), {"origin": "report"})
    assert Case.objects.get(previous=old).assignments.count() == 0


def test_a_case_is_reopened_once(worker, unit):
    old = closed_case(unit, worker)
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    client.post(reverse("followup:reopen", args=[old.pk]), {"origin": "application"})
    again = client.post(reverse("followup:reopen", args=[old.pk]), {"origin": "application"})
    assert again.status_code == 302
    assert "already been reopened" in [str(m) for m in get_messages(again.wsgi_request)][-1]
    assert Case.objects.filter(previous=old).count() == 1


def test_an_open_case_is_not_reopened(worker, case):
    client = client_for(worker)
    client.post(reverse("followup:reopen", args=[case.pk]), {"origin": "application"})
    assert not Case.objects.filter(previous=case).exists()


def test_a_colleague_gets_403_and_another_unit_404(worker, colleague, outsider, unit):
    old = closed_case(unit, worker)
    assert (
        client_for(colleague)
        .post(reverse("followup:reopen", args=[old.pk]), {"origin": "application"})
        .status_code
        == 403
    )
    assert (
        client_for(outsider)
        .post(reverse("followup:reopen", args=[old.pk]), {"origin": "application"})
        .status_code
        == 404
    )
    assert not Case.objects.filter(previous=old).exists()
