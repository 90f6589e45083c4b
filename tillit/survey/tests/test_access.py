"""Who sees what: the periods for the unit's staff, the results for its team leaders and
managers; opening a period for those who lead the unit; the CSV safe in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tillit.conftest import client_for
from tillit.factories import UnitFactory, UserFactory
from tillit.org.models import Role
from tillit.survey.models import Period
from tillit.survey.tests.data import TODAY, answers, ended_period, make_period

LAST = TODAY.year - 1


@pytest.fixture
def root(unit, other_unit):
    top = UnitFactory(name="Socialtjänsten")
    for child in (unit, other_unit):
        child.parent = top
        child.save()
    return top


@pytest.fixture
def manager(root):
    return UserFactory.member(root, Role.MANAGER, username="manager")


@pytest.fixture
def evaluator(root):
    return UserFactory.member(root, Role.EVALUATOR, username="evaluator")


@pytest.fixture
def figures(unit, other_unit, leader, other_leader):
    answers(ended_period(unit, leader), 12, respect=4)
    answers(ended_period(other_unit, other_leader), 11, respect=1)


def test_workers_and_evaluators_get_403_on_the_results(worker, evaluator, figures):
    for user in (worker, evaluator):
        for name in ("survey:results", "survey:results_csv"):
            assert client_for(user).get(reverse(name)).status_code == 403


def test_a_team_leader_sees_their_unit_and_not_another(leader, unit, other_unit, figures):
    client = client_for(leader)
    page = client.get(reverse("survey:results") + f"?year={LAST}")
    assert page.status_code == 200
    assert [u.unit for u in page.context["found"].units] == [unit]
    assert page.context["shown"].rows[2].percent == 100  # respect

    assert client.get(reverse("survey:results") + f"?unit={other_unit.pk}").status_code == 404
    assert client.get(reverse("survey:results") + "?unit=x").status_code == 404


def test_a_manager_sees_every_unit_below(manager, unit, other_unit, figures):
    page = client_for(manager).get(reverse("survey:results") + f"?year={LAST}")
    assert {u.unit for u in page.context["found"].units} >= {unit, other_unit}
    theirs = client_for(manager).get(reverse("survey:results") + f"?unit={other_unit.pk}")
    assert theirs.context["shown"].rows[2].percent == 0
    assert "Öppenvården" in page.content.decode()


def test_the_results_page_has_a_chart_beside_its_table(leader, figures):
    text = client_for(leader).get(reverse("survey:results")).content.decode()
    assert "<svg" in text and "<table" in text


def test_no_results_yet_is_a_page_not_an_error(leader):
    assert client_for(leader).get(reverse("survey:results")).status_code == 200


def test_the_period_pages_are_the_units_staff_only(unit, leader, worker, outsider, other_leader):
    period = make_period(unit, leader)
    for name in ("survey:period", "survey:poster", "survey:paper_entry"):
        url = reverse(name, args=[period.pk])
        assert client_for(worker).get(url).status_code == 200
        assert client_for(leader).get(url).status_code == 200
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(other_leader).get(url).status_code == 404
    page = client_for(worker).get(reverse("survey:period", args=[period.pk])).content.decode()
    assert period.token in page and "<svg" in page  # the link and its QR code


def test_the_paper_form_is_a_pdf(unit, leader, worker):
    period = make_period(unit, leader)
    response = client_for(worker).get(reverse("survey:paper_form", args=[period.pk]) + "?lang=nb")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_team_leader_opens_a_period_and_a_worker_cannot(unit, leader, worker, other_unit):
    data = {
        "unit": unit.pk,
        "starts_on": TODAY.isoformat(),
        "ends_on": TODAY.replace(day=1).isoformat() if TODAY.day > 1 else TODAY.isoformat(),
    }
    assert client_for(worker).post(reverse("survey:period_new"), data).status_code == 403

    client = client_for(leader)
    client.cookies["django_language"] = "en"
    data["ends_on"] = (TODAY + __import__("datetime").timedelta(days=20)).isoformat()
    opened = client.post(reverse("survey:period_new"), data)
    assert opened.status_code == 302
    period = Period.objects.get()
    assert (period.unit, period.opened_by, period.starts_on) == (unit, leader, TODAY)

    overlap = client.post(reverse("survey:period_new"), data)
    assert "already has a survey period" in overlap.content.decode()
    other = client.post(reverse("survey:period_new"), {**data, "unit": other_unit.pk})
    assert other.status_code == 200  # not a unit of theirs: a form error
    assert Period.objects.count() == 1


def test_a_period_cannot_end_before_it_starts(unit, leader):
    client = client_for(leader)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("survey:period_new"),
        {"unit": unit.pk, "starts_on": "2030-05-10", "ends_on": "2030-05-01"},
    )
    assert "The last day cannot be before the first." in response.content.decode()
    assert not Period.objects.exists()


def test_the_csv_keeps_hidden_cells_hidden_and_formulas_harmless(leader, unit, other_unit):
    unit.name = '=HYPERLINK("http://evil")'
    unit.save()
    answers(ended_period(unit, leader), 9, respect=4)  # hidden

    response = client_for(leader).get(reverse("survey:results_csv") + f"?year={LAST}")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    body = rows[1:]
    assert body and all(row[0].startswith("'=") for row in body)
    assert all(row[2] == "9" for row in body)  # the number of answers is shown
    assert all(cell == ".." for row in body for cell in row[6:])  # nothing else
