"""Groups: who may open a group page, sessions with attendance, the members' own
agreements, and attendance on the client's page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tillit.audit.models import AccessLog
from tillit.conftest import client_for
from tillit.factories import AssignmentFactory, CaseFactory, PersonFactory
from tillit.groups import services
from tillit.groups.models import Attendance, Group, GroupMember

TODAY = timezone.localdate()
LAST_WEEK = TODAY - datetime.timedelta(weeks=1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def en(user):
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def group(unit, worker, person, case):
    group = Group.objects.create(
        unit=unit, name="Tisdagsgruppen", kind="alcohol", created_by=worker
    )
    services.member_join(group=group, person=person, on=TODAY)
    return group


def test_colleague_not_working_with_a_member_gets_403(group, colleague):
    assert en(colleague).get(reverse("groups:group", args=[group.pk])).status_code == 403


def test_a_worker_starts_a_group_opens_it_and_adds_the_first_member(unit, worker, person, case):
    """The one who starts a group leads it: they open it while it has no member yet."""
    client = en(worker)
    client.post(
        reverse("groups:new"),
        {"unit": unit.pk, "name": "Onsdagsgruppen", "kind": "alcohol", "started_on": TODAY},
    )
    group = Group.objects.get(name="Onsdagsgruppen")
    assert (
        f'href="{reverse("groups:group", args=[group.pk])}"'
        in client.get(reverse("groups:mine")).content.decode()
    )
    assert client.get(reverse("groups:group", args=[group.pk])).status_code == 200
    client.post(
        reverse("groups:group", args=[group.pk]),
        {"step": "member", "member-person": person.pk, "member-joined_on": TODAY},
    )
    assert list(group.members.values_list("person_id", flat=True)) == [person.pk]


def test_the_groups_list_offers_only_groups_the_user_may_open(group, unit, colleague, leader):
    link = f'href="{reverse("groups:group", args=[group.pk])}"'
    assert link not in en(colleague).get(reverse("groups:mine")).content.decode()
    assert link in en(leader).get(reverse("groups:mine")).content.decode()


def test_colleague_who_works_with_one_member_may_open_it(group, unit, colleague):
    other = PersonFactory()
    AssignmentFactory(case=CaseFactory(person=other, unit=unit), worker=colleague)
    services.member_join(group=group, person=other, on=TODAY)
    response = en(colleague).get(reverse("groups:group", args=[group.pk]))
    assert response.status_code == 200
    row = AccessLog.objects.latest("id")
    assert row.detail["page"] == "group"
    assert sorted(row.listed.values_list("person_id", flat=True)) == sorted(
        group.members.values_list("person_id", flat=True)
    )


def test_protected_member_is_hidden_from_staff_not_named(group, unit, leader):
    secret = PersonFactory(protected_identity=True)
    services.member_join(group=group, person=secret, on=TODAY)
    page = en(leader).get(reverse("groups:group", args=[group.pk])).content.decode()
    assert secret.full_name not in page
    assert "protected" not in page  # not even that someone is not shown


def test_session_records_attendance_and_shows_on_the_client_page(group, person, worker):
    client = en(worker)
    member = group.members.get()
    response = client.post(
        reverse("groups:group", args=[group.pk]),
        {"step": "session", "session-held_on": str(TODAY), "session-present": [member.pk]},
    )
    assert response.status_code == 302
    client.post(
        reverse("groups:group", args=[group.pk]),
        {"step": "session", "session-held_on": str(LAST_WEEK), "session-theme": "Sleep"},
    )
    assert Attendance.objects.filter(member=member, present=True).count() == 1
    page = client.get(reverse("clients:person", args=[person.pk])).content.decode()
    assert "Tisdagsgruppen · came to 1 of 2 sessions" in page


def test_members_write_their_own_agreement(group, worker):
    en(worker).post(
        reverse("groups:group", args=[group.pk]),
        {
            "step": "agreement",
            "agreement-text": "We come sober and we listen.",
            "agreement-written_by": "Kim and Ali",
        },
    )
    page = en(worker).get(reverse("groups:group", args=[group.pk])).content.decode()
    assert "We come sober and we listen." in page and "Kim and Ali" in page


def test_only_clients_the_worker_works_with_can_be_added(group, unit, worker):
    stranger = PersonFactory()
    CaseFactory(person=stranger, unit=unit)
    response = en(worker).post(
        reverse("groups:group", args=[group.pk]),
        {"step": "member", "member-person": stranger.pk, "member-joined_on": str(TODAY)},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not GroupMember.objects.filter(person=stranger).exists()


def test_leaving_keeps_the_row(group, worker):
    member = group.members.get()
    en(worker).post(reverse("groups:member_leave", args=[member.pk]))
    member.refresh_from_db()
    assert member.left_on == TODAY
