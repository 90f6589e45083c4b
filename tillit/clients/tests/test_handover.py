"""The start of the case flow: intake decides on an inquiry, with a reason either way, and
hands the case to the unit that will assess or treat it. The receiving unit's team leader
accepts and names a contact person; only then does the case, and access to it, move."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tillit.audit.models import AccessLog
from tillit.clients import services
from tillit.clients.models import Assignment, Case, Handover
from tillit.conftest import client_for
from tillit.factories import CaseFactory, PersonFactory, UserFactory
from tillit.org.models import Role


@pytest.fixture
def other_worker(other_unit):
    return UserFactory.member(other_unit, Role.WORKER, username="other_worker")


def hand_over(client, case, to_unit, note="Wants outpatient help; has a job to keep."):
    client.cookies["django_language"] = "en"
    prefix = f"handover-{case.pk}"
    return client.post(
        reverse("clients:case_handover", args=[case.pk]),
        {f"{prefix}-to_unit": to_unit.pk, f"{prefix}-note": note},
        follow=True,
    )


def test_intake_opens_an_assessment_with_its_reason(worker, case):
    Case.objects.filter(pk=case.pk).update(status="inquiry")
    client = client_for(worker)
    prefix = f"inquiry-{case.pk}"
    page = client.get(reverse("clients:person", args=[case.person_id])).text
    assert f'name="{prefix}-assess"' in page
    client.post(
        reverse("clients:case_inquiry", args=[case.pk]),
        {f"{prefix}-assess": "yes", f"{prefix}-reason": "Applied for help with alcohol."},
    )
    case.refresh_from_db()
    assert (case.status, case.assess, case.assess_reason) == (
        "assessment",
        True,
        "Applied for help with alcohol.",
    )
    page = client.get(reverse("clients:person", args=[case.person_id])).text
    assert "Applied for help with alcohol." in page and f'name="{prefix}-assess"' not in page


def test_no_assessment_needs_a_reason_and_is_decided_once(worker, case):
    Case.objects.filter(pk=case.pk).update(status="inquiry")
    client = client_for(worker)
    client.cookies["django_language"] = "sv"
    url = reverse("clients:case_inquiry", args=[case.pk])
    prefix = f"inquiry-{case.pk}"
    response = client.post(url, {f"{prefix}-assess": "no", f"{prefix}-reason": ""}, follow=True)
    assert "ange skälet" in response.text
    case.refresh_from_db()
    assert case.assess is None
    client.post(url, {f"{prefix}-assess": "no", f"{prefix}-reason": "Got help elsewhere."})
    response = client.post(url, {f"{prefix}-assess": "yes", f"{prefix}-reason": "x"}, follow=True)
    assert "redan" in response.text
    case.refresh_from_db()
    assert (case.assess, case.assess_reason, case.status) == (
        False,
        "Got help elsewhere.",
        "inquiry",
    )


def test_the_database_refuses_an_inquiry_decision_without_reason(case):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(assess=True, assess_decided_on="2026-01-01")
    Case.objects.filter(pk=case.pk).update(
        assess=True, assess_decided_on="2026-01-01", assess_reason="Applied."
    )


def test_a_hand_over_moves_the_case_and_the_access_only_when_accepted(
    worker, leader, case, other_unit, other_leader, other_worker
):
    response = hand_over(client_for(worker), case, other_unit)
    assert "stays here until they accept it" in response.text
    handover = Handover.objects.get()
    assert (handover.state, handover.from_unit_id) == ("pending", case.unit_id)
    # Until accepted the case is the sending unit's: the worker still works on it.
    assert (
        client_for(worker).get(reverse("clients:person", args=[case.person_id])).status_code == 200
    )
    assert (
        client_for(other_worker).get(reverse("clients:person", args=[case.person_id])).status_code
        == 404
    )

    unit_page = client_for(other_leader).get(reverse("clients:unit", args=[other_unit.pk]))
    assert "Wants outpatient help; has a job to keep." in unit_page.text
    assert case.person.pk in AccessLog.objects.latest("pk").listed.values_list(
        "person_id", flat=True
    )

    client_for(other_leader).post(
        reverse("clients:handover_accept", args=[handover.pk]), {"worker": other_worker.pk}
    )
    case.refresh_from_db()
    handover.refresh_from_db()
    assert case.unit_id == other_unit.pk and handover.state == "accepted"
    row = AccessLog.objects.latest("pk")
    assert (row.action, row.role, row.unit_id, row.case_id) == (
        "assign",
        "team_leader",
        other_unit.pk,
        case.pk,
    )
    # The history stays; the old unit's worker and leader lose the case.
    history = Assignment.objects.filter(case=case).order_by("pk")
    assert [(a.worker, a.ended_on is None) for a in history] == [
        (worker, False),
        (other_worker, True),
    ]
    assert (
        client_for(worker).get(reverse("clients:person", args=[case.person_id])).status_code == 404
    )
    assert (
        client_for(leader).get(reverse("clients:person", args=[case.person_id])).status_code == 404
    )
    page = client_for(other_worker).get(reverse("clients:person", args=[case.person_id]))
    assert page.status_code == 200 and "Överlämnat från" in page.text


def test_a_declined_hand_over_leaves_the_case_with_the_reason(
    worker, case, other_unit, other_leader
):
    hand_over(client_for(worker), case, other_unit)
    handover = Handover.objects.get()
    url = reverse("clients:handover_decline", args=[handover.pk])
    client_for(other_leader).post(url, {"reason": ""})
    handover.refresh_from_db()
    assert handover.state == "pending"  # no reason, nothing decided
    client_for(other_leader).post(url, {"reason": "Needs a placement; we treat outpatients."})
    case.refresh_from_db()
    handover.refresh_from_db()
    assert handover.state == "declined" and case.unit_id != other_unit.pk
    page = client_for(worker).get(reverse("clients:person", args=[case.person_id])).text
    assert "Needs a placement; we treat outpatients." in page
    assert 'name="handover-' in page  # it can be handed on elsewhere


def test_a_hand_over_is_decided_once_whichever_tab_is_second(
    worker, case, other_unit, other_leader, other_worker
):
    handover = services.handover_send(actor=worker, case=case, to_unit=other_unit, note="n")
    client = client_for(other_leader)
    accept = reverse("clients:handover_accept", args=[handover.pk])
    client.post(accept, {"worker": other_worker.pk})
    # The second tab's decline finds nothing pending: 404, and the case stays accepted.
    assert (
        client.post(
            reverse("clients:handover_decline", args=[handover.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    assert client.post(accept, {"worker": other_worker.pk}).status_code == 404
    handover.refresh_from_db()
    assert handover.state == "accepted"
    assert Assignment.objects.filter(case=case, worker=other_worker).count() == 1


def test_one_hand_over_waits_at_a_time(worker, case, other_unit):
    hand_over(client_for(worker), case, other_unit)
    response = hand_over(client_for(worker), case, other_unit, note="Again")
    assert "already handed over" in response.text
    assert Handover.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Handover.objects.create(
            case=case, from_unit=case.unit, to_unit=other_unit, note="x", sent_by=worker
        )


def test_a_hand_over_to_the_own_unit_or_of_a_closed_case_is_refused(worker, case, unit, other_unit):
    response = hand_over(client_for(worker), case, unit)
    assert Handover.objects.count() == 0 and "Choose the unit" in response.text
    Case.objects.filter(pk=case.pk).update(status="closed", closed_on="2026-01-01")
    response = hand_over(client_for(worker), case, other_unit)
    assert Handover.objects.count() == 0 and "closed case cannot be handed over" in response.text


def test_only_the_receiving_units_team_leader_decides(
    worker, leader, colleague, outsider, case, other_unit, other_worker
):
    handover = services.handover_send(actor=worker, case=case, to_unit=other_unit, note="n")
    accept = reverse("clients:handover_accept", args=[handover.pk])
    before = AccessLog.objects.count()
    for user, status in [(worker, 404), (leader, 404), (colleague, 404), (outsider, 403)]:
        assert client_for(user).post(accept, {"worker": other_worker.pk}).status_code == status
    assert AccessLog.objects.count() == before
    handover.refresh_from_db()
    assert handover.state == "pending"


def test_a_protected_persons_hand_over_is_only_for_staff_named_on_them(
    worker, unit, other_unit, other_leader, other_worker
):
    person = PersonFactory(protected_identity=True, first_name="Skyddad")
    person.named_staff.add(worker)
    case = CaseFactory(person=person, unit=unit)
    handover = services.handover_send(actor=worker, case=case, to_unit=other_unit, note="n")
    page = client_for(other_leader).get(reverse("clients:unit", args=[other_unit.pk])).text
    assert "Skyddad" not in page
    accept = reverse("clients:handover_accept", args=[handover.pk])
    assert client_for(other_leader).post(accept, {"worker": other_worker.pk}).status_code == 404
    person.named_staff.add(other_leader)
    page = client_for(other_leader).get(reverse("clients:unit", args=[other_unit.pk])).text
    assert "Skyddad" in page
