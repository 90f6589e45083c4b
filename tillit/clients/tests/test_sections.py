"""The navigation of a client's record (tillit.clients.sections): the same areas on every
page of the client, where the reader is, and what needs attention, over the cases the
reader may open only."""

import re

from django.urls import reverse

from tillit.conftest import client_for
from tillit.factories import CaseFactory, EntryFactory


def nav(page: str) -> str:
    return re.search(r'<nav class="client-nav".*?</nav>', page, re.S)[0]


def test_every_page_of_the_client_has_the_same_areas_and_marks_where_one_is(worker, person, case):
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    pages = {
        "clients:person": "Journal",
        "assessment:person": "Assessment",
        "decisions:person": "Decisions",
        "plans:person": "Plans",
        "outcomes:person": "Interventions",
        "bam:person": "Weak and strong moments",
        "feedback:person": "Feedback and alerts",
        "network:map": "Network",
        "followup:person": "Closing and follow-up",
    }
    links = set()
    for url_name, label in pages.items():
        shown = nav(client.get(reverse(url_name, args=[person.pk])).content.decode())
        assert re.search(rf'aria-current="page">{label}', shown), url_name
        links.add(tuple(re.findall(r'href="([^"]+)"', shown)))
    assert len(links) == 1  # the same navigation everywhere
    assert len(next(iter(links))) == len(pages)


def test_what_needs_attention_is_counted_on_the_readers_own_cases(worker, unit, person, case):
    from tillit.feedback.tests.test_collect import record

    entry = EntryFactory(case=case, author=worker, signed=True)
    record(entry, "relationship", 2)  # a low score: an open alert
    EntryFactory(case=case, author=worker)  # my draft
    elsewhere = CaseFactory(person=person)  # another unit's case of the same client
    record(EntryFactory(case=elsewhere, author=worker, signed=True), "relationship", 1)
    client = client_for(worker)
    client.cookies["django_language"] = "en"

    shown = nav(client.get(reverse("clients:person", args=[person.pk])).content.decode())

    assert "1 unsigned draft" in shown
    assert "1 open alert" in shown  # not the alert on the case the worker may not open
