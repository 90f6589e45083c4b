"""Collecting answers: in the meeting on the worker's device, by one-time link, on paper;
and the alerts they raise."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from tillit.audit.models import AccessLog
from tillit.clients.models import JournalEntry
from tillit.conftest import client_for
from tillit.factories import CaseFactory, EntryFactory, PersonFactory
from tillit.feedback import services
from tillit.feedback.models import Alert, AnswerLink, Instrument, Item, Response, SwitchedOffItem

RELATIONSHIP_ITEMS = ["heard", "what_matters", "way_of_working", "trust"]
LIFE_ITEMS = ["self", "close", "everyday", "habit", "overall"]


def record(entry: JournalEntry, key: str, value: int, **kw) -> Response:
    """Answer every item of instrument `key` with `value` (test helper)."""
    instrument = Instrument.objects.get(key=key)
    answers = {key: {item.key: value for item in instrument.items.all()}}
    [response] = services.responses_record(
        entry=entry,
        instruments=[instrument],
        answers=answers,
        open_answers={},
        channel="paper",
        given_on=kw.get("given_on", timezone.localdate()),
        worker=None,
    )
    return response


def after_answers(value: int, unwanted: int = 0) -> dict:
    data = {f"relationship__{k}": value for k in RELATIONSHIP_ITEMS}
    data["unwanted__harder"] = unwanted
    return data


@pytest.fixture
def meeting(case, worker):
    return EntryFactory(
        case=case, author=worker, signed=True, text="Confidential note about the relapse on Friday"
    )


@pytest.fixture
def bystander(unit):
    other = CaseFactory(unit=unit, person=PersonFactory(first_name="Zelda", last_name="Other"))
    return other.person


def _hand_over(client, meeting, when="after"):
    return client.post(
        reverse("feedback:meeting", args=[meeting.pk]), {"when": when, "how": "hand_over"}
    )


def test_handed_device_shows_questions_and_no_record_data(worker, meeting, person, bystander):
    client = client_for(worker)
    assert _hand_over(client, meeting)["Location"] == reverse("feedback:answer")

    html = client.get(reverse("feedback:answer")).content.decode()

    assert "I felt heard and respected" in html or "lyssnad" in html
    for secret in [
        meeting.text,
        person.first_name,
        person.last_name,
        person.id_number,
        bystander.first_name,
        bystander.last_name,
        worker.last_name,
    ]:
        assert secret not in html


def test_client_answers_in_the_meeting_and_a_low_score_alerts(worker, meeting, person):
    client = client_for(worker)
    _hand_over(client, meeting)
    before = AccessLog.objects.count()

    response = client.post(reverse("feedback:answer"), after_answers(3))

    assert response["Location"] == reverse("feedback:answer")
    assert AccessLog.objects.count() == before + 1
    rel = Response.objects.get(instrument__key="relationship")
    assert (rel.score, rel.channel, rel.entry, rel.worker, rel.person) == (
        3.0,
        "meeting",
        meeting,
        worker,
        person,
    )
    assert [a.rule for a in Alert.objects.all()] == ["below"]
    assert (
        "hand the device back"
        in client.get(reverse("feedback:answer"), {"lang": "en"}).content.decode()
    )


def test_device_stays_locked_until_the_workers_password(worker, meeting, person):
    client = client_for(worker)
    _hand_over(client, meeting)

    for url in [
        reverse("clients:caseload"),
        reverse("clients:person", args=[person.pk]),
        reverse("feedback:meeting", args=[meeting.pk]),
        "/admin/",
    ]:
        assert client.get(url)["Location"] == reverse("feedback:unlock")
    client.post(reverse("feedback:unlock"), {"password": "wrong"})
    assert client.get(reverse("clients:caseload"))["Location"] == reverse("feedback:unlock")

    response = client.post(reverse("feedback:unlock"), {"password": "pw-for-tests-only"})
    assert response["Location"] == reverse("feedback:meeting", args=[meeting.pk])
    assert client.get(reverse("clients:caseload")).status_code == 200


def _make_link(worker, meeting, when="after") -> str:
    response = client_for(worker).post(
        reverse("feedback:meeting", args=[meeting.pk]), {"when": when, "how": "link"}
    )
    return re.search(r"/feedback/l/[\w-]+/", response.context["link_url"]).group(0)


def test_one_time_link_on_the_clients_phone(worker, meeting, person, client):
    url = _make_link(worker, meeting)
    html = client.get(url).content.decode()
    assert meeting.text not in html and person.last_name not in html

    response = client.post(url, after_answers(9, unwanted=1))
    assert response.status_code == 200
    assert Response.objects.filter(channel="link", worker=worker).count() == 2
    assert not Alert.objects.exists()

    again = client.post(url, after_answers(1))
    assert again.status_code == 404
    assert Response.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_link_opens_outside_a_test_transaction(worker, meeting, client):
    """A read runs without a transaction (tillit.lib.middleware), as on a server; the link
    is read under a lock, and brings its own."""
    url = _make_link(worker, meeting)
    assert client.get(url).status_code == 200


def test_link_opens_in_the_clients_language_and_can_switch(worker, meeting, person, client):
    person.preferred_language = "nb"
    person.save()
    url = _make_link(worker, meeting, when="before")
    assert "Hvordan har du det?" in client.get(url).content.decode()
    assert "How are things?" in client.get(url, {"lang": "en"}).content.decode()


def test_expired_or_unknown_link_is_refused(worker, meeting, client):
    url = _make_link(worker, meeting)
    AnswerLink.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get(url).status_code == 404
    assert client.get(reverse("feedback:link", args=["nonsense"])).status_code == 404


def test_link_token_is_not_stored(worker, meeting):
    url = _make_link(worker, meeting)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert not AnswerLink.objects.filter(token_hash=token).exists()
    assert AnswerLink.objects.filter(token_hash=AnswerLink.hash(token)).exists()


def test_paper_answers_keep_the_date_they_were_given(worker, meeting):
    client = client_for(worker)
    given = timezone.localdate() - datetime.timedelta(days=3)
    data = {f"life__{k}": 6 for k in LIFE_ITEMS} | {"given_on": given.isoformat(), "when": "before"}
    client.post(reverse("feedback:paper", args=[meeting.pk]) + "?when=before", data)
    assert Response.objects.get().given_on == given


def test_paper_date_in_the_future_is_refused(worker, meeting):
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    data = {f"life__{k}": 6 for k in LIFE_ITEMS} | {
        "given_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    }
    response = client.post(reverse("feedback:paper", args=[meeting.pk]) + "?when=before", data)
    assert "cannot be in the future" in response.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"relationship__heard": 11},
        {"relationship__heard": -1},
        {"relationship__heard": "ten"},
        {"relationship__trust": ""},
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(worker, meeting, bad):
    client = client_for(worker)
    _hand_over(client, meeting)
    response = client.post(reverse("feedback:answer") + "?lang=en", after_answers(8) | bad)
    html = response.content.decode()
    assert "Choose one of the answers shown." in html or "Please answer this question." in html
    assert not Response.objects.exists()


def test_the_same_answers_cannot_be_recorded_twice(meeting):
    record(meeting, "relationship", 8)
    with translation.override("en"), pytest.raises(ValidationError, match="already given"):
        record(meeting, "relationship", 8)
    assert Response.objects.count() == 1


def test_unwanted_effects_a_lot_alerts_at_once(worker, leader, meeting, person):
    record(meeting, "unwanted", 2)
    [alert] = Alert.objects.all()
    assert alert.rule == "at_least" and alert.is_urgent
    caseload = client_for(worker).get(reverse("clients:caseload"))
    assert caseload.context["cases"][0].open_alerts == 1
    unit = client_for(leader).get(reverse("clients:unit", args=[meeting.case.unit_id]))
    assert unit.context["cases"][0].open_alerts == 1


def test_relationship_drop_alerts(case, worker):
    first = EntryFactory(case=case, author=worker, signed=True)
    second = EntryFactory(case=case, author=worker, signed=True)
    record(first, "relationship", 10)
    record(second, "relationship", 8)
    assert [a.rule for a in Alert.objects.all()] == ["drop"]


def test_life_not_better_after_four_meetings(case, worker):
    for value in [5, 6, 6, 5]:
        record(EntryFactory(case=case, author=worker, signed=True), "life", value)
    assert [a.rule for a in Alert.objects.all()] == ["not_better"]


def test_switched_off_item_is_not_asked_nor_scored(worker, meeting, case):
    SwitchedOffItem.objects.create(case=case, item=Item.objects.get(key="habit"))
    client = client_for(worker)
    _hand_over(client, meeting, when="before")
    html = client.get(reverse("feedback:answer"), {"lang": "en"}).content.decode()
    assert "alcohol" not in html
    data = {f"life__{k}": 4 for k in LIFE_ITEMS if k != "habit"}
    client.post(reverse("feedback:answer"), data)
    assert Response.objects.get().score == 4.0


def test_alert_closes_only_with_a_response(worker, meeting, person):
    alert = record(meeting, "relationship", 2).alerts.get()
    client = client_for(worker)
    url = reverse("feedback:alert_close", args=[alert.pk])

    client.post(url, {"kind": "talked", "note": ""})
    alert.refresh_from_db()
    assert alert.closed_at is None

    client.post(url, {"kind": "talked", "note": "We spoke about what felt wrong."})
    alert.refresh_from_db()
    assert (alert.closed_by, alert.response_kind) == (worker, "talked")
    page = client.get(reverse("feedback:person", args=[person.pk])).content.decode()
    assert "We spoke about what felt wrong." in page


def test_client_chart_shows_scores_and_contact_person_changes(worker, colleague, case, person):
    from tillit.clients import services as client_services

    for days, value in [(30, 6), (20, 8)]:
        entry = EntryFactory(case=case, author=worker, signed=True)
        record(
            entry,
            "relationship",
            value,
            given_on=timezone.localdate() - datetime.timedelta(days=days),
        )
    client_services.assignment_start(
        case=case,
        worker=colleague,
        role="contact_person",
        on=timezone.localdate() - datetime.timedelta(days=25),
    )
    response = client_for(colleague).get(reverse("feedback:person", args=[person.pk]))
    assert [row["values"][0] for row in response.context["rows"]] == [6.0, 8.0]
    assert len(response.context["chart"].marks) == 1
    assert "<svg" in response.content.decode()


def test_an_open_alert_is_not_raised_again(case, worker):
    for value in [3, 2]:
        record(EntryFactory(case=case, author=worker, signed=True), "relationship", value)
    assert [a.rule for a in Alert.objects.all()] == ["below"]

    services.alert_close(actor=worker, alert=Alert.objects.get(), kind="talked", note="n")
    record(EntryFactory(case=case, author=worker, signed=True), "relationship", 2)
    assert Alert.objects.open().count() == 1


def test_the_chart_shows_every_answer_and_change_at_once(worker, case, person):
    """Each answer and change is on the chart at once: nothing of it is kept stale."""
    client = client_for(worker)
    url = reverse("feedback:person", args=[person.pk])
    record(EntryFactory(case=case, author=worker, signed=True), "relationship", 6)
    first = client.get(url).content.decode()
    # Drawn twice, wide and narrow (tillit.lib.charts), each point once in each.
    assert first.count('class="dot-relationship"') == 2
    response = record(EntryFactory(case=case, author=worker, signed=True), "relationship", 8)
    assert client.get(url).content.decode().count('class="dot-relationship"') == 4
    Response.objects.filter(pk=response.pk).update(score=2)
    svg = client.get(url).content.decode()
    svg = svg[svg.index("<svg") : svg.index("</svg>")]
    assert ": 2.0</title>" in svg and ": 8.0</title>" not in svg


def test_chart_coordinates_are_not_localised(worker, case, person):
    record(EntryFactory(case=case, author=worker, signed=True), "relationship", 7)
    client = client_for(worker)
    client.cookies["django_language"] = "sv"
    svg = client.get(reverse("feedback:person", args=[person.pk])).content.decode()
    svg = svg[svg.index("<svg") : svg.index("</svg>")]
    assert not re.search(r'(cx|cy|x|y|x1|y1)="\d+,\d', svg)


def test_client_page_counts_open_alerts_over_all_the_clients_cases(case, worker, person, unit):
    second = CaseFactory(person=person, unit=unit)
    from tillit.factories import AssignmentFactory

    AssignmentFactory(case=second, worker=worker)
    for on in (case, second):
        record(EntryFactory(case=on, author=worker, signed=True), "relationship", 2)
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    url = reverse("clients:person", args=[person.pk])
    assert "2 open alerts" in client.get(url).content.decode()

    services.alert_close(actor=worker, alert=Alert.objects.first(), kind="talked", note="n")
    page = client.get(url).content.decode()
    assert "1 open alert" in page and "2 open alerts" not in page
