"""Family group conferences through their stages, and consent enforced on invitations."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from tillit.clients.models import JournalEntry
from tillit.network import services
from tillit.network.models import Invitation, Stage
from tillit.network.tests.test_network import add, en

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def conference(case, worker):
    return services.conference_request(
        actor=worker, case=case, questions="Who can help with the children?", agreement="Yes"
    )


@pytest.fixture
def prepared(conference):
    services.conference_appoint(conference=conference, name="Eva Samordnare")
    return conference


def _consented(person, worker, name="Mona"):
    member = add(person, worker, name)
    services.consent_give(actor=worker, member=member, purpose="invite")
    return member


def test_member_without_invite_consent_cannot_be_invited(person, worker, prepared):
    member = add(person, worker)
    services.consent_give(actor=worker, member=member, purpose="share")  # not enough
    with pytest.raises(ValidationError, match="has not given consent to invite"):
        services.invite(actor=worker, member=member, conference=prepared)
    assert not Invitation.objects.exists()


def test_the_refusal_is_in_the_users_language(person, worker, prepared):
    member = add(person, worker)
    with translation.override("sv"), pytest.raises(ValidationError, match="har inte samtyckt"):
        services.invite(actor=worker, member=member, conference=prepared)
    with translation.override("nb"), pytest.raises(ValidationError, match="ikke samtykket"):
        services.invite(actor=worker, member=member, conference=prepared)


def test_withdrawn_consent_does_not_count(person, worker, prepared):
    member = _consented(person, worker)
    services.consent_withdraw(actor=worker, consent=member.consents.get())
    with pytest.raises(ValidationError):
        services.invite(actor=worker, member=member, conference=prepared)


def test_member_of_another_client_cannot_be_invited(worker, prepared):
    from tillit.factories import PersonFactory

    stranger = _consented(PersonFactory(), worker)
    with pytest.raises(ValidationError, match="not on this client's network map"):
        services.invite(actor=worker, member=stranger, conference=prepared)


def test_withdrawing_consent_marks_the_invitation_and_warns(person, case, worker, prepared):
    member = _consented(person, worker)
    invitation = services.invite(actor=worker, member=member, conference=prepared)
    client = en(worker)

    client.post(reverse("network:consent_withdraw", args=[member.consents.get().pk]))

    invitation.refresh_from_db()
    assert invitation.consent_withdrawn_on == TODAY  # marked, not dropped
    page = client.get(reverse("network:conference", args=[prepared.pk])).content.decode()
    assert "Mona withdrew consent" in page
    assert "consent withdrawn" in page


def test_the_invite_form_shows_the_consent_error(person, case, worker, prepared):
    member = add(person, worker)
    response = en(worker).post(
        reverse("network:conference", args=[prepared.pk]),
        {"step": "invite", "invite-member": member.pk},
    )
    assert response.status_code == 200
    assert "has not given consent to invite" in response.content.decode()


def test_a_conference_from_request_to_follow_up(person, case, worker, leader):
    members = [_consented(person, worker, name) for name in ("Mona", "Olle", "Pia")]
    client = en(worker)
    response = client.post(
        reverse("network:conference_new", args=[case.pk]),
        {"questions": "How is Kim kept safe?", "agreement": "Kim and Mona agree"},
    )
    conference = case.family_conferences.get()
    assert response.url == reverse("network:conference", args=[conference.pk])
    url = response.url
    steps = [
        {
            "step": "coordinator",
            "coordinator-name": "",
            "coordinator-staff": leader.pk,
            "coordinator-on": str(TODAY),
        },
        *({"step": "invite", "invite-member": m.pk} for m in members),
        {"step": "prepare", "prepare-professionals": "School nurse", "prepare-revision": 1},
        {
            "step": "hold",
            "hold-held_on": str(TODAY),
            "hold-information": "The school told",
            "hold-private_time": "",
            "hold-plan_summary": "Mona takes Kim to school",
            "hold-revision": 2,
        },
        {
            "step": "step",
            "step-what": "Walk to school",
            "step-owner_kind": "member",
            "step-owner_member": members[0].pk,
            "step-by_when": str(TODAY + datetime.timedelta(days=7)),
        },
        {"step": "decide", "decide-decision": "accepted", "decide-reason": ""},
        {"step": "follow_up", "follow_up-held_on": str(TODAY), "follow_up-notes": "Going well"},
        {
            "step": "outcome",
            "outcome-step": "__step__",
            "outcome-outcome": "Every Saturday so far",
            "outcome-done_on": "",
        },
    ]
    for data in steps:
        if data.get("outcome-step") == "__step__":
            data["outcome-step"] = conference.steps.get().pk
        response = client.post(url, data)
        assert response.status_code == 302, (data, response.content.decode()[:3000])

    conference.refresh_from_db()
    assert conference.stage == Stage.FOLLOW_UP
    assert conference.coordinator == str(leader)
    assert conference.invitations.count() == 3
    assert conference.steps.get().owner == "Mona"
    assert conference.steps.get().outcome == "Every Saturday so far"
    assert conference.follow_ups.get().notes == "Going well"
    report = en(leader).get(reverse("network:unit_conferences", args=[case.unit_id]))
    assert "1 in all: 1 plans accepted" in report.content.decode()


def test_refusing_the_plan_needs_a_reason(person, worker, prepared):
    services.conference_hold(
        conference=prepared,
        held_on=TODAY,
        information="",
        private_time="",
        plan_summary="Plan",
    )
    services.step_add(
        conference=prepared, what="Call", owner_kind="client", owner_name="", by_when=TODAY
    )
    with pytest.raises(ValidationError, match="Say why"):
        services.conference_decide(actor=worker, conference=prepared, decision="not_accepted")
    services.conference_decide(
        actor=worker, conference=prepared, decision="not_accepted", reason="Unsafe"
    )
    assert prepared.stage == Stage.DECISION


def test_decision_needs_a_plan(worker, prepared):
    services.conference_hold(
        conference=prepared, held_on=TODAY, information="", private_time="", plan_summary="P"
    )
    with pytest.raises(ValidationError, match="Record the family's plan"):
        services.conference_decide(actor=worker, conference=prepared, decision="accepted")


def test_steps_out_of_order_are_refused_with_a_message(worker, conference):
    response = en(worker).post(
        reverse("network:conference", args=[conference.pk]),
        {"step": "decide", "decide-decision": "accepted"},
    )
    assert response.status_code == 200
    assert "does not fit the conference" in response.content.decode()


# -- meetings ------------------------------------------------------------------------------


def test_meeting_refuses_a_member_without_consent(person, case, worker):
    member = add(person, worker)
    with pytest.raises(ValidationError, match="has not given consent"):
        services.meeting_record(
            actor=worker,
            case=case,
            members=[member],
            held_on=TODAY,
            kind="network",
            purpose="P",
        )


def test_reflecting_team_writes_a_draft_journal_entry(person, case, worker):
    member = _consented(person, worker)
    response = en(worker).post(
        reverse("network:meeting_new", args=[case.pk]),
        {
            "held_on": str(TODAY),
            "kind": "reflecting",
            "client_present": "on",
            "purpose": "Think together about the summer",
            "client_words": "I want to see my daughter",
            "reflections": "The team heard hope",
            "response": "Kim agreed",
            "members": [member.pk],
            "journal": "on",
        },
    )
    meeting = case.meetings.get()
    assert response.url == reverse("network:meeting", args=[meeting.pk])
    entry = JournalEntry.objects.get(pk=meeting.journal_entry_id)
    assert entry.kind == "network_meeting" and not entry.is_signed
    assert "The team heard hope" in entry.text and not entry.client_words
    assert "Purpose: Think together" in entry.text
    assert "What was said, in the client's words: I want to see my daughter" in entry.text
    assert entry.present == f"{person}, {worker}, Mona"
    page = en(worker).get(response.url).content.decode()
    assert "I want to see my daughter" in page and "Mona" in page


def test_withdrawn_consent_is_flagged_on_the_meeting_page(person, case, worker):
    member = _consented(person, worker)
    meeting = services.meeting_record(
        actor=worker, case=case, members=[member], held_on=TODAY, kind="network", purpose="P"
    )
    services.consent_withdraw(actor=worker, consent=member.consents.get())
    page = en(worker).get(reverse("network:meeting", args=[meeting.pk])).content.decode()
    assert "Mona withdrew consent" in page
    assert meeting.invitations.get().member == member  # still recorded as taking part
