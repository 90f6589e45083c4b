"""Query budgets: the caseload and the client's page cost the same number of queries
however many cases and entries there are."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from tillit.clients import services
from tillit.conftest import client_for
from tillit.factories import AssignmentFactory, CaseFactory, EntryFactory, UserFactory
from tillit.portal import services as portal_services
from tillit.portal.models import ClientComment

# A read is no transaction (tillit.lib.middleware), so no SAVEPOINT pair is counted.
# session with its user and their roles, cases with last contact, contact persons, audit row
# and the clients it lists (tillit.audit.models.Listed)
CASELOAD_QUERIES = 5
# session with its user and their roles, person with cases, their grant, open alerts and whether
# the person is in a group, audit row, assignments, the page's keys with the journal's total;
# then, for entries whose rendering is not cached (drafts, or signed entries not seen
# yet), their rows, their earlier versions and the client's comments on them
PERSON_QUERIES_CACHED = 5
PERSON_QUERIES = PERSON_QUERIES_CACHED + 2


def _grow(worker, unit, person, cases: int, entries: int) -> None:
    """`cases` cases of `person` on the worker's caseload, each with a history."""
    others = [UserFactory.member(unit) for _ in range(2)]
    for n in range(cases):
        case = CaseFactory(unit=unit, person=person)
        AssignmentFactory(case=case, worker=worker)
        AssignmentFactory(case=case, worker=others[n % 2], role="treatment")
        for i in range(entries):
            entry = EntryFactory(case=case, author=others[i % 2], signed=True)
            if i % 3 == 0:
                services.entry_correct(actor=worker, entry=entry, text="fixed", reason="typo")
        EntryFactory(case=case, author=worker)  # a draft
        CaseFactory(unit=unit)  # someone else's case in the unit


@pytest.mark.parametrize(("cases", "entries"), [(1, 2), (12, 15)])
def test_caseload_query_count_is_constant(
    worker, unit, person, cases, entries, django_assert_num_queries
):
    _grow(worker, unit, person, cases, entries)
    client = client_for(worker)
    with django_assert_num_queries(CASELOAD_QUERIES):
        response = client.get(reverse("clients:caseload"))
    assert len(response.context["cases"]) == cases


def _journal_html(response) -> str:
    """The journal as shown, without the per-request CSRF tokens of the drafts' forms."""
    journal = response.content.decode().split('id="journal-list"')[1]
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", journal)


@pytest.mark.parametrize(("cases", "entries"), [(1, 2), (4, 40)])
def test_person_page_query_count_is_constant(
    worker, unit, person, cases, entries, django_assert_num_queries
):
    _grow(worker, unit, person, cases, entries)
    cache.clear()
    client = client_for(worker)
    url = reverse("clients:person", args=[person.pk])
    with django_assert_num_queries(PERSON_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cases"]) == cases
    shown = [item.entry for item in response.context["entries"]]
    assert len(shown) == min(cases * (entries + 1), 30)
    assert any(entry.earlier for entry in shown) == (entries > 0)

    # Seen once, the signed entries come from the cache: only the drafts are read again,
    # and drafts have no earlier versions to read.
    with django_assert_num_queries(PERSON_QUERIES - 1):
        again = client.get(url)
    assert _journal_html(again) == _journal_html(response)
    signed = [e for e in shown if e.is_signed]
    assert [item.pk for item in again.context["entries"] if item.entry] == [
        e.pk for e in shown if not e.is_signed
    ]
    assert len(signed) > 0


def test_person_page_with_every_entry_cached_reads_no_entry_rows(
    worker, case, entry, django_assert_num_queries
):
    client = client_for(worker)
    url = reverse("clients:person", args=[case.person_id])
    client.get(url)
    with django_assert_num_queries(PERSON_QUERIES_CACHED):
        response = client.get(url)
    assert "Signed text" in response.content.decode()


def test_clients_comments_are_cached_with_their_entry_until_the_next_one(
    worker, case, entry, django_assert_num_queries
):
    ClientComment.objects.create(entry=entry, person=case.person, text="First thought")
    cache.clear()
    client = client_for(worker)
    url = reverse("clients:person", args=[case.person_id])
    # Not cached yet: the entry's row and its comments are read, then the item is cached.
    with django_assert_num_queries(PERSON_QUERIES_CACHED + 2):
        first = client.get(url)
    with django_assert_num_queries(PERSON_QUERIES_CACHED):
        again = client.get(url)
    assert _journal_html(again) == _journal_html(first)
    assert "First thought" in _journal_html(again)

    ClientComment.objects.create(entry=entry, person=case.person, text="Second thought")
    page = _journal_html(client.get(url))
    assert page.index("First thought") < page.index("Second thought")


def test_a_page_of_signed_entries_is_cached_whole_and_follows_a_new_one(worker, case, entry):
    cache.clear()
    client = client_for(worker)
    url = reverse("clients:person", args=[case.person_id])
    first = client.get(url)
    assert not first.context.get("journal_html")  # rendered item by item, then cached
    again = client.get(url)
    assert again.context["journal_html"] and _journal_html(again) == _journal_html(first)

    newer = EntryFactory(case=case, author=worker, signed=True, text="A newer entry")
    portal_services.entry_release(actor=worker, entry=entry)
    page = _journal_html(client.get(url))
    assert page.index(newer.text) < page.index(entry.text)  # a new page key, not the old page
    # A draft on the page: no page key, so nothing with its sign button is cached whole.
    EntryFactory(case=case, author=worker, text="Still a draft")
    response = client.get(url)
    assert not response.context["page_key"] and "Still a draft" in _journal_html(response)


def test_caseload_rows_are_cached_under_what_they_show(worker, colleague, unit, case, person):
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    url = reverse("clients:caseload")

    def row() -> str:
        return client.get(url).content.decode().split("<tbody>")[1]

    services.assignment_start(case=case, worker=worker, role="treatment")
    assert str(worker) in row()  # the contact person, now cached
    services.assignment_start(case=case, worker=colleague, role="contact_person")
    assert str(colleague) in row() and str(worker) not in row()
    unit.name = "Renamed unit"
    unit.save()
    assert "Renamed unit" in row()
    EntryFactory(case=case, author=worker)  # a draft of mine
    assert "1 unsigned draft" in row()


def test_the_caseload_query_is_built_once_per_worker_and_answers_for_that_worker(
    worker, colleague, unit, case, person
):
    """clients.views._caseload_of: built once per worker, run by a copy on each request."""
    from tillit.clients.views import _caseload_of

    assert _caseload_of(worker) is _caseload_of(worker)
    assert _caseload_of(worker) is not _caseload_of(colleague)
    other = CaseFactory(unit=unit)
    AssignmentFactory(case=other, worker=colleague)
    EntryFactory(case=case, author=colleague)  # a draft, but not the worker's

    def caseload(user) -> list:
        cases = client_for(user).get(reverse("clients:caseload")).context["cases"]
        return [(c.pk, c.my_drafts) for c in cases]

    assert caseload(worker) == [(case.pk, 0)]
    assert caseload(colleague) == [(other.pk, 0)]
    services.assignment_start(case=case, worker=colleague, role="contact_person")
    assert caseload(worker) == []
    assert sorted(caseload(colleague)) == sorted([(case.pk, 1), (other.pk, 0)])
    assert _caseload_of(worker)._result_cache is None  # never run itself
