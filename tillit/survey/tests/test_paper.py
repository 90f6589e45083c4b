"""Typing in paper forms: staff of the unit, names removed from free text, once per form,
and only the count of forms per typist kept."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tillit.conftest import client_for
from tillit.survey.models import Channel, PaperTally, Response
from tillit.survey.services import PAPER_DAYS_AFTER, paper_record
from tillit.survey.tests.data import TODAY, make_period


@pytest.fixture
def period(unit, leader):
    return make_period(unit, leader)


def _url(period) -> str:  # type: ignore[no-untyped-def]
    return reverse("survey:paper_entry", args=[period.pk])


def test_a_worker_of_the_unit_types_in_a_form(period, worker):
    client = client_for(worker)
    page = client.get(_url(period))
    assert page.status_code == 200
    assert "I have removed every name" in page.content.decode() or "namn" in page.content.decode()

    response = client.post(_url(period), {"q_respect": "3", "q_influence": "9"})

    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.channel == Channel.PAPER
    assert PaperTally.objects.get(staff=worker).forms == 1


def test_free_text_needs_the_names_removed_box(period, worker):
    client = client_for(worker)
    client.cookies["django_language"] = "en"

    refused = client.post(_url(period), {"q_respect": "3", "free_text": "Bra stöd."})

    assert refused.status_code == 200
    assert "Remove any names from the text, then tick the box." in refused.content.decode()
    assert refused.context["form"].data["free_text"] == "Bra stöd."  # nothing lost
    assert not Response.objects.exists()

    saved = client.post(
        _url(period), {"q_respect": "3", "free_text": "Bra stöd.", "names_removed": "on"}
    )
    assert saved.status_code == 302
    assert Response.objects.get().free_text == "Bra stöd."


def test_no_free_text_needs_no_box(period, worker):
    client_for(worker).post(_url(period), {"q_respect": "2"})
    assert Response.objects.count() == 1


def test_the_service_refuses_free_text_without_the_box(period, worker):
    with pytest.raises(ValidationError):
        paper_record(actor=worker, period=period, answers={"respect": 4}, free_text="Anna var bra")
    assert not Response.objects.exists()


def test_a_form_sent_twice_is_typed_in_once(period, worker):
    client = client_for(worker)
    key = client.get(_url(period)).context["form"]["submission"].value()
    client.post(_url(period), {"q_respect": "3", "submission": key})

    again = client.post(_url(period), {"q_respect": "3", "submission": key}, follow=True)

    assert again.status_code == 200
    assert Response.objects.count() == 1
    assert PaperTally.objects.get(staff=worker).forms == 1


def test_paper_forms_are_taken_for_a_while_after_the_end_then_not(unit, leader, worker):
    ended = make_period(
        unit,
        leader,
        starts_on=TODAY - datetime.timedelta(days=PAPER_DAYS_AFTER + 30),
        ends_on=TODAY - datetime.timedelta(days=PAPER_DAYS_AFTER + 1),
    )
    recent = make_period(
        unit,
        leader,
        starts_on=TODAY - datetime.timedelta(days=25),
        ends_on=TODAY - datetime.timedelta(days=5),
    )
    client = client_for(worker)
    client.cookies["django_language"] = "en"

    assert client.post(_url(recent), {"q_respect": "3"}).status_code == 302
    late = client.post(_url(ended), {"q_respect": "3"})
    assert late.status_code == 200
    assert Response.objects.count() == 1


def test_staff_of_another_unit_cannot_type_in(period, outsider, other_leader):
    for user in (outsider, other_leader):
        assert client_for(user).post(_url(period), {"q_respect": "3"}).status_code == 404
    assert not Response.objects.exists()


def test_a_get_writes_nothing(period, worker):
    client_for(worker).get(_url(period))
    assert not Response.objects.exists()
    assert not PaperTally.objects.exists()
