"""The follow-up on the client's phone through a one-time link: only a hash stored, works
once, expires; a wrong, used or expired token is a plain 404 that tells nothing."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tillit.audit.models import AccessLog
from tillit.conftest import client_for
from tillit.followup.models import Attempt, FollowUp, FollowUpLink, State
from tillit.followup.tests.data import closed_case


@pytest.fixture
def followup(unit, worker, person):
    case = closed_case(unit, worker, person=person)
    return FollowUp.objects.filter(closing__case=case).first()


def make_link(worker, followup) -> str:  # type: ignore[no-untyped-def]
    response = client_for(worker).post(reverse("followup:link_new", args=[followup.pk]))
    assert response.status_code == 200
    assert "<svg" in response.content.decode()  # the QR code, drawn on the server
    return re.search(r"/followup/l/[\w-]+/", response.context["link_url"]).group(0)


ANSWER = {
    "life_self": "6",
    "life_close": "7",
    "change": "temporary",
    "housing": "family",
    "sought_help": "yes",
    "client_words": "Det gick bra ett tag.",
}


def test_the_client_answers_once_on_the_phone(worker, followup, person, client):
    url = make_link(worker, followup)
    assert Attempt.objects.get().how == "link"  # sending it is a try to reach them
    # Without the form's random CSRF token, which may spell any short name by chance.
    page = re.sub(r'csrfmiddlewaretoken" value="\w+"', "", client.get(url).content.decode())
    for secret in (
        person.first_name,
        person.last_name,
        person.id_number,
        followup.closing.case.unit.name,
    ):
        assert secret not in page
    assert "How I feel in myself" in page or "Hur jag mår i mig själv" in page

    response = client.post(url, ANSWER)

    assert response.status_code == 200
    followup.refresh_from_db()
    assert followup.state == State.HELD and followup.channel == "link"
    assert followup.held_on == timezone.localdate() and followup.recorded_by is None
    assert followup.change == "temporary" and followup.life == {"self": 6, "close": 7}
    assert followup.sought_help is True and followup.client_words == "Det gick bra ett tag."

    again = client.post(url, {**ANSWER, "change": "worse"})
    assert again.status_code == 404
    assert client.get(url).status_code == 404
    followup.refresh_from_db()
    assert followup.change == "temporary"


def test_the_change_is_asked_for_and_nothing_is_lost(worker, followup, client):
    url = make_link(worker, followup)
    response = client.post(url + "?lang=en", {**ANSWER, "change": ""})
    assert response.status_code == 200
    assert "Please answer this question." in response.content.decode()
    assert "Det gick bra ett tag." in response.content.decode()
    assert FollowUp.objects.get(pk=followup.pk).state == State.DUE


def test_the_link_opens_in_the_clients_language(worker, followup, person, client):
    person.preferred_language = "nb"
    person.save()
    url = make_link(worker, followup)
    assert "Hvordan har du det nå?" in client.get(url).content.decode()
    assert "How are things now?" in client.get(url, {"lang": "en"}).content.decode()


def test_an_expired_a_wrong_or_a_replaced_token_is_a_plain_404(worker, followup, client):
    first = make_link(worker, followup)
    second = make_link(worker, followup)
    assert client.get(first).status_code == 404  # a new link stops the older one
    FollowUpLink.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    expired = client.get(second)
    wrong = client.get(reverse("followup:link", args=["nonsense"]))
    assert expired.status_code == wrong.status_code == 404
    assert expired.content == wrong.content  # nothing tells one from the other
    assert client.post(reverse("followup:link", args=["x" * 5000]), ANSWER).status_code == 404
    assert FollowUp.objects.get(pk=followup.pk).state == State.DUE


def test_a_link_of_a_cancelled_follow_up_opens_no_more(worker, followup, client):
    url = make_link(worker, followup)
    FollowUp.objects.filter(pk=followup.pk).update(state=State.CANCELLED, cancel_reason="reopened")
    assert client.get(url).status_code == 404


def test_only_a_hash_of_the_token_is_stored(worker, followup):
    url = make_link(worker, followup)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert not FollowUpLink.objects.filter(token_hash=token).exists()
    assert FollowUpLink.objects.filter(token_hash=FollowUpLink.hash(token)).exists()


def test_the_link_page_writes_no_audit_row_and_needs_no_login(worker, followup, client):
    url = make_link(worker, followup)
    before = AccessLog.objects.count()
    assert client.get(url).status_code == 200
    assert AccessLog.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_the_link_opens_outside_a_test_transaction(worker, unit, person, client):
    """A read runs without a transaction, as on a server; the link brings its own."""
    case = closed_case(unit, worker, person=person)
    url = make_link(worker, FollowUp.objects.filter(closing__case=case).first())
    assert client.get(url).status_code == 200
