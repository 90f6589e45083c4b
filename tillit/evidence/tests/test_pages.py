"""The evidence pages: who may open which, that no page or file names a client, that
small groups stay hidden, and that the query count does not grow with the cases."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from tillit.conftest import client_for
from tillit.evidence import alliance, continuity, mine, refresh, workload
from tillit.evidence.stats import smallest_published
from tillit.evidence.tests.data import SECRET_NAMES, SECRET_NUMBER, SECRET_TEXT, meeting_case
from tillit.factories import PersonFactory, UnitFactory, UserFactory
from tillit.org.models import Role

PAGES = ["continuity", "caseload", "alliance"]
LEADER_URLS = [
    "evidence:index",
    *(f"evidence:{p}" for p in PAGES),
    *(f"evidence:{p}_csv" for p in PAGES),
    *(f"evidence:{p}_xlsx" for p in PAGES),
]
MINE_URLS = ["evidence:mine", "evidence:mine_csv", "evidence:mine_xlsx"]


def text_of(response) -> str:
    """Everything a response says, an Excel workbook's sheets unpacked."""
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = zipfile.ZipFile(io.BytesIO(response.content))
        return " ".join(book.read(name).decode() for name in book.namelist())
    return response.content.decode("utf-8-sig")


@pytest.fixture
def town(db):
    """A municipality: an integrated unit of 6 clients who keep their worker, an intake
    unit below it, and a client with distinctive names, number and journal text."""
    root = UnitFactory(name="Kommunen", does_intervention=False)
    unit = UnitFactory(name="Samlade teamet", parent=root, does_assessment=True)
    other = UnitFactory(name="Mottagningsenheten", parent=root, does_intake=True)
    a = UserFactory.member(unit, Role.WORKER, username="a")
    b = UserFactory.member(unit, Role.WORKER, username="b")
    c = UserFactory.member(other, Role.WORKER, username="c")
    secret = PersonFactory(
        first_name=SECRET_NAMES[0], last_name=SECRET_NAMES[1], id_number=SECRET_NUMBER
    )
    for n in range(6):
        meeting_case(
            unit,
            [a],
            meetings=[a, a, b],
            checks=[(6, 4), (8, 6)],
            person=secret if n == 0 else None,
        )
    meeting_case(other, [c], meetings=[c])
    refresh.refresh()
    return {
        "root": root,
        "unit": unit,
        "other": other,
        "a": a,
        "c": c,
        "leader": UserFactory.member(unit, Role.TEAM_LEADER, username="tl"),
        "other_leader": UserFactory.member(other, Role.TEAM_LEADER, username="otl"),
        "manager": UserFactory.member(root, Role.MANAGER, username="mgr"),
        "evaluator": UserFactory.member(root, Role.EVALUATOR, username="ev"),
        "administrator": UserFactory.member(
            root, Role.ADMINISTRATOR, username="adm", is_staff=True
        ),
    }


@pytest.mark.parametrize("who", ["leader", "manager"])
def test_leaders_open_every_page_and_file(town, who):
    client = client_for(town[who])
    for name in LEADER_URLS:
        assert client.get(reverse(name)).status_code == 200, name


@pytest.mark.parametrize("who", ["evaluator", "administrator"])
def test_evaluators_and_administrators_get_403(town, who):
    client = client_for(town[who])
    for name in LEADER_URLS + MINE_URLS:
        assert client.get(reverse(name)).status_code == 403, name


def test_a_worker_sees_their_own_figures_only(town):
    client = client_for(town["a"])
    for name in LEADER_URLS[1:]:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("evidence:index")).status_code == 200
    for name in MINE_URLS:
        assert client.get(reverse(name)).status_code == 200, name
    # c held one meeting, a held 12: a's page counts a's.
    figures = mine.mine(town["a"].pk, 2026)
    assert sum(row.cells[1].n for row in figures[0].rows) == 12
    assert client_for(town["leader"]).get(reverse("evidence:mine")).status_code == 403


def test_a_team_leader_sees_no_other_units_figures(town):
    body = client_for(town["leader"]).get(reverse("evidence:continuity")).content.decode()
    assert "Samlade teamet" in body
    assert "Mottagningsenheten" not in body
    other = client_for(town["other_leader"]).get(reverse("evidence:continuity")).content.decode()
    assert "Samlade teamet" not in other
    manager = client_for(town["manager"]).get(reverse("evidence:continuity")).content.decode()
    assert "Samlade teamet" in manager and "Mottagningsenheten" in manager


def test_no_page_or_file_names_a_client_or_shows_their_words(town):
    digits = SECRET_NUMBER.replace("-", "")
    for who, names in (("manager", LEADER_URLS), ("a", [*MINE_URLS, "evidence:index"])):
        client = client_for(town[who])
        for name in names:
            for query in ("", "?year=2025", "?figure=alliance_by_band"):
                said = text_of(client.get(reverse(name) + query))
                for secret in (*SECRET_NAMES, SECRET_NUMBER, digits, digits[2:], SECRET_TEXT):
                    assert secret not in said, (who, name, secret)


def test_small_groups_are_hidden_and_marked(town):
    body = client_for(town["manager"]).get(reverse("evidence:continuity")).content.decode()
    # The intake unit has one case: its row says <5 and shows no mean.
    assert "&lt;5" in body
    # The integrated unit has 6: shown, and marked as too few to compare.
    assert "<abbr title=" in body


def test_no_published_cell_counts_fewer_than_five(town):
    units = {town["root"].pk, town["unit"].pk, town["other"].pk}
    for page in (continuity.continuity, workload.caseload, alliance.alliance):
        for figure in page(units, 2026):
            smallest = smallest_published(figure.estimates())
            assert smallest is None or smallest >= 5, figure.key


def test_a_bad_year_is_a_form_error_not_a_500(town):
    response = client_for(town["manager"]).get(reverse("evidence:alliance") + "?year=abc")
    assert response.status_code == 200
    assert b"has-error" in response.content


def _more(town, n):  # type: ignore[no-untyped-def]
    for _ in range(n):
        meeting_case(town["unit"], [town["a"]], meetings=[town["a"]], checks=[(5, 5)])
    refresh.refresh()


@pytest.mark.parametrize("name", [*LEADER_URLS[1:4], "evidence:mine"])
def test_the_query_count_does_not_grow_with_the_cases(town, name, django_assert_num_queries):
    who = "a" if name == "evidence:mine" else "manager"
    client = client_for(town[who])
    client.get(reverse(name))  # the session's first read
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(reverse(name))
    _more(town, 12)
    with django_assert_num_queries(len(before)):
        client.get(reverse(name))
