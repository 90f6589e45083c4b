"""Finding a client again: the search by name or identity number, the recently closed
cases, a closed client's page, and the 404 page of a client one may not see."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tillit.audit.models import AccessLog, Listed
from tillit.clients.search import CLOSED_PAGE_SIZE, SEARCH_LIMIT
from tillit.conftest import client_for
from tillit.factories import AssignmentFactory, CaseFactory, PersonFactory, UserFactory
from tillit.org.models import Membership, Role
from tillit.tests.test_crawl import IDENTITY_SHAPED, Links

SEARCH = "/clients/search/"
CLOSED = "/cases/closed/"


def close(case, days_ago: int = 3):
    case.set_status("closed", on=timezone.localdate() - datetime.timedelta(days=days_ago))
    return case


def found(response) -> list[str]:
    return [person.full_name for person in response.context["persons"] or []]


def listed(row: AccessLog) -> set[int]:
    return set(Listed.objects.filter(log=row).values_list("person_id", flat=True))


@pytest.fixture
def closed_case(case):
    return close(case)


# -- search by name ------------------------------------------------------------------------


def test_the_worker_finds_their_closed_client_by_name(worker, closed_case, person):
    response = client_for(worker).get(SEARCH, {"q": "kim"})

    assert found(response) == ["Kim Client"]
    assert [c.status for c in response.context["persons"][0].shown] == ["closed"]
    assert reverse("clients:person", args=[person.pk]) in response.text


def test_every_word_of_the_name_must_match(worker, case):
    assert found(client_for(worker).get(SEARCH, {"q": "Kim Client"})) == ["Kim Client"]
    assert found(client_for(worker).get(SEARCH, {"q": "Kim Other"})) == []


def test_a_name_with_swedish_letters_is_found_typed_in_lower_case(worker, unit):
    case = CaseFactory(person=PersonFactory(first_name="Åsa", last_name="Öberg"), unit=unit)
    AssignmentFactory(case=case, worker=worker)

    assert found(client_for(worker).get(SEARCH, {"q": "åsa öberg"})) == ["Åsa Öberg"]


def test_opening_the_search_lists_no_one_and_is_still_recorded(worker, case):
    response = client_for(worker).get(SEARCH)

    assert response.context["persons"] is None
    row = AccessLog.objects.latest("id")
    assert (row.user, row.detail, listed(row)) == (worker, {"page": "search"}, set())


def test_the_search_records_whom_it_showed(worker, case, person):
    client_for(worker).get(SEARCH, {"q": "Client"})

    row = AccessLog.objects.latest("id")
    assert row.user == worker and row.action == "read" and row.person is None
    assert row.detail == {"page": "search"}
    assert listed(row) == {person.pk}


def test_a_long_list_asks_for_more_of_the_name(leader, unit):
    for _n in range(SEARCH_LIMIT + 1):
        CaseFactory(person=PersonFactory(last_name="Andersson"), unit=unit)
    client = client_for(leader)
    client.cookies["django_language"] = "en"

    response = client.get(SEARCH, {"q": "andersson"})

    assert len(found(response)) == SEARCH_LIMIT
    assert "give more of the name" in response.text
    assert len(listed(AccessLog.objects.latest("id"))) == SEARCH_LIMIT


def test_a_number_typed_as_a_name_is_refused_not_searched(worker, case, person):
    client = client_for(worker)
    client.cookies["django_language"] = "en"

    response = client.get(SEARCH, {"q": person.id_number})

    assert response.context["persons"] is None
    assert "a number is never put in the page" in response.text
    assert 'pattern="[^0-9]*"' in response.text  # the browser does not send it at all


# -- search by identity number, POSTed ------------------------------------------------------


def test_the_worker_finds_their_client_by_identity_number(worker, closed_case, person):
    response = client_for(worker).post(
        SEARCH, {"lookup-id_country": "se", "lookup-id_number": person.id_number}
    )

    assert response.status_code == 200
    assert found(response) == ["Kim Client"]
    assert listed(AccessLog.objects.latest("id")) == {person.pk}


def test_the_number_is_found_in_any_form_the_user_types_it(worker, case, person):
    short = person.id_number[2:].replace("-", "")  # ten digits, no dash

    response = client_for(worker).post(
        SEARCH, {"lookup-id_country": "se", "lookup-id_number": short}
    )

    assert found(response) == ["Kim Client"]


def test_a_wrong_number_says_so_and_lists_no_one(worker, case, person):
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    wrong = person.id_number[:-1] + str((int(person.id_number[-1]) + 1) % 10)

    response = client.post(SEARCH, {"lookup-id_country": "se", "lookup-id_number": wrong})

    assert response.context["persons"] is None
    assert "check digit is wrong" in response.text


def test_no_number_travels_in_a_url_of_the_answer(worker, closed_case, person):
    response = client_for(worker).post(
        SEARCH, {"lookup-id_country": "se", "lookup-id_number": person.id_number}
    )

    parser = Links()
    parser.feed(response.text)
    urls = [url for _method, url in parser.found]
    assert reverse("clients:person", args=[person.pk]) in urls
    assert not [url for url in urls if IDENTITY_SHAPED.search(url)]
    assert "?" not in response.request["PATH_INFO"] and not response.request["QUERY_STRING"]


def test_a_number_in_the_address_is_not_searched(worker, case, person):
    response = client_for(worker).get(
        SEARCH, {"lookup-id_country": "se", "lookup-id_number": person.id_number}
    )

    assert response.context["persons"] is None


# -- the policy ------------------------------------------------------------------------------


@pytest.fixture
def elsewhere(other_unit):
    """A client of another unit, with a worker of their own there."""
    case = CaseFactory(
        person=PersonFactory(first_name="Kim", last_name="Elsewhere"), unit=other_unit
    )
    AssignmentFactory(case=case, worker=UserFactory.member(other_unit, Role.WORKER))
    return close(case)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("worker", ["Kim Client"]),
        ("colleague", []),  # same unit, not on the case: need to know
        ("outsider", []),
        ("leader", ["Kim Client"]),
        ("other_leader", ["Kim Elsewhere"]),
    ],
)
def test_each_finds_only_whom_they_may_open(persona, expected, personas, case, elsewhere):
    user = personas[persona]

    by_name = client_for(user).get(SEARCH, {"q": "Kim"})
    by_number = [
        client_for(user).post(
            SEARCH, {"lookup-id_country": "se", "lookup-id_number": c.person.id_number}
        )
        for c in (case, elsewhere)
    ]

    assert found(by_name) == expected
    assert [name for r in by_number for name in found(r)] == expected
    for name in {"Kim Client", "Kim Elsewhere"} - set(expected):
        assert name not in by_name.text


def test_an_ended_assignment_is_not_found(worker, colleague, closed_case):
    from tillit.clients import services

    services.assignment_start(case=closed_case, worker=colleague, role="contact_person")

    assert found(client_for(worker).get(SEARCH, {"q": "Kim"})) == []
    assert found(client_for(colleague).get(SEARCH, {"q": "Kim"})) == ["Kim Client"]


def test_a_protected_person_is_found_only_by_the_staff_named_on_them(worker, leader, case, person):
    person.protected_identity = True
    person.save()
    number = {"lookup-id_country": "se", "lookup-id_number": person.id_number}

    for user in (worker, leader):
        assert found(client_for(user).get(SEARCH, {"q": "Kim"})) == []
        assert found(client_for(user).post(SEARCH, number)) == []
        assert listed(AccessLog.objects.latest("id")) == set()

    person.named_staff.add(worker)
    assert found(client_for(worker).get(SEARCH, {"q": "Kim"})) == ["Kim Client"]
    assert found(client_for(worker).post(SEARCH, number)) == ["Kim Client"]
    assert found(client_for(leader).get(SEARCH, {"q": "Kim"})) == []


def test_a_removed_case_is_not_found(worker, closed_case):
    closed_case.removed_on = timezone.localdate()
    closed_case.save()

    assert found(client_for(worker).get(SEARCH, {"q": "Kim"})) == []


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EVALUATOR, Role.ADMINISTRATOR])
def test_roles_that_see_no_client_have_no_search(role, unit, case):
    user = UserFactory.member(unit, role)
    before = AccessLog.objects.count()
    client = client_for(user)
    client.cookies["django_language"] = "en"

    for response in (client.get(SEARCH, {"q": "Kim"}), client.get(CLOSED)):
        assert response.status_code == 403
        assert "Your role sees no client" in response.text
        assert "Kim Client" not in response.text
    assert AccessLog.objects.count() == before


# -- recently closed cases -------------------------------------------------------------------


def test_the_worker_lists_their_recently_closed_cases_newest_first(worker, colleague, unit):
    mine = []
    for days_ago in (40, 2, 10):
        case = CaseFactory(unit=unit)
        AssignmentFactory(case=case, worker=worker)
        mine.append(close(case, days_ago))
    CaseFactory(unit=unit, person__last_name="Stillopen")
    AssignmentFactory(case=CaseFactory(unit=unit), worker=worker)  # open
    long_ago = CaseFactory(unit=unit)
    AssignmentFactory(case=long_ago, worker=worker)
    close(long_ago, 400)
    not_mine = CaseFactory(unit=unit)
    AssignmentFactory(case=not_mine, worker=colleague)
    close(not_mine)

    response = client_for(worker).get(CLOSED)

    shown = list(response.context["page"])
    assert shown == [mine[1], mine[2], mine[0]]
    row = AccessLog.objects.latest("id")
    assert row.detail == {"page": "closed"}
    assert listed(row) == {c.person_id for c in mine}


def test_the_team_leader_lists_their_units_closed_cases(
    leader, other_leader, closed_case, elsewhere
):
    assert list(client_for(leader).get(CLOSED).context["page"]) == [closed_case]
    assert list(client_for(other_leader).get(CLOSED).context["page"]) == [elsewhere]


def test_a_leader_of_two_units_lists_both(closed_case, elsewhere, unit, other_unit):
    both = UserFactory.member(unit, Role.TEAM_LEADER)
    Membership.objects.create(user=both, unit=other_unit, role=Role.TEAM_LEADER)

    assert set(client_for(both).get(CLOSED).context["page"]) == {closed_case, elsewhere}


def test_the_closed_cases_come_in_pages(leader, unit):
    for _n in range(CLOSED_PAGE_SIZE + 1):
        close(CaseFactory(unit=unit))
    client = client_for(leader)

    first = client.get(CLOSED)
    second = client.get(CLOSED, {"page": "2"})

    assert len(first.context["page"]) == CLOSED_PAGE_SIZE
    assert 'href="?page=2"' in first.text
    assert len(second.context["page"]) == 1
    assert len(listed(AccessLog.objects.latest("id"))) == 1


def test_a_protected_persons_closed_case_is_listed_only_for_the_named(worker, leader, closed_case):
    closed_case.person.protected_identity = True
    closed_case.person.save()
    closed_case.person.named_staff.add(worker)

    assert list(client_for(worker).get(CLOSED).context["page"]) == [closed_case]
    response = client_for(leader).get(CLOSED)
    assert list(response.context["page"]) == []
    assert "Kim" not in response.text


def test_the_caseload_and_the_search_link_to_the_closed_cases(worker, leader, case):
    assert f'href="{CLOSED}"' in client_for(worker).get(reverse("clients:caseload")).text
    assert f'href="{CLOSED}"' in client_for(leader).get(SEARCH).text


# -- a closed client's page ------------------------------------------------------------------


def test_the_worker_and_the_leader_open_a_closed_clients_page(worker, leader, closed_case, person):
    url = reverse("clients:person", args=[person.pk])

    for user in (worker, leader):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert response.context["cases"] == [closed_case]
        assert response.context["write_case"] is None  # nothing to write in a closed case


def test_a_removed_case_stays_hidden(worker, leader, closed_case, person):
    closed_case.removed_on = timezone.localdate()
    closed_case.save()
    url = reverse("clients:person", args=[person.pk])

    assert client_for(worker).get(url).status_code == 404
    assert client_for(leader).get(url).status_code == 404
    assert list(client_for(leader).get(CLOSED).context["page"]) == []


# -- the 404 of a client one may not see ----------------------------------------------------

NO_CLIENT = {
    "en": "No client here that you may see",
    "sv": "Här finns ingen klient som du får se",
    "nb": "Her er det ingen bruker du har tilgang til",
}


@pytest.mark.parametrize("language", ["en", "sv", "nb"])
def test_a_client_outside_ones_units_answers_404_saying_whom_to_ask(
    language, outsider, case, person
):
    client = client_for(outsider)
    client.cookies["django_language"] = language

    response = client.get(reverse("clients:person", args=[person.pk]))

    assert response.status_code == 404
    assert NO_CLIENT[language] in response.text
    assert person.last_name not in response.text


def test_every_record_of_a_client_says_the_same(outsider, entry, case):
    client = client_for(outsider)
    client.cookies["django_language"] = "en"
    for url in (
        reverse("clients:entry_correct", args=[entry.pk]),
        reverse("plans:person", args=[case.person_id]),
        reverse("clients:person", args=[10**9]),  # no such client: the same answer
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert NO_CLIENT["en"] in response.text


def test_inside_ones_unit_the_403_still_offers_emergency_access(colleague, case, person):
    client = client_for(colleague)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("clients:person", args=[person.pk]))

    assert response.status_code == 403
    assert "Request emergency access" in response.text
    assert NO_CLIENT["en"] not in response.text


def test_what_is_not_a_client_is_simply_not_found(worker, other_unit):
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    for url in ("/no/such/page/", reverse("clients:unit", args=[other_unit.pk])):
        response = client.get(url)
        assert response.status_code == 404
        assert "There is nothing here" in response.text
        assert NO_CLIENT["en"] not in response.text


def test_a_client_in_the_portal_is_not_told_to_ask_a_team_leader(client_other, released):
    client = client_for(client_other)
    client.cookies["django_language"] = "en"

    response = client.post(reverse("portal:comment", args=[released.pk]), {"text": "Not mine"})

    assert response.status_code == 404
    assert NO_CLIENT["en"] not in response.text


@pytest.fixture
def released(entry, worker):
    from tillit.portal.services import entry_release

    entry_release(actor=worker, entry=entry)
    return entry


def test_the_pages_cost_the_same_queries_for_one_client_or_many(leader, unit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url, data=None):
        client = client_for(leader)
        client.get(url, data)  # the session's first save is not the page's
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, data).status_code == 200
        return len(captured)

    close(CaseFactory(unit=unit, person__last_name="Lund"))
    few = (queries(SEARCH, {"q": "lund"}), queries(CLOSED))
    for _n in range(5):
        case = close(CaseFactory(unit=unit, person__last_name="Lund"))
        AssignmentFactory(case=case)
    assert (queries(SEARCH, {"q": "lund"}), queries(CLOSED)) == few
