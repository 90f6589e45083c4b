"""Emergency access: a stated reason, one person, time-limited, and reviewed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tillit.audit.models import AccessLog, Action
from tillit.clients import services
from tillit.clients.models import EmergencyAccess
from tillit.conftest import client_for
from tillit.factories import CaseFactory, PersonFactory


def _ask(user, person, reason="Client called in crisis at night", **extra):
    client = client_for(user)
    client.cookies["django_language"] = "en"
    data = {
        "id_country": "se",
        "id_number": person.id_number,
        "category": "contact",
        "reason": reason,
        **extra,
    }
    return client, client.post(reverse("clients:emergency"), data)


def test_emergency_access_needs_a_reason(other_leader, case, person):
    _client, response = _ask(other_leader, person, reason="  ")

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not EmergencyAccess.objects.exists()


def test_emergency_access_opens_one_person_only(other_leader, case, person, unit):
    second = CaseFactory(unit=unit, person=PersonFactory())
    client, response = _ask(other_leader, person)

    assert response["Location"] == reverse("clients:person", args=[person.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Emergency access until" in page.content.decode()
    assert client.get(reverse("clients:person", args=[second.person_id])).status_code == 404
    row = AccessLog.objects.filter(action=Action.READ, person=person).get()
    assert row.emergency.reason == "Client called in crisis at night"


def test_emergency_access_expires(other_leader, case, person):
    client, _response = _ask(other_leader, person)
    access = EmergencyAccess.objects.get()
    assert access.expires_at - access.started_at == datetime.timedelta(hours=4)

    access.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    access.save()

    assert client.get(reverse("clients:person", args=[person.pk])).status_code == 404


def test_emergency_access_does_not_allow_reassigning(other_leader, colleague, case, person):
    client, _response = _ask(other_leader, person)
    response = client.post(reverse("clients:case_assign", args=[case.pk]), {"worker": colleague.pk})
    assert response.status_code == 403


def test_unknown_number_is_not_found(other_leader, case):
    _client, response = _ask(other_leader, PersonFactory.build(id_number="19811228-9874"))
    assert "No client with that identity number was found." in response.content.decode()
    assert not EmergencyAccess.objects.exists()


def test_protected_identity_cannot_be_reached_by_emergency(other_leader, case, person):
    person.protected_identity = True
    person.save()
    _client, response = _ask(other_leader, person)
    assert "No client with that identity number was found." in response.content.decode()


def test_colleague_is_offered_emergency_access_from_the_403_page(colleague, case, person):
    client = client_for(colleague)
    response = client.get(reverse("clients:person", args=[person.pk]))
    assert response.status_code == 403
    assert f"?person={person.pk}" in response.content.decode()

    response = client.post(
        reverse("clients:emergency"),
        {"person": person.pk, "category": "contact", "reason": "Covering for the worker today"},
    )
    assert client.get(response["Location"]).status_code == 200


def test_evaluator_cannot_take_emergency_access(db, person):
    from tillit.factories import UnitFactory, UserFactory

    evaluator = UserFactory.member(UnitFactory(), "evaluator")
    with pytest.raises(ValidationError):
        services.emergency_access_open(
            actor=evaluator, person=person, category="other", reason="curious about the client"
        )


def test_emergency_shows_in_log_review_and_review_is_logged(other_leader, leader, case, person):
    _ask(other_leader, person)
    client = client_for(leader)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("audit:review")).content.decode()
    assert "Client called in crisis at night" in page
    assert "is-emergency" in page

    access = EmergencyAccess.objects.get()
    client.post(reverse("audit:emergency_reviewed", args=[access.pk]))
    access.refresh_from_db()
    assert access.reviewed_by == leader
    assert AccessLog.objects.filter(action=Action.REVIEW, user=leader, emergency=access).exists()
    assert "Nothing to review." in client.get(reverse("audit:review")).content.decode()


def test_log_review_filters(leader, worker, colleague, case, person, entry):
    client_for(worker).get(reverse("clients:person", args=[person.pk]))
    client = client_for(leader)
    rows = lambda **q: list(  # noqa: E731
        client.get(reverse("audit:review"), q).context["page"].object_list
    )

    assert {r.user for r in rows(staff=worker.pk)} == {worker}
    assert {r.person for r in rows(person=person.pk)} == {person}
    assert {r.action for r in rows(action="read", staff=worker.pk)} == {"read"}
    assert rows(since="2000-01-01", until="2000-01-02") == []


def test_log_review_finds_a_client_by_name_or_number(leader, worker, case, person):
    client_for(worker).get(reverse("clients:person", args=[person.pk]))
    client = client_for(leader)
    for text in [person.last_name, str(person.pk)]:
        rows = client.get(reverse("audit:review"), {"person": text}).context["page"]
        assert {r.person for r in rows.object_list} == {person}
    rows = client.get(reverse("audit:review"), {"person": "Nobody-by-this-name"}).context["page"]
    assert list(rows.object_list) == []


def test_emergency_reader_gets_no_share_button_after_the_workers_visit(
    worker, other_leader, case, person
):
    from tillit.factories import EntryFactory

    EntryFactory(case=case, author=worker, signed=True)
    url = reverse("clients:person", args=[person.pk])
    worker_client = client_for(worker)
    worker_client.cookies["django_language"] = "en"
    assert "Share with the client" in worker_client.get(url).content.decode()

    assert "Letter with a portal code" in worker_client.get(url).text
    assert f'name="handover-{case.pk}-note"' in worker_client.get(url).text

    client, _response = _ask(other_leader, person)
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert "Emergency access until" in page and "Share with the client" not in page
    # Nor the worker's heading and cases, with their portal code and hand-over form.
    assert "Letter with a portal code" not in page and f'name="handover-{case.pk}-note"' not in page
