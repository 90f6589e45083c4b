"""Several requests at once against the real database, on SQLite and PostgreSQL alike
(issue 22): threads, each with its own connection and login, post to the same endpoint at
the same moment. None may get a 5xx; what must happen once happens once, and every other
request is told, in words, that it already happened; writes that do not collide are all
stored.

On SQLite the test database is a file in WAL mode (tillit/conftest.py), so the threads
share it as a server's workers share the database.
"""

from __future__ import annotations

import datetime
import threading
import uuid
from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.db import connections
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tillit.clients.models import JournalEntry
from tillit.factories import AssignmentFactory, CaseFactory, EntryFactory, PersonFactory
from tillit.feedback import services as feedback
from tillit.feedback.models import Alert, Instrument, Response
from tillit.groups import services as groups
from tillit.groups.models import Attendance, Group, Session
from tillit.plans.tests.data import plan_with_goals

pytestmark = pytest.mark.django_db(transaction=True)

AT_ONCE = 6
WHEN = "2026-01-05T10:00"
# The relationship check and its question about harm, as the paper form posts them.
ITEMS = ("heard", "what_matters", "way_of_working", "trust")
AFTER = {**{f"relationship__{k}": 8 for k in ITEMS}, "unwanted__harder": 0}


def logged_in(user, n: int = AT_ONCE) -> list[Client]:
    """`n` browsers of one user, each with its own session, in English."""
    clients = []
    for _ in range(n):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        client.cookies["django_language"] = "en"
        clients.append(client)
    return clients


def at_once(clients: list[Client], send: Callable[[int, Client], HttpResponse]) -> list:
    """Each client sends its request in a thread of its own, all released together."""
    start = threading.Barrier(len(clients))
    responses: list = [None] * len(clients)

    def run(i: int) -> None:
        try:
            start.wait(timeout=30)
            responses[i] = send(i, clients[i])
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(r is not None for r in responses), "a request did not finish"
    assert [r.status_code for r in responses if r.status_code >= 500] == []
    return responses


def told(response) -> list[str]:  # type: ignore[no-untyped-def]
    """What the page says to the user: its messages, or the text of a form shown again."""
    if response.status_code == 302:
        return [str(m) for m in get_messages(response.wsgi_request)]
    return [response.content.decode()]


def saying(responses: list, *words: str) -> int:
    """How many responses say any of `words` (a request that waited for another's commit
    may be told by the page it gets, or by the service that refuses it)."""
    return sum(any(w in text for text in told(r) for w in words) for r in responses)


@pytest.fixture
def instruments(db):
    """The checks, loaded by a migration: a transactional test before may have emptied
    the table."""
    if not Instrument.objects.exists():
        feedback.instruments_load()


def test_drafts_written_at_once_are_all_stored(worker, case):
    url = reverse("clients:entry_create", args=[case.pk])
    responses = at_once(
        logged_in(worker),
        lambda i, client: client.post(
            url, {"happened_at": WHEN, "kind": "phone", "text": f"Draft {i}"}
        ),
    )
    assert [r.status_code for r in responses] == [302] * AT_ONCE
    texts = sorted(JournalEntry.objects.filter(case=case).values_list("text", flat=True))
    assert texts == [f"Draft {i}" for i in range(AT_ONCE)]


def test_one_form_sent_at_once_makes_one_entry(worker, case):
    """A double click, or a press again on a slow network: the same form, with its key."""
    url = reverse("clients:entry_create", args=[case.pk])
    form = {"happened_at": WHEN, "kind": "phone", "text": "Once", "submission": uuid.uuid4()}
    responses = at_once(logged_in(worker), lambda i, client: client.post(url, form))
    assert [r.status_code for r in responses] == [302] * AT_ONCE
    (entry,) = JournalEntry.objects.filter(case=case)
    assert {r["Location"] for r in responses} == {f"/clients/{case.person_id}/#entry-{entry.pk}"}


def test_a_plan_accepted_at_once_is_accepted_once(worker, case, client_self):
    plan = plan_with_goals(case, worker, state="signed")
    url = reverse("plans:respond", args=[plan.pk])
    form = {"accepted": "yes", "submission": uuid.uuid4()}
    responses = at_once(logged_in(client_self), lambda i, client: client.post(url, form))
    assert [r.status_code for r in responses] == [302] * AT_ONCE
    assert plan.responses.count() == 1


def test_one_version_corrected_at_once_is_corrected_once(worker, entry):
    url = reverse("clients:entry_correct", args=[entry.pk])
    responses = at_once(
        logged_in(worker),
        lambda i, client: client.post(
            url, {"happened_at": WHEN, "kind": "phone", "text": f"Fixed {i}", "reason": "Typo"}
        ),
    )
    assert sorted(r.status_code for r in responses) == [200] * (AT_ONCE - 1) + [302]
    assert JournalEntry.objects.filter(replaces=entry).count() == 1
    assert saying(responses, "already been corrected") == AT_ONCE - 1


def test_a_draft_signed_at_once_is_signed_once(worker, draft):
    url = reverse("clients:entry_sign", args=[draft.pk])
    responses = at_once(logged_in(worker), lambda i, client: client.post(url))
    assert [r.status_code for r in responses] == [302] * AT_ONCE
    draft.refresh_from_db()
    assert draft.is_signed
    assert saying(responses, "already signed") == AT_ONCE - 1


