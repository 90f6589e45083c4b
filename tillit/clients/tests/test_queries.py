"""Query budgets: the caseload and the client's page cost the same number of queries
however many cases and entries there are."""

import re

import pytest
from django.urls import reverse

from tillit.clients import services
from tillit.clients.views import JOURNAL_PAGE_SIZE
from tillit.conftest import client_for
from tillit.factories import AssignmentFactory, CaseFactory, EntryFactory, UserFactory
from tillit.portal.models import ClientComment

# A read is no transaction (tillit.lib.middleware), so no SAVEPOINT pair is counted.
# session, its user with their roles, cases with last contact, contact persons, audit row
# and the clients it lists (tillit.audit.models.Listed), and the due list: plan reviews,
# decisions ending, decisions not carried out, follow-ups (tillit/followup/due.py)
CASELOAD_QUERIES = 10
# session, its user with their roles, person with cases, their grant, open alerts and whether
# the person is in a group, audit row, assignments, the journal's page with its total, the
# client's comments on it, the earlier versions of corrected entries, the cases' hand-overs
# and the units a case may be handed over to
PERSON_QUERIES = 11  # and the client's navigation's attention counts


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
    client = client_for(worker)
    url = reverse("clients:person", args=[person.pk])
    with django_assert_num_queries(PERSON_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cases"]) == cases
    shown = response.context["entries"]
    assert len(shown) == min(cases * (entries + 1), JOURNAL_PAGE_SIZE)
    assert any(entry.earlier for entry in shown) == (entries > 0)


def test_the_journal_shows_the_clients_comments_in_order(worker, case, entry):
    ClientComment.objects.create(entry=entry, person=case.person, text="First thought")
    client = client_for(worker)
    url = reverse("clients:person", args=[case.person_id])
    assert "First thought" in _journal_html(client.get(url))
    ClientComment.objects.create(entry=entry, person=case.person, text="Second thought")
    page = _journal_html(client.get(url))
    assert page.index("First thought") < page.index("Second thought")


def test_caseload_rows_follow_what_they_show(worker, colleague, unit, case, person):
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    url = reverse("clients:caseload")

    def row() -> str:
        return client.get(url).content.decode().split("<tbody>")[1]

    services.assignment_start(case=case, worker=worker, role="treatment")
    assert str(worker) in row()  # the contact person
    services.assignment_start(case=case, worker=colleague, role="contact_person")
    assert str(colleague) in row() and str(worker) not in row()
    unit.name = "Renamed unit"
    unit.save()
    assert "Renamed unit" in row()
    EntryFactory(case=case, author=worker)  # a draft of mine
    assert "1 unsigned draft" in row()


def test_the_caseload_answers_for_each_worker(worker, colleague, unit, case, person):
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


def test_a_client_registered_today_is_not_flagged_as_quiet(worker, unit, case):
    import datetime

    from django.utils import timezone

    client = client_for(worker)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("clients:caseload")).content.decode()
    assert "No contact in 30 days" not in page  # opened today, nothing written yet
    case.opened_on = timezone.localdate() - datetime.timedelta(days=31)
    case.save()
    assert "No contact in 30 days" in client.get(reverse("clients:caseload")).content.decode()
