"""Out-of-range input is a clean 404 or a form error in the user's language, never a 500
(issue 22): keys beyond 64 bits in a URL, page numbers past the end or beyond 64 bits,
dates in the future where something already happened, and identity numbers of people not
yet born."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.utils import timezone, translation

from tillit.audit.models import AccessLog
from tillit.clients.models import JournalEntry
from tillit.conftest import client_for
from tillit.factories import EntryFactory
from tillit.groups.forms import SessionForm
from tillit.lib import ids
from tillit.lib.converters import MAX_ID, IdConverter
from tillit.lib.queries import counted_page
from tillit.network.forms import FollowUpForm, HoldForm

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)
TOO_LARGE = [str(MAX_ID + 1), str(2**64), "9" * 30]


def patterns(resolver: URLResolver, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += patterns(entry, entry.namespace or namespace)
        else:
            found.append((namespace, entry))
    return found


def test_every_key_in_a_url_is_an_id():
    ints = [
        str(pattern.pattern)
        for namespace, pattern in patterns(get_resolver())
        if namespace != "admin"
        for converter in pattern.pattern.converters.values()
        if isinstance(converter, IntConverter)
    ]
    assert ints == []


def test_the_converter_takes_64_bit_keys_and_refuses_larger():
    converter = IdConverter()
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    assert converter.to_url(12) == "12"
    for text in TOO_LARGE:
        with pytest.raises(ValueError):
            converter.to_python(text)


@pytest.mark.parametrize("text", TOO_LARGE)
@pytest.mark.parametrize(
    "name", ["clients:person", "clients:entry_correct", "feedback:meeting", "groups:group"]
)
def test_a_key_beyond_64_bits_is_404(worker, name, text):
    client = client_for(worker)
    url = reverse(name, args=[1]).replace("/1/", f"/{text}/")
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not AccessLog.objects.exists()


@pytest.fixture
def journal(case, worker):
    EntryFactory.create_batch(3, case=case, author=worker, signed=True)
    return JournalEntry.objects.filter(case=case).order_by("pk")


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (None, 1),
        ("2", 2),
        ("3", 2),
        (str(2**62), 2),
        (str(2**63), 2),
        (str(2**200), 2),
        ("9" * 5000, 2),  # more digits than Python reads
        ("-1", 1),
        ("x", 1),
    ],
)
def test_a_page_past_the_end_is_the_last_page(journal, number, expected):
    page = counted_page(journal, number, 2)
    assert page.number == expected
    assert page.paginator.count == 3


def test_the_journal_page_beyond_64_bits_is_the_last_page(worker, person, journal):
    client = client_for(worker)
    url = reverse("clients:person", args=[person.pk])
    for number in (str(2**63), "9" * 40):
        assert client.get(url, {"page": number}).status_code == 200


def test_the_log_review_page_beyond_64_bits_is_the_last_page(leader, worker, person, journal):
    client_for(worker).get(reverse("clients:person", args=[person.pk]))
    response = client_for(leader).get(reverse("audit:review"), {"page": str(2**64)})
    assert response.status_code == 200


def errors(form, field: str, language: str) -> list[str]:
    assert not form.is_valid()
    with translation.override(language):
        return [str(error) for error in form.errors[field]]


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (FollowUpForm(data={"held_on": TOMORROW, "notes": "Going well"}), "held_on"),
        (HoldForm(data={"held_on": TOMORROW, "plan_summary": "Mona drives"}), "held_on"),
        (SessionForm(data={"held_on": TOMORROW}), "held_on"),
    ],
    ids=["follow-up", "conference", "group session"],
)
def test_held_in_the_future_is_a_form_error_in_the_users_language(form, field):
    assert errors(form, field, "en") == ["The date cannot be in the future."]
    assert errors(form, field, "sv") == ["Datumet kan inte ligga i framtiden."]
    assert errors(form, field, "nb") == ["Datoen kan ikke være i fremtiden."]


def test_held_today_is_fine():
    today = timezone.localdate()
    assert FollowUpForm(data={"held_on": today, "notes": "Going well"}).is_valid()
    assert SessionForm(data={"held_on": today}).is_valid()


def unborn_norwegian() -> str:
    """A valid Norwegian number of someone born on 1 January 2039."""
    return next(n for i in range(500, 999) if (n := ids.make_norwegian("010139", i)))


@pytest.mark.parametrize(
    ("country", "number"),
    [
        ("se", "20991231-0000"),
        ("se", ids.make_swedish("20991231", 1)),
        ("se", ids.make_swedish("20991271", 1)),  # samordningsnummer, day + 60
        ("no", unborn_norwegian()),
    ],
)
def test_an_identity_number_of_someone_not_yet_born_is_refused(country, number):
    for language, message in [
        ("en", "The identity number's date of birth is in the future."),
        ("sv", "Födelsedatumet i identitetsnumret ligger i framtiden."),
        ("nb", "Fødselsdatoen i identitetsnummeret ligger i fremtiden."),
    ]:
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                ids.normalise(country, number)
            assert refused.value.messages == [message]
        assert refused.value.code == "future"


def test_an_identity_number_born_today_or_before_is_fine():
    today = timezone.localdate()
    assert ids.normalise("se", ids.make_swedish(today.strftime("%Y%m%d"), 1))
    assert ids.normalise("no", ids.make_norwegian("010180", 100) or "")