def test_a_draft_saved_while_it_is_signed_keeps_the_text_in_the_form(worker, draft):
    """One tab signs, the other saves an edit: the edit is refused with a message, the
    signed text stands, and the typed text is still in the form."""
    sign, edit = logged_in(worker, 2)
    responses = at_once(
        [sign, edit],
        lambda i, client: (
            client.post(reverse("clients:entry_sign", args=[draft.pk]))
            if i == 0
            else client.post(
                reverse("clients:entry_edit", args=[draft.pk]),
                {
                    "happened_at": WHEN,
                    "kind": "phone",
                    "text": "Typed in the other tab",
                    "revision": draft.revision,
                },
            )
        ),
    )
    draft.refresh_from_db()
    assert draft.is_signed
    if draft.text != "Typed in the other tab":  # the edit came second
        page = responses[1].content.decode()
        assert responses[1].status_code == 200
        assert "already signed" in page
        assert "Typed in the other tab" in page


def test_a_check_answered_at_once_is_stored_once(worker, entry, instruments):
    url = reverse("feedback:paper", args=[entry.pk]) + "?when=after"
    given = timezone.localdate().isoformat()
    responses = at_once(
        logged_in(worker), lambda i, client: client.post(url, {**AFTER, "given_on": given})
    )
    assert sorted(r.status_code for r in responses) == [200] * (AT_ONCE - 1) + [302]
    assert Response.objects.filter(entry=entry, instrument__key="relationship").count() == 1
    assert saying(responses, "already given for this", "already answered for this") == (AT_ONCE - 1)


def test_an_alert_closed_at_once_keeps_the_first_response(worker, entry, instruments):
    instrument = Instrument.objects.get(key="relationship")
    answers = {"relationship": {item.key: 1 for item in instrument.items.all()}}
    feedback.responses_record(
        entry=entry,
        instruments=[instrument],
        answers=answers,
        open_answers={},
        channel="paper",
        given_on=timezone.localdate(),
        worker=worker,
    )
    alert = Alert.objects.get()
    url = reverse("feedback:alert_close", args=[alert.pk])
    responses = at_once(
        logged_in(worker),
        lambda i, client: client.post(url, {"kind": "talked", "note": f"Response {i}"}),
    )
    assert sorted(r.status_code for r in responses) == [200] * (AT_ONCE - 1) + [302]
    alert.refresh_from_db()
    first = next(i for i, r in enumerate(responses) if r.status_code == 302)
    assert alert.note == f"Response {first}"
    assert saying(responses, "already closed", "Closed by") == AT_ONCE - 1


@pytest.fixture
def group(unit, worker, person, case):
    group = Group.objects.create(unit=unit, name="Tisdagsgruppen", kind="other", created_by=worker)
    groups.member_join(group=group, person=person, on=timezone.localdate())
    return group


def test_a_group_session_recorded_at_once_is_recorded_once(worker, group):
    url = reverse("groups:group", args=[group.pk])
    member = group.members.get()
    day = timezone.localdate() - datetime.timedelta(days=1)
    responses = at_once(
        logged_in(worker),
        lambda i, client: client.post(
            url,
            {
                "step": "session",
                "session-held_on": day.isoformat(),
                "session-theme": f"Theme {i}",
                "session-present": [member.pk],
            },
        ),
    )
    assert sorted(r.status_code for r in responses) == [200] * (AT_ONCE - 1) + [302]
    assert Session.objects.filter(group=group).count() == 1
    assert Attendance.objects.filter(member=member).count() == 1
    assert saying(responses, "is already recorded for this group") == AT_ONCE - 1


def test_a_group_check_asked_at_once_makes_one_journal_entry(worker, group, case):
    member = group.members.get()
    session = groups.session_record(
        actor=worker,
        group=group,
        held_on=timezone.localdate(),
        theme="",
        members=[member],
        present={member.pk},
    )
    attendance = session.attendance.get()
    url = reverse("groups:session_check", args=[attendance.pk])
    responses = at_once(logged_in(worker), lambda i, client: client.post(url))
    assert {r.status_code for r in responses} == {302}
    assert len({r.url for r in responses}) == 1  # all to the same meeting
    assert JournalEntry.objects.filter(case=case, kind="group_session").count() == 1


def test_a_member_added_at_once_is_added_once(worker, unit, group):
    other = PersonFactory(first_name="Pia")
    AssignmentFactory(case=CaseFactory(person=other, unit=unit), worker=worker)
    url = reverse("groups:group", args=[group.pk])
    today = timezone.localdate().isoformat()
    responses = at_once(
        logged_in(worker),
        lambda i, client: client.post(
            url, {"step": "member", "member-person": other.pk, "member-joined_on": today}
        ),
    )
    assert [r.status_code for r in responses].count(302) == 1
    assert group.members.filter(person=other).count() == 1


def test_writers_on_different_records_all_get_through(worker, case):
    """A mixed burst: drafts, corrections of different entries and signatures, none of
    them colliding, all stored (on SQLite they queue for the write lock)."""
    signed = [EntryFactory(case=case, author=worker, signed=True) for _ in range(3)]
    drafts = [EntryFactory(case=case, author=worker) for _ in range(3)]

    def send(i: int, client: Client) -> HttpResponse:
        if i < 3:
            return client.post(
                reverse("clients:entry_correct", args=[signed[i].pk]),
                {"happened_at": WHEN, "kind": "phone", "text": "Fixed", "reason": "Typo"},
            )
        if i < 6:
            return client.post(reverse("clients:entry_sign", args=[drafts[i - 3].pk]))
        return client.post(
            reverse("clients:entry_create", args=[case.pk]),
            {"happened_at": WHEN, "kind": "phone", "text": f"New {i}"},
        )

    responses = at_once(logged_in(worker, 10), send)
    assert {r.status_code for r in responses} == {302}
    assert JournalEntry.objects.filter(replaces__in=signed).count() == 3
    assert JournalEntry.objects.filter(pk__in=[d.pk for d in drafts], status="signed").count() == 3
    assert JournalEntry.objects.filter(text__startswith="New ").count() == 4
