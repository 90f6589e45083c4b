"""The board in the meeting, the board mode for the big screen, the timeline and the
moment form, as a worker uses them."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tillit.audit.models import AccessLog
from tillit.bam import services
from tillit.bam.models import Moment, MomentNote
from tillit.conftest import client_for
from tillit.factories import MomentFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def moment(case, worker):
    moment = MomentFactory(case=case, written_by=worker, title="Payday in March")
    services.moment_update(moment=moment, tags=["payday", "alone"])
    return moment


def _note(client, moment, column="antecedent", text="Got paid", **extra):
    return client.post(
        reverse("bam:note_add", args=[moment.pk]), {"column": column, "text": text}, **extra
    )


def test_plain_post_adds_a_note_and_returns_to_the_board(worker, moment):
    response = _note(client_for(worker), moment)

    assert response.status_code == 302
    assert response["Location"] == reverse("bam:board", args=[moment.pk])
    note = MomentNote.objects.get()
    assert (note.column, note.text, note.written_by) == ("antecedent", "Got paid", worker)


def test_plain_post_from_board_mode_returns_to_board_mode(worker, moment):
    client = client_for(worker)
    response = client.post(
        reverse("bam:note_add", args=[moment.pk]),
        {"column": "behaviour", "text": "Went to the pub", "mode": "board"},
    )
    assert response["Location"] == reverse("bam:board_mode", args=[moment.pk])


def test_htmx_post_swaps_only_the_column(worker, moment):
    client = client_for(worker)
    _note(client, moment, text="First")

    response = _note(client, moment, text="Second", **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="col-antecedent"' in html and 'id="col-behaviour"' not in html
    assert html.index("First") < html.index("Second")
    assert 'id="board-status"' in html  # announced to screen readers
    assert 'name="text"' in html and 'value="Second"' not in html  # the input is empty again


def test_empty_note_is_refused_with_a_message(worker, moment):
    client = client_for(worker)
    htmx = _note(client, moment, text="  ", **HTMX)
    plain = _note(client, moment, text="")

    assert htmx.status_code == 200  # htmx swaps only 2xx: the column carries the error
    assert "Write the note first." in htmx.content.decode()
    assert plain.status_code == 400
    assert "Write the note first." in plain.content.decode()
    assert not MomentNote.objects.exists()


def test_unknown_column_is_refused(worker, moment):
    response = _note(client_for(worker), moment, column="feelings")
    assert response.status_code == 400
    assert "Choose one of the three columns." in response.content.decode()


def test_note_add_accepts_only_post(worker, moment):
    response = client_for(worker).get(reverse("bam:note_add", args=[moment.pk]))
    assert response.status_code == 405


def test_board_shows_the_columns_and_the_person(worker, moment, person):
    services.note_add(actor=worker, moment=moment, column="consequence", text="Regret")
    response = client_for(worker).get(reverse("bam:board", args=[moment.pk]))
    html = response.content.decode()
    for label in ("Antecedent", "Behaviour", "Consequence", "Regret", person.full_name):
        assert label in html
    assert 'for="antecedent-text"' in html  # every note input has a label
    assert reverse("bam:board_mode", args=[moment.pk]) in html


def test_board_mode_shows_no_other_record_data(worker, moment, person, entry):
    response = client_for(worker).get(reverse("bam:board_mode", args=[moment.pk]))
    # The page's header names the logged-in worker (whose made-up name may hold "Kim");
    # the board itself, in <main>, must name nobody and show nothing else of the record.
    html = response.content.decode().split('<main id="main"')[1].split("</main>")[0]
    assert "Payday in March" in html
    assert "board-mode" in html
    for secret in filter(None, (person.first_name, person.last_name, person.id_number, entry.text)):
        assert not re.search(rf"\b{re.escape(secret)}\b", html), secret
    row = AccessLog.objects.latest("id")
    assert row.detail == {"moment": moment.pk}
    assert row.person == person


def test_timeline_filters_by_tag(worker, moment, case, person):
    strong = MomentFactory(case=case, written_by=worker, kind="strong", title="Said no to Jonny")
    services.moment_update(moment=strong, tags=["friday"])
    client = client_for(worker)
    url = reverse("bam:person", args=[person.pk])

    everything = client.get(url).content.decode()
    payday = client.get(url, {"tag": "payday"}).content.decode()

    assert "Payday in March" in everything and "Said no to Jonny" in everything
    assert "Payday in March" in payday and "Said no to Jonny" not in payday
    assert "1 moment with the tag" in payday
    # weak and strong differ by a label and a shape, not by colour alone
    assert "Strong moment" in everything and "▲" in everything
    assert "Weak moment" in everything and "▽" in everything


def test_the_timeline_shows_every_change_at_once(worker, moment, person):
    """A change to a moment shows on the next visit to the timeline."""
    client = client_for(worker)
    url = reverse("bam:person", args=[person.pk])
    assert "Payday in March" in client.get(url).content.decode()
    services.moment_update(moment=moment, tags=["payday", "rent"])
    assert '<li class="flag">rent</li>' in client.get(url).content.decode()
    Moment.objects.filter(pk=moment.pk).update(confidence=7)
    assert "Confidence 7 of 10" in client.get(url).content.decode()
    Moment.objects.filter(pk=moment.pk).update(title="Rent day")
    changed = client.get(url).content.decode()
    assert "Rent day" in changed and "Payday in March" not in changed
    assert "1 moment with the tag" in client.get(url, {"tag": "rent"}).content.decode()
    assert "No moment has this tag." in client.get(url, {"tag": "sunday"}).content.decode()


def test_client_page_links_to_the_moments(worker, person, case):
    html = client_for(worker).get(reverse("clients:person", args=[person.pk])).content.decode()
    assert reverse("bam:person", args=[person.pk]) in html


def _form(**fields):
    now = timezone.localtime() - datetime.timedelta(hours=1)
    return {"kind": "weak", "happened_at": now.strftime("%Y-%m-%dT%H:%M")} | fields


def test_new_moment_opens_its_board(worker, case):
    response = client_for(worker).post(
        reverse("bam:moment_new", args=[case.pk]),
        _form(title="Payday", new_tags="payday, Alone", confidence="3"),
    )
    moment = Moment.objects.get()
    assert response["Location"] == reverse("bam:board", args=[moment.pk])
    assert (moment.written_by, moment.confidence) == (worker, 3)
    assert sorted(t.name for t in moment.tags.all()) == ["alone", "payday"]


def test_new_moment_offers_the_persons_earlier_tags(worker, case, moment):
    html = client_for(worker).get(reverse("bam:moment_new", args=[case.pk])).content.decode()
    assert 'value="payday"' in html and 'value="alone"' in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Write at least a title or something in one column."),
        ({"title": "x", "confidence": "11"}, "Confidence is a number from 0 to 10."),
        (
            {"title": "x", "happened_at": "2999-01-01T10:00"},
            "A moment cannot be in the future.",
        ),
        ({"title": "x", "what_worked": "Walked"}, "What worked belongs to a strong moment."),
    ],
)
def test_new_moment_form_explains_refusals(worker, case, fields, message):
    response = client_for(worker).post(reverse("bam:moment_new", args=[case.pk]), _form(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Moment.objects.exists()


def test_new_moment_refusal_is_in_swedish(worker, case):
    client = client_for(worker)
    client.cookies["django_language"] = "sv"
    response = client.post(reverse("bam:moment_new", args=[case.pk]), _form())
    assert "Skriv åtminstone en rubrik eller något i en kolumn." in response.content.decode()


def test_edit_changes_the_moment(worker, moment):
    response = client_for(worker).post(
        reverse("bam:moment_edit", args=[moment.pk]),
        _form(
            title="Payday, again",
            tags=["payday"],
            instead_next_time="Call my sister",
            revision=moment.revision,
        ),
    )
    assert response.status_code == 302
    moment.refresh_from_db()
    assert moment.title == "Payday, again"
    assert moment.instead_next_time == "Call my sister"
    assert [t.name for t in moment.tags.all()] == ["payday"]


def test_emergency_access_reads_the_board_but_offers_no_edit(colleague, moment, person):
    from tillit.clients import services as client_services

    client_services.emergency_access_open(
        actor=colleague, person=person, category="contact", reason="Called at night in crisis"
    )
    client = client_for(colleague)
    html = client.get(reverse("bam:board", args=[moment.pk])).content.decode()
    assert "Payday in March" in html
    assert reverse("bam:moment_edit", args=[moment.pk]) not in html
    assert client.get(reverse("bam:moment_edit", args=[moment.pk])).status_code == 403


def test_worker_is_offered_the_edit(worker, moment):
    html = client_for(worker).get(reverse("bam:board", args=[moment.pk])).content.decode()
    assert reverse("bam:moment_edit", args=[moment.pk]) in html
