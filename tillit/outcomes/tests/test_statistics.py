"""The Swedish count for 1 November, by hand on a small set of cases: persons once per
category, an intervention ended on 31 October not counted, the voluntary and the
compulsory apart, admissions and care days in the year; the page for leaders only, with
small cells hidden and no client on it; the CSV with exact counts."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from tillit.audit.models import AccessLog
from tillit.conftest import client_for
from tillit.factories import CaseFactory, PersonFactory, UnitFactory, UserFactory
from tillit.org.models import Method, Role
from tillit.outcomes import statistics
from tillit.outcomes.models import Intervention
from tillit.outcomes.tests.helpers import decision

YEAR = 2025
D = datetime.date


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def cases_of_2025(unit, other_unit, worker):
    """p1: two outpatient interventions on the day in one unit, one in the other; p2:
    outpatient ended 31 October; p3: a voluntary HVB placement from 1 October; p4: a family
    home placement under LVM; p5: housing support from 1 November in the other unit; p6:
    an intervention without needs assessment; p7: an HVB placement over new year."""

    def add(person, kind, started, ended=None, in_unit=unit, **fields):  # type: ignore[no-untyped-def]
        case = CaseFactory(person=person, unit=in_unit)
        return Intervention.objects.create(
            case=case, kind=kind, name=kind, started_on=started, ended_on=ended,
            created_by=worker, **fields,
        )  # fmt: skip

    p = [PersonFactory(first_name=f"Zelda{n}", last_name="Countson") for n in range(8)]
    add(p[1], "outpatient", D(2025, 3, 1))
    add(p[1], "method", D(2025, 9, 1), method=Method.objects.get(key="mi"))
    add(p[1], "group", D(2025, 10, 1), in_unit=other_unit)
    add(p[2], "outpatient", D(2025, 2, 1), D(2025, 10, 31))
    add(p[3], "placement", D(2025, 10, 1), placement_form="hvb")
    lvm = add(p[4], "placement", D(2024, 6, 1), placement_form="family_home")
    lvm.decision = decision(lvm.case, worker, law="se-lvm")
    lvm.save()
    add(p[5], "housing", D(2025, 11, 1), in_unit=other_unit)
    open_help = add(p[6], "outpatient", D(2025, 1, 1))
    open_help.decision = decision(open_help.case, worker, law="se-sol-2025-open")
    open_help.save()
    add(p[7], "placement", D(2024, 12, 20), D(2025, 1, 10), placement_form="hvb")
    return p


def test_the_count_by_hand(cases_of_2025, unit, other_unit, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        rows = statistics.count(YEAR, [unit.pk, other_unit.pk])
    by_unit = {row.unit: row.counts for row in rows}
    mine, theirs, together = by_unit[unit], by_unit[other_unit], by_unit[None]
    assert mine == {
        "housing": 0,
        "outpatient": 1,  # p1 once for two; p2 ended on 31 October; p6 not needs-assessed
        "institution_voluntary": 1,  # p3
        "institution_lvm": 0,
        "family_home_voluntary": 0,
        "family_home_lvm": 1,  # p4, under a decision under LVM
        "admitted_housing": 0,
        "admitted_institution": 1,  # p3; p7 came in 2024, p4 is not voluntary
        "admitted_family_home": 0,
        "care_days_institution": 92 + 10,  # p3: 1 Oct to 31 Dec; p7: 1 to 10 January
    }
    assert (theirs["outpatient"], theirs["housing"], theirs["admitted_housing"]) == (1, 1, 1)
    assert together["outpatient"] == 1  # p1 is one person in both units
    assert together["housing"] == 1 and together["care_days_institution"] == 102
    assert [row.unit for row in rows] == [*sorted([unit, other_unit], key=lambda u: u.name), None]


@pytest.fixture
def manager(unit, other_unit):
    root = UnitFactory(name="Socialförvaltningen")
    for child in (unit, other_unit):
        child.parent = root
        child.save()
    return UserFactory.member(root, Role.MANAGER, username="manager")


def test_the_page_is_for_leaders_and_names_no_one(
    cases_of_2025, personas, manager, unit, other_unit
):
    url = reverse("outcomes:november") + f"?year={YEAR}"
    for persona in ("worker", "colleague", "outsider", "administrator"):
        assert client_for(personas[persona]).get(url).status_code == 403, persona
    before = AccessLog.objects.count()
    response = client_for(manager).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "102" in html  # the care days
    assert "&lt;5" in html  # the small counts are not shown
    assert unit.name in html and other_unit.name in html
    assert "Zelda" not in html and "Countson" not in html
    assert AccessLog.objects.count() == before  # counts, no client data
    leader_rows = client_for(personas["leader"]).get(url).context["table"]
    assert [u for u, _cells in leader_rows] == [unit, None]  # the leader's unit only


def test_a_bad_year_falls_back_to_the_latest(manager):
    response = client_for(manager).get(reverse("outcomes:november") + "?year=1066")
    assert response.status_code == 200
    assert response.context["year"] == statistics.latest_year()
    assert response.context["form"].errors["year"]


def test_the_csv_has_exact_counts(cases_of_2025, manager, unit, worker):
    response = client_for(manager).get(reverse("outcomes:november_csv") + f"?year={YEAR}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Year", "Unit", "Boendeinsatser"]
    mine = next(r for r in rows if r[1] == unit.name)
    assert mine[:4] == ["2025", unit.name, "0", "1"]  # exact, not hidden
    assert rows[-1][1] == "All units"
    assert "Zelda" not in response.content.decode()
    assert client_for(worker).get(reverse("outcomes:november_csv")).status_code == 403


def test_latest_year():
    assert statistics.latest_year(D(2026, 10, 31)) == 2025
    assert statistics.latest_year(D(2026, 11, 1)) == 2026


def test_providers_are_listed_for_leaders_read_only(leader, worker, administrator):
    from tillit.outcomes.tests.helpers import provider

    provider(name="Granbacken", org_number="802400-1234")
    assert client_for(worker).get(reverse("outcomes:providers")).status_code == 403
    html = client_for(leader).get(reverse("outcomes:providers")).content.decode()
    assert "Granbacken" in html and "802400-1234" in html
    admin = client_for(administrator)
    assert admin.get(reverse("admin:outcomes_provider_changelist")).status_code == 200
    assert client_for(leader).get(reverse("admin:outcomes_provider_changelist")).status_code == 302
