"""The client's page: public, by the period's token, open only while the period runs, in
the client's language, one answer per phone, throttled per address."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from tillit.survey import views
from tillit.survey.models import Answer, Response
from tillit.survey.tests.data import TODAY, make_period

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def period(unit, leader):
    return make_period(unit, leader)


def _url(period) -> str:  # type: ignore[no-untyped-def]
    return reverse("survey:answer", args=[period.token])


def test_the_client_answers_without_logging_in(period, client):
    page = client.get(_url(period) + "?lang=en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Did the staff treat you with respect?" in text
    assert "I have not received any help" in text  # on the questions about the help
    assert "Don&#x27;t know" in text or "Don't know" in text

    response = client.post(
        _url(period) + "?lang=en",
        {"q_respect": "4", "q_satisfied": "9", "q_contact": "8", "free_text": "Bra."},
    )

    assert response.status_code == 200
    assert "Thank you for your answers" in response.content.decode()
    stored = Response.objects.get()
    assert stored.channel == "phone" and stored.free_text == "Bra."
    assert dict(Answer.objects.values_list("question__key", "value")) == {
        "respect": 4,
        "satisfied": 9,
        "contact": 8,
    }


@pytest.mark.parametrize(("lang", "words"), [("sv", "Vet inte"), ("nb", "Vet ikke")])
def test_the_page_speaks_the_clients_language(period, client, lang, words):
    assert words in client.get(_url(period) + f"?lang={lang}").content.decode()


def test_a_bad_token_is_404(client, db):
    response = client.get(reverse("survey:answer", args=["no-such-token"]))
    assert response.status_code == 404
    assert response.templates[0].name == "survey/answer_invalid.html"


@pytest.mark.parametrize(
    ("starts", "says"), [(-30, "The survey is closed"), (3, "The survey has not started yet")]
)
def test_outside_the_period_the_page_says_so_and_takes_nothing(unit, leader, client, starts, says):
    period = make_period(
        unit, leader, starts_on=TODAY + starts * DAY, ends_on=TODAY + (starts + 10) * DAY
    )
    assert says in client.get(_url(period) + "?lang=en").content.decode()

    response = client.post(_url(period) + "?lang=en", {"q_respect": "4"})

    assert response.status_code == 200
    assert says in response.content.decode()
    assert not Response.objects.exists()


def test_nothing_answered_or_a_made_up_value_is_a_form_error(period, client):
    empty = client.post(_url(period) + "?lang=en", {})
    assert empty.status_code == 200
    assert "Please answer at least one question." in empty.content.decode()
    bad = client.post(_url(period) + "?lang=en", {"q_respect": "7"})
    assert bad.status_code == 200
    no_help = client.post(_url(period), {"q_respect": "9"})  # not offered on this question
    assert no_help.status_code == 200
    assert not Response.objects.exists()


def test_one_answer_per_phone(period, client):
    client.post(_url(period), {"q_respect": "4"})

    again = client.post(_url(period), {"q_respect": "1"})

    assert again.status_code == 200
    assert Response.objects.count() == 1
    assert client.get(_url(period)).status_code == 200  # a thank-you, not the form again


def test_the_same_form_sent_twice_is_one_answer(period, client):
    page = client.get(_url(period))
    key = page.context["form"]["submission"].value()
    client.post(_url(period), {"q_respect": "4", "submission": key})
    client.cookies.clear()  # a second tab, or the cookie refused

    client.post(_url(period), {"q_respect": "4", "submission": key})

    assert Response.objects.count() == 1


def test_many_answers_from_one_address_are_throttled(period, client, monkeypatch):
    monkeypatch.setattr(views, "ANSWERS_PER_ADDRESS_HOUR", 3)
    for _ in range(3):
        client.cookies.clear()
        assert client.post(_url(period), {"q_respect": "4"}).status_code == 200

    client.cookies.clear()
    refused = client.post(_url(period), {"q_respect": "4"})

    assert refused.status_code == 429
    assert Response.objects.count() == 3
    other = client.post(_url(period), {"q_respect": "4"}, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200
    assert Response.objects.count() == 4


def test_the_page_is_for_a_phone(period, client):
    text = client.get(_url(period)).content.decode()
    assert 'name="viewport" content="width=device-width' in text
    assert 'class="option"' in text  # the large targets of tillit.css
    assert 'class="primary big"' in text
