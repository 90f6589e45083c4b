"""The journal: drafts are edited, signed entries are never changed, corrections keep
every version readable."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from tillit.clients import services
from tillit.clients.models import JournalEntry, SignedEntryError
from tillit.conftest import client_for
from tillit.factories import AssignmentFactory, CaseFactory, EntryFactory, UserFactory

# The database refuses with an integrity error (a trigger; see migration 0003).
DB_REFUSALS = IntegrityError
# Text a person could type: no NUL (PostgreSQL refuses it) and no lone surrogates.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
)


def test_signed_entry_cannot_be_saved_again(entry):
    entry.text = "Changed"
    with pytest.raises(SignedEntryError):
        entry.save()
    entry.refresh_from_db()
    assert entry.text == "Signed text"


def test_signed_entry_cannot_be_deleted(entry):
    with pytest.raises(SignedEntryError):
        entry.delete()


def test_database_refuses_bulk_update_of_signed_entry(entry):
    with pytest.raises(DB_REFUSALS), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).update(text="Changed behind the model")
    entry.refresh_from_db()
    assert entry.text == "Signed text"


def test_signed_entry_cannot_be_edited_through_the_view(worker, entry):
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    url = reverse("clients:entry_edit", args=[entry.pk])

    assert client.get(url)["Location"] == reverse("clients:entry_correct", args=[entry.pk])
    response = client.post(
        url, {"happened_at": "2026-01-01T10:00", "kind": "phone", "text": "Changed"}
    )

    # Signed in another tab since the form was opened: refused, and the text typed stays.
    assert response.status_code == 200
    assert "already signed" in response.content.decode()
    assert "Changed" in response.content.decode()
    entry.refresh_from_db()
    assert entry.text == "Signed text"


def test_a_draft_saved_in_another_tab_is_shown_beside_this_one(worker, draft):
    """Two tabs edit one draft: the later save overwrites nothing, shows both versions,
    and "Keep mine" saves it over the one it was shown."""
    first, second = client_for(worker), client_for(worker)
    url = reverse("clients:entry_edit", args=[draft.pk])
    read_at = draft.revision
    form = {"happened_at": "2026-01-05T10:00", "kind": "phone", "revision": read_at}

    assert first.post(url, {**form, "text": "From the first tab"}).status_code == 302
    second.cookies["django_language"] = "en"
    response = second.post(url, {**form, "text": "From the second tab"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "saved in another tab" in page
    assert "From the first tab" in page and "From the second tab" in page
    draft.refresh_from_db()
    assert (draft.text, draft.revision) == ("From the first tab", read_at + 1)

    kept = second.post(url, {**form, "text": "From the second tab", "overwrite": read_at + 1})
    assert kept.status_code == 302
    draft.refresh_from_db()
    assert (draft.text, draft.revision) == ("From the second tab", read_at + 2)


def test_the_same_draft_saved_twice_is_no_conflict(worker, draft):
    client = client_for(worker)
    url = reverse("clients:entry_edit", args=[draft.pk])
    form = {"happened_at": "2026-01-05T10:00", "kind": "phone", "text": "Twice"}
    for _ in range(2):  # a double click: the second is sent at the revision first read
        assert client.post(url, {**form, "revision": draft.revision}).status_code == 302
    draft.refresh_from_db()
    assert draft.text == "Twice"


def test_a_new_entry_sent_twice_is_stored_once(worker, case):
    client = client_for(worker)
    url = reverse("clients:entry_create", args=[case.pk])
    page = client.get(url).content.decode()
    (key,) = re.findall(r'name="submission" value="([0-9a-f-]{36})"', page)
    form = {"happened_at": "2026-01-05T10:00", "kind": "phone", "text": "Once", "submission": key}

    first, second = client.post(url, form), client.post(url, form, headers={"HX-Request": "true"})

    (entry,) = JournalEntry.objects.filter(case=case)
    assert first["Location"].endswith(f"#entry-{entry.pk}")
    assert f'id="entry-{entry.pk}"' in second.content.decode()
    # A fresh form draws a fresh key: the next entry is a new one.
    assert key not in second.content.decode()
    client.post(url, {**form, "submission": ""})
    assert JournalEntry.objects.filter(case=case).count() == 2


def test_signing_twice_is_refused(worker, entry):
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("clients:entry_sign", args=[entry.pk]), follow=True)
    assert "already signed" in response.content.decode()


def test_worker_writes_signs_and_corrects_and_both_versions_stay(worker, case):
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    when = timezone.localtime() - datetime.timedelta(hours=1)

    client.post(
        reverse("clients:entry_create", args=[case.pk]),
        {
            "happened_at": when.strftime("%Y-%m-%dT%H:%M"),
            "kind": "meeting",
            "text": "We met at the office.",
            "present": "Kim, worker",
        },
    )
    draft = JournalEntry.objects.get()
    assert not draft.is_signed
    client.post(reverse("clients:entry_sign", args=[draft.pk]))
    client.post(
        reverse("clients:entry_correct", args=[draft.pk]),
        {
            "happened_at": when.strftime("%Y-%m-%dT%H:%M"),
            "kind": "home_visit",
            "text": "We met in Kim's home.",
            "present": "Kim, worker",
            "reason": "Wrong place",
        },
    )

    old, new = JournalEntry.objects.order_by("version")
    assert (old.text, old.is_signed) == ("We met at the office.", True)
    assert (new.text, new.replaces, new.version, new.correction_reason) == (
        "We met in Kim's home.",
        old,
        2,
        "Wrong place",
    )
    page = client.get(reverse("clients:person", args=[case.person_id])).content.decode()
    assert "We met in Kim&#x27;s home." in page
    assert "We met at the office." in page
    assert "1 earlier version" in page


def test_correction_needs_a_reason(worker, entry):
    client = client_for(worker)
    response = client.post(
        reverse("clients:entry_correct", args=[entry.pk]),
        {
            "happened_at": "2026-01-01T10:00",
            "kind": "phone",
            "text": "New",
            "reason": "",
        },
    )
    assert response.status_code == 200
    assert JournalEntry.objects.count() == 1


def test_old_version_cannot_be_corrected_twice(worker, entry):
    services.entry_correct(actor=worker, entry=entry, text="v2", reason="typo")
    with translation.override("en"), pytest.raises(Exception, match="already been corrected"):
        services.entry_correct(actor=worker, entry=entry, text="v2b", reason="again")


def test_htmx_create_returns_the_entry_and_a_fresh_form(worker, case):
    client = client_for(worker)
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("clients:entry_create", args=[case.pk]),
        {"happened_at": when, "kind": "phone", "text": "Quick call", "sign": "on"},
        headers={"hx-request": "true"},
    )
    body = response.content.decode()
    assert 'hx-swap-oob="afterbegin:#journal-list"' in body
    assert "Quick call" in body
    assert JournalEntry.objects.get().is_signed


def test_future_entry_is_refused(worker, case):
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    later = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("clients:entry_create", args=[case.pk]),
        {"happened_at": later, "kind": "phone", "text": "x"},
    )
    assert "cannot be about the future" in response.content.decode()
    assert not JournalEntry.objects.exists()


class JournalMachine(RuleBasedStateMachine):
    """Random sequences of create / sign / correct / attempted edit: signed versions never
    change, and every version ever signed stays readable."""

    drafts = Bundle("drafts")
    signed = Bundle("signed")

    def __init__(self) -> None:
        super().__init__()
        worker = UserFactory()
        self.actor = worker
        self.case = CaseFactory()
        AssignmentFactory(case=self.case, worker=worker)
        self.texts: dict[int, str] = {}

    @rule(target=drafts, text=TEXT)
    def create(self, text):
        return EntryFactory(case=self.case, author=self.actor, text=text)

    @rule(target=signed, entry=drafts)
    def sign(self, entry):
        entry.refresh_from_db()
        if entry.is_signed:
            return entry
        services.entry_sign(actor=self.actor, entry=entry)
        self.texts[entry.pk] = entry.text
        return entry

    @rule(target=signed, entry=signed, text=TEXT)
    def correct(self, entry, text):
        newest = entry
        while JournalEntry.objects.filter(replaces=newest).exists():
            newest = JournalEntry.objects.get(replaces=newest)
        new = services.entry_correct(actor=self.actor, entry=newest, text=text, reason="r")
        self.texts[new.pk] = new.text
        return new

    @rule(entry=signed, text=TEXT)
    def attempt_edit(self, entry, text):
        entry.text = text
        try:
            entry.save()
        except SignedEntryError:
            pass
        else:
            raise AssertionError("a signed entry was saved")
        try:
            with transaction.atomic():
                JournalEntry.objects.filter(pk=entry.pk).update(text=text)
        except DB_REFUSALS:
            pass

    @invariant()
    def signed_versions_never_change(self):
        stored = dict(JournalEntry.objects.filter(pk__in=self.texts).values_list("pk", "text"))
        assert stored == self.texts

    @invariant()
    def each_version_is_replaced_at_most_once(self):
        for entry in JournalEntry.objects.filter(replaces__isnull=False):
            assert entry.version == entry.replaces.version + 1


def test_journal_state_machine(db):
    run_state_machine_as_test(
        JournalMachine,
        settings=hsettings(max_examples=15, stateful_step_count=12, deadline=None),
    )


def test_a_signed_entry_follows_the_language_and_its_correction(worker, entry, person):
    client = client_for(worker)
    url = reverse("clients:person", args=[person.pk])
    client.cookies["django_language"] = "sv"
    assert "Signerad av" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    assert "Signed by" in client.get(url).content.decode()

    services.entry_correct(actor=worker, entry=entry, text="Corrected text", reason="typo")
    page = client.get(url).content.decode()
    assert "Corrected text" in page and "1 earlier version" in page


def test_the_entry_form_is_in_the_readers_language_and_keeps_what_was_typed(worker, case, person):
    client = client_for(worker)
    url = reverse("clients:person", args=[person.pk])
    client.cookies["django_language"] = "sv"
    assert "Signera nu" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    assert "Sign now" in client.get(url).content.decode()

    response = client.post(
        reverse("clients:entry_create", args=[case.pk]),
        {"happened_at": "2020-01-01T10:00", "kind": "phone", "text": ""},
        headers={"hx-request": "true"},
    )
    body = response.content.decode()
    assert "This field is required." in body and 'value="2020-01-01T10:00"' in body


@pytest.mark.parametrize(
    ("asked", "shown", "count", "older"),
    [
        (None, 1, 15, "15 av 35 visas"),
        ("2", 2, 15, "30 av 35 visas"),
        ("3", 3, 5, ""),
        ("9", 3, 5, ""),
        ("0", 1, 15, "15 av 35 visas"),
        ("x", 1, 15, "15 av 35 visas"),
    ],
)
def test_journal_pages_count_from_the_same_query(worker, case, person, asked, shown, count, older):
    EntryFactory.create_batch(35, case=case, author=worker, signed=True)
    query = {"page": asked} if asked else {}
    response = client_for(worker).get(reverse("clients:person", args=[person.pk]), query)
    page = response.context["page"]
    assert (page.number, len(response.context["entries"])) == (shown, count)
    body = response.content.decode()
    assert (older in body) and (("Visa äldre anteckningar" in body) == bool(older))


def test_older_entries_are_appended_in_place(worker, case, person):
    """With htmx, "Show older entries" brings the next page's entries and the way on to
    the one after, to put where the link was: the worker reads on down the history."""
    EntryFactory.create_batch(35, case=case, author=worker, signed=True)
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    url = reverse("clients:person", args=[person.pk])
    first = client.get(url).content.decode()
    assert 'hx-get="?page=2" hx-target="#journal-older-1"' in first

    more = client.get(url, {"page": "2"}, headers={"HX-Request": "true"}).content.decode()
    assert more.count("<article") == 15 and "<h1>" not in more
    assert 'id="journal-older-2"' in more and "30 of 35 shown" in more
    assert more.count(">Share with the client</button>") == 15  # labelled as on the page
    last = client.get(url, {"page": "3"}, headers={"HX-Request": "true"}).content.decode()
    assert last.count("<article") == 5 and "Show older entries" not in last


def test_the_share_buttons_submit_the_journals_one_form(worker, entry, person):
    page = client_for(worker).get(reverse("clients:person", args=[person.pk])).content.decode()
    release = reverse("portal:release", args=[entry.pk])
    assert f'form="release-form" formaction="{release}"' in page
    assert page.count("csrfmiddlewaretoken") == page.count("<form")


def test_a_shared_entry_says_so_at_once(worker, entry, person):
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    url = reverse("clients:person", args=[person.pk])
    assert "Share with the client" in client.get(url).content.decode()
    client.post(reverse("portal:release", args=[entry.pk]))
    page = client.get(url).content.decode()
    assert "Shared with the client in the portal." in page
    assert "Share with the client<" not in page


def test_journal_checks_are_still_validated_when_the_fields_are_in_play(case, worker):
    """What JournalEntry.validate_constraints gives up early, Django would give up too; a
    check on fields that are all in play is still validated."""
    from django.core.exceptions import ValidationError as Invalid

    entry = JournalEntry(case=case, author=worker, kind="phone", text="x", status="signed")
    entry.happened_at = timezone.now()
    with pytest.raises(Invalid, match="signed_entry_has_signature"):
        entry.validate_constraints()
    entry.validate_constraints(exclude={"status"})  # the form's case: nothing to check


def test_a_case_with_an_unsigned_draft_is_not_closed(worker, case, draft):
    with translation.override("en"), pytest.raises(ValidationError, match="unsigned draft"):
        case.set_status("closed")
    case.refresh_from_db()
    assert case.status != "closed" and case.closed_on is None
    services.entry_sign(actor=worker, entry=draft)
    case.set_status("closed")
    case.refresh_from_db()
    assert case.status == "closed"
