"""The follow-up table per unit and year, as Bjuv counted it: counts per case by hand,
small cells hidden (and the cell that would give one away), CSV safe from formulas,
for the unit's team leaders and managers only."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tillit.audit.models import AccessLog
from tillit.conftest import client_for
from tillit.factories import PersonFactory, UnitFactory, UserFactory
from tillit.followup import services
from tillit.followup.models import FollowUp, State
from tillit.followup.queries import Row, suppress, table
from tillit.followup.tests.data import closed_case
from tillit.org.models import Role

YEAR = timezone.localdate().year - 2


def closed_in(unit, worker, day_of_year: int, outcomes, **kwargs):  # type: ignore[no-untyped-def]
    """A case closed in YEAR with a follow-up per outcome: a change, "x" not reached."""
    closed_on = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=day_of_year)
    days_ago = (timezone.localdate() - closed_on).days
    dates = services.default_dates(closed_on)[: len(outcomes)]
    case = closed_case(unit, worker, days_ago=days_ago, dates=dates, **kwargs)
    for followup, outcome in zip(
        FollowUp.objects.filter(closing__case=case), outcomes, strict=True
    ):
        if outcome == "x":
            services.attempt_record(
                actor=worker, followup=followup, tried_on=followup.due_on, how="phone", give_up=True
            )
        else:
            services.followup_record(
                followup=followup,
                actor=worker,
                held_on=followup.due_on,
                channel="phone",
                change=outcome,
            )
    return case


@pytest.fixture
def cohort(unit, worker):
    """By hand: 14 cases closed in YEAR.
    - 6 lasting (one of them temporary at 6 months, lasting at 12: counted lasting)
    - 2 temporary (one lasting at 6 months, temporary at 12: the latest counts)
    - 1 worse (not reached at 6 months, worse at 12: reached)
    - 3 not reached (tried, never held)
    - 1 with a follow-up still due (not followed up yet), 1 with no follow-up planned
    So: closed 14, followed up 12, reached 9, lasting 6, temporary 2, no change 0, worse 1,
    not reached 3."""
    for n in range(5):
        closed_in(unit, worker, n, ["lasting"])
    closed_in(unit, worker, 10, ["temporary", "lasting"])
    closed_in(unit, worker, 11, ["temporary"])
    closed_in(unit, worker, 12, ["lasting", "temporary"])
    closed_in(unit, worker, 13, ["x", "worse"])
    for n in range(3):
        closed_in(unit, worker, 20 + n, ["x", "x"][: n % 2 + 1])
    closed_in(unit, worker, 30, [])  # planned, still due below
    FollowUp.objects.create(
        closing=closed_in(unit, worker, 31, []).closing, due_on=timezone.localdate()
    )
    closed_case(unit, worker, days_ago=10)  # this year: another row


def test_the_table_counts_each_case_as_bjuv_did(cohort, unit):
    rows = table(unit.pk)
    assert [r.year for r in rows] == [YEAR, timezone.localdate().year]
    assert rows[0] == Row(
        YEAR,
        closed=14,
        followed_up=12,
        reached=9,
        lasting=6,
        temporary=2,
        no_change=0,
        worse=1,
        not_reached=3,
    )
    assert rows[1] == Row(timezone.localdate().year, closed=1)


def test_small_cells_are_hidden_and_so_is_the_one_that_would_give_them_away(cohort, unit):
    cells = table(unit.pk)[0].cells()
    # Under five: temporary 2, no change 0, worse 1, not reached 3. Not reached alone is
    # hidden in followed up = reached + not reached, so reached (9) is hidden too; then
    # reached's parts have four hidden, fine.
    assert cells == {
        "closed": 14,
        "followed_up": 12,
        "reached": None,
        "lasting": 6,
        "temporary": None,
        "no_change": None,
        "worse": None,
        "not_reached": None,
    }


def test_suppression_by_hand():
    # Only one part under five: the next smallest goes too.
    row = Row(2025, closed=40, followed_up=30, reached=22, lasting=12, temporary=6, no_change=4,
              worse=0, not_reached=8)  # fmt: skip
    assert suppress(row) == {
        "closed": 40, "followed_up": 30, "reached": 22, "lasting": 12, "temporary": 6,
        "no_change": None, "worse": None, "not_reached": 8,
    }  # fmt: skip
    row = Row(2025, closed=40, followed_up=30, reached=27, lasting=12, temporary=9, no_change=6,
              worse=0, not_reached=3)  # fmt: skip
    # not reached 3 hidden alone in its sum: reached (27) is the smaller other, hidden; then
    # in reached's sum worse and reached are hidden: two, fine.
    assert suppress(row) == {
        "closed": 40, "followed_up": 30, "reached": None, "lasting": 12, "temporary": 9,
        "no_change": 6, "worse": None, "not_reached": None,
    }  # fmt: skip
    assert suppress(Row(2025, closed=3)) == dict.fromkeys(suppress(Row(2025)), None)


def test_the_page_shows_the_table_and_the_chart_with_its_numbers(cohort, leader, unit):
    client = client_for(leader)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("followup:table"), {"unit": unit.pk, "year": YEAR})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Lasting improvement" in page and "<svg" in page and "<rect" in page
    assert response.context["chart_rows"][0] == ("Closed cases", 14)
    assert ("Reached", None) in response.context["chart_rows"]
    assert "Kim" not in page and "Client" not in page.replace("client", "")  # no one named


def test_the_csv_is_safe_from_formulas_hides_small_cells_and_is_audited(cohort, leader, unit):
    unit.name = '=HYPERLINK("http://evil")'
    unit.save()
    before = AccessLog.objects.count()
    response = client_for(leader).get(reverse("followup:table_csv"), {"unit": unit.pk})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:6] == ['\'=HYPERLINK("http://evil")', str(YEAR), "14", "12", "..", "6"]
    assert rows[1][-1] == ".."
    assert AccessLog.objects.count() == before + 1
    row = AccessLog.objects.latest("id")
    assert row.action == "export" and row.person is None and row.unit == unit


def test_a_manager_above_the_unit_sees_it(cohort, unit):
    manager = UserFactory.member(UnitFactory(name="Socialtjänsten"), Role.MANAGER)
    unit.parent = manager.memberships.get().unit
    unit.save()
    response = client_for(manager).get(reverse("followup:table"), {"unit": unit.pk})
    assert response.status_code == 200


def test_a_worker_gets_403_and_another_units_leader_404(cohort, worker, other_leader, unit):
    assert client_for(worker).get(reverse("followup:table")).status_code == 403
    assert client_for(worker).get(reverse("followup:table_csv")).status_code == 403
    for url_name in ("followup:table", "followup:table_csv"):
        response = client_for(other_leader).get(reverse(url_name), {"unit": unit.pk})
        assert response.status_code == 404
    assert client_for(other_leader).get(reverse("followup:table"), {"unit": "x"}).status_code == 404


def test_a_protected_person_is_counted_but_never_named(leader, unit, worker):
    person = PersonFactory(first_name="Hemligsdotter", protected_identity=True)
    closed_case(unit, worker, person=person)
    page = client_for(leader).get(reverse("followup:table"), {"unit": unit.pk}).content.decode()
    assert "Hemligsdotter" not in page
    assert table(unit.pk)[-1].closed == 1


def test_the_table_reads_in_one_query(cohort, unit, django_assert_num_queries):
    with django_assert_num_queries(1):
        table(unit.pk)


def test_only_held_follow_ups_are_reached(unit, worker):
    case = closed_case(unit, worker, days_ago=400)
    FollowUp.objects.filter(closing__case=case).update(
        state=State.CANCELLED, cancel_reason="reopened"
    )
    row = table(unit.pk)[0]
    assert (row.closed, row.followed_up, row.reached, row.not_reached) == (1, 0, 0, 0)
