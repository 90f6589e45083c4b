"""The demo municipality has networks, a conference carried to follow-up and a
reflecting team with its journal entry."""

from django.core.management import call_command

from tillit.groups.models import Attendance, Group
from tillit.network.models import FamilyConference, Meeting, NetworkMember


def test_demo_has_networks(db):
    call_command("seed_demo", clients=20, verbosity=0)
    assert NetworkMember.objects.values("person").distinct().count() >= 5
    conference = FamilyConference.objects.get()
    assert conference.stage == "follow_up" and conference.invitations.count() == 3
    assert Meeting.objects.get().journal_entry is not None
    assert Group.objects.count() == 2 and Attendance.objects.filter(present=True).exists()
