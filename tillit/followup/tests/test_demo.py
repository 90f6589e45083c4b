"""The demo's closings and follow-ups: the unit's follow-up table shows real numbers."""

from django.core.management import call_command
from django.utils import timezone

from tillit.clients.models import Case, CaseStatus, EntryStatus, JournalEntry
from tillit.followup.models import Closing, FollowUp, FollowUpLink, State
from tillit.followup.queries import due, table
from tillit.org.models import Unit, User


def test_the_demo_gives_the_table_numbers_to_show(db):
    call_command("seed_demo", clients=30, stdout=open("/dev/null", "w"))  # noqa: SIM115
    unit = Unit.objects.get(name="Öppenvården vuxna")
    cohort_year = (timezone.localdate() - timezone.timedelta(days=420)).year
    row = next(r for r in table(unit.pk) if r.year == cohort_year)
    assert row.reached >= 18 and row.lasting >= 9 and row.temporary >= 5
    assert row.not_reached >= 6 and row.no_change >= 2 and row.worse >= 2
    cells = row.cells()
    assert [name for name, n in cells.items() if n is not None and n >= 5] != []
    assert cells["lasting"] == row.lasting and cells["not_reached"] == row.not_reached
    assert FollowUpLink.objects.filter(used_at__isnull=False).count() == 1
    assert FollowUp.objects.filter(channel="link", state=State.HELD).count() == 1
    # Every closed case has its closing, with no draft left behind.
    assert not Case.objects.filter(status=CaseStatus.CLOSED, closing__isnull=True).exists()
    closed = Case.objects.filter(status=CaseStatus.CLOSED)
    assert not JournalEntry.objects.filter(case__in=closed, status=EntryStatus.DRAFT).exists()
    assert Closing.objects.values("reason").distinct().count() >= 5
    leader = User.objects.get(username="lena")
    assert len(due(viewer=leader, today=timezone.localdate(), unit_ids=[unit.pk])) >= 4
