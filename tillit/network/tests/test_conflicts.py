"""A network member and a conference's preparation and record are saved against the
revision they were read at (tillit/lib/revisions.py): a stale save shows both versions
and writes nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tillit.lib.revisions import Conflict
from tillit.network import services
from tillit.network.models import FamilyConference, NetworkMember, Stage
from tillit.network.tests.test_network import add, en

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _member_post(member, **fields):  # type: ignore[no-untyped-def]
    return {"name": member.name, "relation": member.relation, "quality": member.quality} | fields


def test_a_stale_edit_of_a_member_shows_both_and_writes_nothing(person, case, worker):
    mona = add(person, worker, client_words="Mona is always there")
    url = reverse("network:member", args=[mona.pk])
    client = en(worker)
    saved = client.post(url, _member_post(mona, client_words="Mona helps with Kim", revision=1))
    assert saved.status_code == 302

    stale = client.post(url, _member_post(mona, client_words="Mona is tired now", revision=1))

    page = stale.content.decode()
    assert "Someone else saved this person while you were writing." in page
    assert "Mona helps with Kim" in page and "Mona is tired now</textarea>" in page
    assert 'name="overwrite" value="2"' in page
    assert NetworkMember.objects.get(pk=mona.pk).client_words == "Mona helps with Kim"

    kept = client.post(
        url, _member_post(mona, client_words="Mona is tired now", revision=1, overwrite=2)
    )
    assert kept.status_code == 302
    assert NetworkMember.objects.get(pk=mona.pk).client_words == "Mona is tired now"


def test_the_member_service_refuses_a_stale_save(person, worker):
    mona = add(person, worker)
    services.member_update(member=NetworkMember.objects.get(pk=mona.pk), revision=1, reach="070")
    with pytest.raises(Conflict):
        services.member_update(member=mona, revision=1, reach="071")
    assert NetworkMember.objects.get(pk=mona.pk).reach == "070"


@pytest.fixture
def prepared(case, worker):
    conference = services.conference_request(
        actor=worker, case=case, questions="Who can help with the children?", agreement="Yes"
    )
    services.conference_appoint(conference=conference, name="Eva Samordnare")
    return FamilyConference.objects.get(pk=conference.pk)


def test_a_stale_preparation_shows_both_and_writes_nothing(prepared, worker):
    url = reverse("network:conference", args=[prepared.pk])
    client = en(worker)
    first = {"step": "prepare", "prepare-professionals": "School nurse", "prepare-revision": 1}
    assert client.post(url, first).status_code == 302
    stale = {"step": "prepare", "prepare-professionals": "The GP", "prepare-revision": 1}
    page = client.post(url, stale).content.decode()
    assert "Someone else saved this while you were writing." in page
    assert "School nurse" in page and "The GP</textarea>" in page
    assert 'name="prepare-overwrite" value="2"' in page
    assert FamilyConference.objects.get(pk=prepared.pk).professionals == "School nurse"


def test_a_conference_recorded_twice_is_refused_the_second_time(prepared):
    stale = FamilyConference.objects.get(pk=prepared.pk)
    record = {"held_on": TODAY, "information": "", "private_time": "", "revision": 1}
    services.conference_hold(conference=prepared, plan_summary="Mona takes Kim", **record)
    with pytest.raises(Conflict) as raised:
        services.conference_hold(conference=stale, plan_summary="Olle takes Kim", **record)
    assert raised.value.saved.plan_summary == "Mona takes Kim"
    assert raised.value.saved.stage == Stage.CONFERENCE


def test_appointing_never_writes_back_what_others_wrote_meanwhile(prepared):
    read_earlier = FamilyConference.objects.get(pk=prepared.pk)
    services.conference_prepare(conference=prepared, professionals="School nurse", revision=1)
    services.conference_appoint(conference=read_earlier, name="Per Samordnare")
    stored = FamilyConference.objects.get(pk=prepared.pk)
    assert (stored.coordinator_name, stored.professionals) == ("Per Samordnare", "School nurse")
    assert stored.revision == 2
