"""Services without needs assessment: visits recorded by the unit's own staff with no
case and no identity, once however often the form is sent; a visit linked to a client only
with their consent, by staff who may open the client, audited; the counts per service and
month by hand, small counts hidden, the CSV exact and safe from formulas; statistics for
team leaders and managers, not workers."""

from __future__ import annotations

import csv
import datetime
import io
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tillit.audit.models import AccessLog
from tillit.conftest import client_for
from tillit.factories import AssignmentFactory, CaseFactory, PersonFactory, UserFactory
from tillit.org.models import Role
from tillit.outcomes import demo, visit_counts
from tillit.outcomes.models import LowThresholdService, Visit, VisitLink

D = datetime.date
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def drop_in(unit):
    return LowThresholdService.objects.create(unit=unit, name="Open drop-in")


@pytest.fixture
def elsewhere(other_unit):
    return LowThresholdService.objects.create(unit=other_unit, name="Walk-in counselling")


def visit(service, user, day=TODAY, persons=1, **fields) -> Visit:
    return Visit.objects.create(
        service=service, day=day, persons=persons, recorded_by=user, **fields
    )


def record(user, service, client=None, **data):
    return (client or client_for(user)).post(
        reverse("outcomes:visit_new", args=[service.pk]),
        {"day": TODAY.isoformat(), "persons": 1} | data,
    )


# -- recording -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["worker", "colleague", "leader"])
def test_the_units_staff_record_a_visit_and_the_form_stays(who, drop_in, personas):
    client = client_for(personas[who])
    response = record(personas[who], drop_in, client, sex="woman", age_band="25-34")

    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:visit_new", args=[drop_in.pk])
    saved = Visit.objects.get()
    assert (saved.service, saved.day, saved.persons, saved.sex, saved.age_band) == (
        drop_in, TODAY, 1, "woman", "25-34"
    )  # fmt: skip
    page = client.get(response["Location"])
    assert b"Recorded: Open drop-in" in page.content
    assert b'name="persons"' in page.content  # ready for the next visit


def test_sex_and_age_are_not_stated_unless_said(drop_in, worker):
    record(worker, drop_in, persons=3)
    saved = Visit.objects.get()
    assert (saved.persons, saved.sex, saved.age_band) == (3, "", "")


@pytest.mark.parametrize("who", ["outsider", "other_leader", "administrator"])
def test_staff_of_another_unit_cannot_record_a_visit(who, drop_in, personas):
    response = record(personas[who], drop_in)
    assert response.status_code == 404
    assert client_for(personas[who]).get(
        reverse("outcomes:visit_new", args=[drop_in.pk])
    ).status_code == 404  # fmt: skip
    assert not Visit.objects.exists()


def test_a_double_click_records_one_visit(drop_in, worker):
    key = str(uuid.uuid4())
    first = record(worker, drop_in, submission=key)
    second = record(worker, drop_in, submission=key)
    assert first.status_code == second.status_code == 302
    assert Visit.objects.count() == 1
    record(worker, drop_in, submission=str(uuid.uuid4()))
    assert Visit.objects.count() == 2


