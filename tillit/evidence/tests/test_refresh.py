"""evidence_refresh computes each case's figures from its records, by hand on small cases."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from tillit.clients.models import Handover, HandoverState
from tillit.evidence import refresh
from tillit.evidence.models import CaseFigures, CaseYear, Refresh, WorkerMonth
from tillit.evidence.organisation import INTEGRATED, SPECIALISED
from tillit.evidence.refresh import Period, caseloads, changes, same_days
from tillit.evidence.tests.data import meeting_case
from tillit.factories import EntryFactory, UnitFactory, UserFactory
from tillit.org.models import Role

D = datetime.date


def test_changes_count_a_new_worker_only():
    periods = [Period(1, D(2025, 1, 1), D(2025, 3, 1)), Period(1, D(2025, 3, 1), D(2025, 4, 1))]
    periods.append(Period(2, D(2025, 4, 1), None))
    assert changes(periods) == [D(2025, 4, 1)]


def test_same_days_runs_back_over_the_same_worker():
    periods = [
        Period(2, D(2024, 1, 1), D(2024, 6, 1)),
        Period(1, D(2024, 6, 1), D(2025, 1, 1)),
        Period(1, D(2025, 1, 1), None),
    ]
    assert same_days(periods, D(2025, 1, 31)) == (D(2025, 1, 31) - D(2024, 6, 1)).days
    assert same_days([], D(2025, 1, 1)) is None
    assert same_days([Period(1, D(2025, 2, 1), None)], D(2025, 1, 1)) is None


def test_caseloads_count_open_cases_at_each_months_end():
    from tillit.evidence.refresh import CaseRow

    today = D(2025, 3, 15)
    case = CaseRow(1, 10, D(2025, 1, 10), None, [Period(7, D(2025, 1, 10), D(2025, 2, 20))])
    case.periods.append(Period(8, D(2025, 2, 20), None))
    counted = caseloads([case], today, months=3)
    assert counted == {
        (7, 10, D(2025, 1, 1)): 1,
        (8, 10, D(2025, 2, 1)): 1,
        (8, 10, D(2025, 3, 1)): 1,
    }


@pytest.fixture
def team(db):
    unit = UnitFactory(name="Integrerade", does_assessment=True, does_intervention=True)
    a = UserFactory.member(unit, Role.WORKER)
    b = UserFactory.member(unit, Role.WORKER)
    return unit, a, b


def test_a_cases_indices_by_hand(team):
    unit, a, b = team
    today = timezone.localdate()
    opened = today - datetime.timedelta(days=60)
    case = meeting_case(
        unit,
        [a, b],
        opened=opened,
        meetings=[a, a, a, b],  # n = (3, 1): UPC 3/4, COC (9 + 1 - 4) / (4 * 3) = 1/2
        contact_persons=[(a, opened), (b, opened + datetime.timedelta(days=30))],
        checks=[(6, 4), (8, 5), (9, 7)],
    )
    # A corrected meeting counts once: the correction is a second version of the same one.
    first = case.journal_entries.order_by("happened_at").first()
    EntryFactory(
        case=case,
        author=a,
        signed=True,
        kind="meeting",
        happened_at=first.happened_at,
        replaces=first,
        thread=first,
        version=2,
        correction_reason="Fel dag",
    )
    run = refresh.refresh()
    row = CaseFigures.objects.get(case=case)
    assert row.model == INTEGRATED
    assert (row.contact_persons, row.changes, row.meetings) == (2, 1, 4)
    assert row.upc == pytest.approx(0.75)
    assert row.coc == pytest.approx(0.5)
    assert (row.rel_n, row.rel_first, row.rel_latest) == (3, 6.0, 9.0)
    assert (row.life_n, row.life_first, row.life_latest) == (3, 4.0, 7.0)
    assert row.unwanted_n == 0
    assert run.cases == 1 and Refresh.objects.count() == 1


def test_one_meeting_no_meetings_and_all_with_one_worker(team):
    unit, a, _b = team
    one = meeting_case(unit, [a], meetings=[a])
    none = meeting_case(unit, [a], meetings=[])
    same = meeting_case(unit, [a], meetings=[a, a, a, a, a])
    refresh.refresh()
    rows = {r.case_id: r for r in CaseFigures.objects.all()}
    assert (rows[one.pk].upc, rows[one.pk].coc) == (1.0, None)
    assert (rows[none.pk].upc, rows[none.pk].coc) == (None, None)
    assert (rows[same.pk].upc, rows[same.pk].coc) == (1.0, 1.0)


def test_years_handovers_and_caseload_rows(team):
    unit, a, b = team
    chain = UnitFactory(name="Mottagning", does_intake=True)
    today = timezone.localdate()
    opened = D(today.year - 1, 11, 1)
    case = meeting_case(
        unit,
        [a, b],
        opened=opened,
        meetings=[a, b],
        contact_persons=[(a, opened), (b, D(today.year, 1, 2))],
    )
    Handover.objects.create(
        case=case,
        from_unit=chain,
        to_unit=unit,
        note="Till er",
        sent_by=a,
        state=HandoverState.ACCEPTED,
        decided_at=timezone.make_aware(datetime.datetime(today.year, 1, 2, 9)),
        decided_by=b,
    )
    meeting_case(chain, [a], meetings=[a])
    refresh.refresh()
    years = {r.year: r for r in CaseYear.objects.filter(case=case)}
    assert set(years) == {today.year - 1, today.year}
    assert (years[today.year - 1].contact_persons, years[today.year - 1].changes) == (1, 0)
    assert (years[today.year].contact_persons, years[today.year].changes) == (2, 1)
    assert years[today.year].handovers == 1
    assert years[today.year].same_days == (today - D(today.year, 1, 2)).days
    assert CaseFigures.objects.get(case=case).handovers == 1
    assert set(CaseFigures.objects.values_list("model", flat=True)) == {INTEGRATED, SPECIALISED}
    this_month = today.replace(day=1)
    assert WorkerMonth.objects.get(worker=b, month=this_month).cases == 1


def test_a_refresh_replaces_the_tables_whole(team):
    unit, a, _b = team
    meeting_case(unit, [a], meetings=[a])
    call_command("evidence_refresh", stdout=None)
    call_command("evidence_refresh", stdout=None)
    assert CaseFigures.objects.count() == 1
    assert Refresh.objects.count() == 2
