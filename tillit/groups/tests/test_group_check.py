"""The group version of the feedback check after a session: asked of a present member in
their own case, where the answers and any alert land like a meeting's."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tillit.clients.models import EntryKind, JournalEntry
from tillit.conftest import client_for
from tillit.feedback.models import Alert, Response
from tillit.groups import services
from tillit.groups.models import Attendance, Group

GROUP_ITEMS = ["heard", "what_matters", "way_of_working"]


@pytest.fixture
def attendance(unit, worker, person, case):
    group = Group.objects.create(
        unit=unit, name="Tisdagsgruppen", kind="alcohol", created_by=worker
    )
    member = services.member_join(group=group, person=person, on=timezone.localdate())
    session = services.session_record(
        actor=worker,
        group=group,
        held_on=timezone.localdate(),
        theme="Payday",
        members=[member],
        present={member.pk},
    )
    return session.attendance.get()


def test_asking_the_group_check_notes_the_session_once_in_the_members_case(
    attendance, worker, case
):
    client = client_for(worker)
    url = reverse("groups:session_check", args=[attendance.pk])
    response = client.post(url)
    entry = JournalEntry.objects.get()
    assert response["Location"] == reverse("feedback:meeting", args=[entry.pk]) + "?when=group"
    assert entry.case == case and entry.kind == EntryKind.GROUP_SESSION and not entry.is_signed
    assert "Tisdagsgruppen" in entry.text
    client.post(url)
    assert JournalEntry.objects.count() == 1
    assert Attendance.objects.get().entry == entry


def test_low_group_check_raises_an_alert_on_the_members_case(attendance, worker, case):
    client = client_for(worker)
    client.post(reverse("groups:session_check", args=[attendance.pk]))
    entry = JournalEntry.objects.get()
    data = {f"group__{k}": 3 for k in GROUP_ITEMS}
    data |= {"given_on": timezone.localdate().isoformat(), "when": "group"}
    client.post(reverse("feedback:paper", args=[entry.pk]) + "?when=group", data)
    response = Response.objects.get()
    assert response.instrument.key == "group" and response.case == case
    assert Alert.objects.get().case == case

    page = client.get(reverse("groups:group", args=[attendance.session.group_id]))
    assert "3 / 10" in page.content.decode()


def test_an_absent_member_is_not_asked(attendance, worker):
    Attendance.objects.update(present=False)
    response = client_for(worker).post(reverse("groups:session_check", args=[attendance.pk]))
    assert response.status_code == 404
    assert not JournalEntry.objects.exists()