def test_another_users_key_is_no_way_into_their_visit(drop_in, worker, colleague):
    key = str(uuid.uuid4())
    record(worker, drop_in, submission=key)
    response = record(colleague, drop_in, submission=key)
    assert response.status_code == 400
    assert list(Visit.objects.values_list("recorded_by", flat=True)) == [worker.pk]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"day": (TODAY + datetime.timedelta(days=1)).isoformat()}, "day"),
        ({"persons": 0}, "persons"),
        ({"persons": "many"}, "persons"),
        ({"sex": "unknown"}, "sex"),
        ({"age_band": "12"}, "age_band"),
    ],
)
def test_bad_input_is_a_form_error_and_writes_nothing(data, field, drop_in, worker):
    response = record(worker, drop_in, **data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Visit.objects.exists()


def test_the_database_holds_the_rules_of_a_visit(drop_in, worker):
    for wrong in ({"persons": 0}, {"sex": "x"}, {"age_band": "99-"}):
        with transaction.atomic(), pytest.raises(IntegrityError):
            visit(drop_in, worker, **({"persons": 1} | wrong))


def test_a_service_no_longer_offered_takes_no_visits(drop_in, worker):
    drop_in.active = False
    drop_in.save()
    response = record(worker, drop_in)
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:low_threshold")
    assert not Visit.objects.exists()


def test_the_day_keeps_for_a_run_of_visits_of_an_earlier_day(drop_in, worker):
    day = TODAY - datetime.timedelta(days=2)
    response = record(worker, drop_in, day=day.isoformat())
    assert response["Location"].endswith(f"?day={day.isoformat()}")
    page = client_for(worker).get(response["Location"])
    assert page.context["form"].initial["day"] == day


def test_recording_writes_no_audit_row(drop_in, worker):
    record(worker, drop_in)
    assert not AccessLog.objects.exists()


# -- the services, kept by the unit's team leader --------------------------------------------


def test_the_team_leader_adds_a_service_and_stops_offering_it(unit, leader, worker):
    client = client_for(leader)
    response = client.post(
        reverse("outcomes:low_threshold"), {"unit": unit.pk, "name": "Walk-in counselling"}
    )
    assert response.status_code == 302
    service = LowThresholdService.objects.get()
    assert (service.unit, service.name, service.active) == (unit, "Walk-in counselling", True)
    assert (
        b"Walk-in counselling" in client_for(worker).get(reverse("outcomes:low_threshold")).content
    )

    client.post(reverse("outcomes:service_active", args=[service.pk]), {"active": "0"})
    service.refresh_from_db()
    assert not service.active
    assert b"Walk-in counselling" not in client_for(worker).get(
        reverse("outcomes:low_threshold")
    ).content  # fmt: skip


def test_a_service_name_is_once_per_unit(unit, leader, drop_in):
    response = client_for(leader).post(
        reverse("outcomes:low_threshold"), {"unit": unit.pk, "name": "open drop-in"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert LowThresholdService.objects.count() == 1


def test_a_worker_cannot_add_or_stop_a_service(unit, worker, drop_in):
    client = client_for(worker)
    response = client.post(reverse("outcomes:low_threshold"), {"unit": unit.pk, "name": "X"})
    assert response.status_code == 403
    url = reverse("outcomes:service_active", args=[drop_in.pk])
    assert client.post(url, {"active": "0"}).status_code == 403
    assert LowThresholdService.objects.get().active


def test_another_units_leader_cannot_touch_the_service(unit, other_leader, drop_in):
    client = client_for(other_leader)
    url = reverse("outcomes:service_active", args=[drop_in.pk])
    assert client.post(url, {"active": "0"}).status_code == 404
    response = client.post(reverse("outcomes:low_threshold"), {"unit": unit.pk, "name": "X"})
    assert response.status_code == 400  # not one of the units they lead
    assert LowThresholdService.objects.count() == 1
    assert LowThresholdService.objects.get().active


@pytest.mark.parametrize(
    "name", ["outcomes:service_active", "outcomes:visit_new", "outcomes:visit_link"]
)
def test_a_post_url_refuses_other_methods(name, drop_in, leader, worker, person, case):
    arg = person.pk if name == "outcomes:visit_link" else drop_in.pk
    url = reverse(name, args=[arg])
    client = client_for(leader)
    methods = ["put", "patch", "delete"] + (["get"] if name == "outcomes:service_active" else [])
    for method in methods:
        assert getattr(client, method)(url).status_code == 405, method
    assert LowThresholdService.objects.get().active
    assert not AccessLog.objects.exists()


# -- linking a visit to a client, with consent ------------------------------------------------


def link(user, person, the_visit, **data):
    return client_for(user).post(
        reverse("outcomes:visit_link", args=[person.pk]),
        {"visit": the_visit.pk, "consent": "on", "consent_on": TODAY.isoformat()} | data,
    )


def test_a_visit_is_linked_with_consent_and_audited(drop_in, worker, person, case):
    the_visit = visit(drop_in, worker)
    response = link(worker, person, the_visit)

    assert response.status_code == 302
    linked = VisitLink.objects.get()
    assert (linked.visit, linked.person, linked.consent_on, linked.consent_recorded_by) == (
        the_visit, person, TODAY, worker
    )  # fmt: skip
    row = AccessLog.objects.get()
    assert (row.user, row.person, row.action, row.role) == (worker, person, "update", "assigned")
    page = client_for(worker).get(reverse("outcomes:person", args=[person.pk]))
    assert b"Open drop-in" in page.content
    assert f"recorded by {worker.get_full_name()}".encode() in page.content


def test_no_link_without_consent(drop_in, worker, person, case):
    the_visit = visit(drop_in, worker)
    response = link(worker, person, the_visit, consent="")
    assert response.status_code == 200
    assert response.context["form"].errors["consent"]
    assert not VisitLink.objects.exists()


def test_the_database_refuses_a_link_without_consent(drop_in, worker, person):
    the_visit = visit(drop_in, worker)
    with transaction.atomic(), pytest.raises(IntegrityError):
        VisitLink.objects.create(visit=the_visit, person=person, consent_recorded_by=worker)
    with transaction.atomic(), pytest.raises(IntegrityError):
        VisitLink.objects.create(visit=the_visit, person=person, consent_on=TODAY)
    assert not VisitLink.objects.exists()


def test_consent_cannot_be_dated_ahead(drop_in, worker, person, case):
    the_visit = visit(drop_in, worker)
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    response = link(worker, person, the_visit, consent_on=tomorrow)
    assert response.context["form"].errors["consent_on"]
    assert not VisitLink.objects.exists()


def test_a_colleague_who_may_not_open_the_client_cannot_link(drop_in, colleague, person, case):
    the_visit = visit(drop_in, colleague)
    assert link(colleague, person, the_visit).status_code == 403
    assert not VisitLink.objects.exists()
    assert not AccessLog.objects.exists()


def test_a_protected_person_cannot_be_linked_by_staff_not_named(drop_in, unit, worker):
    secret = PersonFactory(first_name="Hemlig", protected_identity=True)
    AssignmentFactory(case=CaseFactory(person=secret, unit=unit), worker=worker)
    the_visit = visit(drop_in, worker)

    response = link(worker, secret, the_visit)

    assert response.status_code == 404
    assert b"Hemlig" not in response.content
    assert not VisitLink.objects.exists()
    assert not AccessLog.objects.exists()
    secret.named_staff.add(worker)
    assert link(worker, secret, the_visit).status_code == 302
    assert VisitLink.objects.get().person == secret


def test_another_units_visit_cannot_be_linked(elsewhere, worker, outsider, person, case):
    theirs = visit(elsewhere, outsider)
    response = link(worker, person, theirs)
    assert response.status_code == 200
    assert response.context["form"].errors["visit"]
    assert not VisitLink.objects.exists()


def test_a_groups_visit_or_a_linked_one_cannot_be_linked(drop_in, worker, person, case):
    group = visit(drop_in, worker, persons=4)
    assert link(worker, person, group).context["form"].errors["visit"]
    other = PersonFactory()
    AssignmentFactory(case=CaseFactory(person=other, unit=drop_in.unit), worker=worker)
    the_visit = visit(drop_in, worker)
    assert link(worker, other, the_visit).status_code == 302
    assert link(worker, person, the_visit).context["form"].errors["visit"]
    assert link(worker, other, the_visit).status_code == 302  # sent twice: once
    assert VisitLink.objects.get().person == other


def test_the_link_form_shows_no_identity_and_only_the_users_units_visits(
    drop_in, elsewhere, worker, outsider, person, case
):
    mine = visit(drop_in, worker, sex="woman", age_band="35-44")
    visit(elsewhere, outsider)
    page = client_for(worker).get(reverse("outcomes:visit_link", args=[person.pk]))
    assert page.status_code == 200
    assert list(page.context["form"].fields["visit"].queryset) == [mine]
    assert b"Open drop-in" in page.content and b"Woman" in page.content
    assert b"Walk-in counselling" not in page.content


# -- the counts ---------------------------------------------------------------------------------


@pytest.fixture
def year_of_visits(unit, other_unit, worker, drop_in):
    """2025. The drop-in: 6 visits in January (one a group of 3: 8 persons), 2 in March, 7
    in December; counselling: 5 visits in January, 1 in June. A visit of 2024 and one of
    another unit are not counted."""
    counselling = LowThresholdService.objects.create(unit=unit, name="Counselling")
    for day in range(1, 6):
        visit(drop_in, worker, D(2025, 1, day))
    visit(drop_in, worker, D(2025, 1, 31), persons=3)
    visit(drop_in, worker, D(2025, 3, 4))
    visit(drop_in, worker, D(2025, 3, 5))
    for day in range(1, 8):
        visit(drop_in, worker, D(2025, 12, day))
    for day in range(6, 11):
        visit(counselling, worker, D(2025, 1, day))
    visit(counselling, worker, D(2025, 6, 1))
    visit(drop_in, worker, D(2024, 12, 31))
    other = LowThresholdService.objects.create(unit=other_unit, name="Elsewhere")
    visit(other, worker, D(2025, 1, 1))
    return drop_in, counselling


def test_the_month_counts_by_hand(year_of_visits, unit, django_assert_max_num_queries):
    drop_in, counselling = year_of_visits
    with django_assert_max_num_queries(2):
        rows = visit_counts.count(2025, [unit.pk])
    assert [row.service for row in rows] == [counselling, drop_in]  # by name
    by = {row.service: row for row in rows}
    assert by[drop_in].visits == {1: 6, 2: 0, 3: 2, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0, 9: 0, 10: 0,
                                  11: 0, 12: 7}  # fmt: skip
    assert by[drop_in].persons[1] == 8
    assert by[counselling].visits[1] == 5 and by[counselling].visits[6] == 1
    visits = visit_counts.grid(rows, "visits")
    assert visits[drop_in.pk, visit_counts.YEAR] == 15
    assert visits[visit_counts.TOTAL, 1] == 11
    assert visits[visit_counts.TOTAL, visit_counts.YEAR] == 21
    persons = visit_counts.grid(rows, "persons")
    assert persons[drop_in.pk, visit_counts.YEAR] == 17


def test_small_counts_are_hidden_and_cannot_be_worked_out(year_of_visits, unit):
    drop_in, counselling = year_of_visits
    rows = visit_counts.count(2025, [unit.pk])
    cells = visit_counts.suppress(rows, visit_counts.grid(rows, "visits"))
    assert cells[drop_in.pk, 1] == 6
    assert cells[counselling.pk, 1] == 5
    assert cells[visit_counts.TOTAL, 1] == 11
    assert cells[drop_in.pk, 3] is None  # 2
    assert cells[counselling.pk, 6] is None  # 1
    # No hidden count is the only one hidden of a sum it is part of.
    for key in (drop_in.pk, counselling.pk, visit_counts.TOTAL):
        months = [cells[key, m] for m in (*visit_counts.MONTHS, visit_counts.YEAR)]
        assert months.count(None) != 1
    for column in (*visit_counts.MONTHS, visit_counts.YEAR):
        services = [cells[k, column] for k in (drop_in.pk, counselling.pk, visit_counts.TOTAL)]
        assert services.count(None) != 1


def test_the_page_shows_the_counts_to_the_leader_with_small_cells_hidden(year_of_visits, leader):
    response = client_for(leader).get(reverse("outcomes:visit_statistics"), {"year": 2025})
    assert response.status_code == 200
    visits = response.context["tables"][0]
    assert visits["rows"][1][1][0] == 6  # the drop-in in January
    assert visits["rows"][1][1][2] is None  # March: 2
    assert b"&lt;5" in response.content
    assert b"Open drop-in" in response.content
    assert response.context["chart"] is not None
    assert response.context["chart_rows"][0][1] == 13  # persons in January


def test_the_csv_has_the_exact_counts_and_is_safe_from_formulas(year_of_visits, unit, leader):
    drop_in, _counselling = year_of_visits
    drop_in.name = '=HYPERLINK("http://x")'
    drop_in.save()
    response = client_for(leader).get(
        reverse("outcomes:visit_statistics_csv"), {"unit": unit.pk, "year": 2025}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Year", "Month", "Unit", "Service", "Visits", "Persons"]
    march = next(r for r in rows[1:] if r[3].startswith("'=") and r[1] == "3")
    assert march == ["2025", "3", unit.name, '\'=HYPERLINK("http://x")', "2", "2"]  # exact
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_a_worker_records_but_sees_no_statistics(drop_in, worker):
    client = client_for(worker)
    assert client.get(reverse("outcomes:visit_new", args=[drop_in.pk])).status_code == 200
    assert client.get(reverse("outcomes:visit_statistics")).status_code == 403
    assert client.get(reverse("outcomes:visit_statistics_csv")).status_code == 403
    assert b"visit_statistics" not in client.get(reverse("outcomes:low_threshold")).content


def test_a_manager_sees_the_units_below(year_of_visits, unit):
    root = unit.parent or unit
    manager = UserFactory.member(root, Role.MANAGER)
    response = client_for(manager).get(
        reverse("outcomes:visit_statistics"), {"unit": unit.pk, "year": 2025}
    )
    assert response.status_code == 200
    assert response.context["unit"] == unit


def test_another_leader_does_not_see_the_units_counts(year_of_visits, unit, other_leader):
    response = client_for(other_leader).get(
        reverse("outcomes:visit_statistics"), {"unit": unit.pk, "year": 2025}
    )
    assert response.status_code == 200
    assert response.context["unit"] != unit
    assert b"Open drop-in" not in response.content
    csv_file = client_for(other_leader).get(
        reverse("outcomes:visit_statistics_csv"), {"unit": unit.pk, "year": 2025}
    )
    assert b"Open drop-in" not in csv_file.content


# -- the demo -----------------------------------------------------------------------------------


def test_the_demo_gives_the_unit_a_drop_in_and_counselling_with_a_year_of_visits(
    unit, worker, colleague, leader
):
    made = demo.load_low_threshold(unit, [worker, colleague])
    assert sorted(s.name for s in made) == ["Rådgivning utan tidsbokning", "Öppen mottagning"]
    first = Visit.objects.order_by("day").first()
    assert first is not None and first.day.year == TODAY.year - 1
    last_year = visit_counts.count(TODAY.year - 1, [unit.pk])
    assert all(sum(row.visits.values()) > 100 for row in last_year)
    assert all(row.visits[7] == 0 for row in last_year)  # closed in July
    assert Visit.objects.filter(persons__gt=1).exists()
    before = Visit.objects.count()
    demo.load_low_threshold(unit, [worker])  # again: nothing more
    assert Visit.objects.count() == before
    page = client_for(leader).get(reverse("outcomes:visit_statistics"), {"year": TODAY.year - 1})
    assert any(n for _month, n in page.context["chart_rows"])


def test_the_link_form_offers_the_visits_of_the_day_asked(drop_in, worker, person, case):
    earlier = TODAY - datetime.timedelta(days=3)
    then = visit(drop_in, worker, day=earlier)
    visit(drop_in, worker)
    url = reverse("outcomes:visit_link", args=[person.pk])
    page = client_for(worker).get(url, {"day": earlier.isoformat()})
    assert list(page.context["form"].fields["visit"].queryset) == [then]
    response = client_for(worker).post(
        f"{url}?day={earlier.isoformat()}",
        {"visit": then.pk, "consent": "on", "consent_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert VisitLink.objects.get().visit == then
