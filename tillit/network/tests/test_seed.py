"""The scale seed writes networks around every client, the same for the same seed, and
the rows are valid for the services and the map."""

from django.utils import timezone

from bench.seed import Report, Writer, seed
from bench.seed_network import clear_network, seed_network
from tillit.network.models import (
    Consent,
    FamilyConference,
    Invitation,
    NetworkMember,
    Placement,
)
from tillit.network.queries import members_on


def _snapshot() -> list:
    return list(NetworkMember.objects.order_by("id").values_list("person_id", "name", "relation"))


def test_seed_writes_networks_deterministically(db):
    seed(clients=60, years=1, entries_per_client=2, progress=None)
    first = _snapshot()
    persons = {p for p, _n, _r in first}
    assert len(first) >= 5 * len(persons) and len(persons) == 60
    assert Placement.objects.count() >= len(first)
    assert Consent.objects.filter(purpose="invite").exists()
    person_id = first[0][0]
    assert all(m.circle in (1, 2, 3) for m in members_on(person_id, timezone.localdate()))
    # No contact without consent, in the seed too.
    invited = Invitation.objects.values_list("member_id", flat=True)
    assert invited.exists()
    assert not invited.exclude(
        member__consents__purpose="invite", member__consents__withdrawn_on__isnull=True
    ).exists()
    assert FamilyConference.objects.exclude(decision="not_accepted", decision_reason="").exists()

    clear_network()

    seed_network(Writer(Report()), 1)
    assert [row[1:] for row in _snapshot()] == [row[1:] for row in first]


def test_seed_writes_groups_with_attendance(db):
    from tillit.groups.models import Attendance, Group

    seed(clients=40, years=1, entries_per_client=2, progress=None)
    assert Group.objects.count() >= 2
    assert 0.5 < Attendance.objects.filter(present=True).count() / Attendance.objects.count() < 0.9
