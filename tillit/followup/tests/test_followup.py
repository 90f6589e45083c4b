"""A follow-up after closing: the conversation recorded with how life is now and the change
since closing as Bjuv counted it, or not reached after tries; never held in the future."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from tillit.audit.models import AccessLog
from tillit.conftest import client_for
from tillit.factories import PersonFactory, UserFactory
from tillit.followup import services
from tillit.followup.models import Attempt, Change, FollowUp, State
from tillit.followup.queries import due
from tillit.followup.tests.data import closed_case
from tillit.org.models import Role

TODAY = timezone.localdate


@pytest.fixture
def followup(unit, worker):
    case = closed_case(unit, worker)
    return FollowUp.objects.filter(closing__case=case).first()


def held(**extra) -> dict:  # type: ignore[no-untyped-def]
    return {
        "held_on": TODAY().isoformat(),
        "channel": "phone",
        "change": "lasting",
        "life_self": "7",
        "life_overall": "8",
        "substance": "less",
        "housing": "own",
        "occupation": "studies",
        "sought_help": "no",
        "client_words": "Jag har fått ett jobb.",
        **extra,
    }


def english(user):  # type: ignore[no-untyped-def]
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_former_contact_person_records_the_conversation(worker, followup):
    client = english(worker)
    page = client.get(reverse("followup:followup", args=[followup.pk])).content.decode()
    assert "How I feel in myself" in page  # the life check's areas, as data
    response = client.post(reverse("followup:followup", args=[followup.pk]), held())
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.state == State.HELD and followup.held_on == TODAY()
    assert followup.change == Change.LASTING and followup.recorded_by == worker
    assert followup.life == {"self": 7, "overall": 8}
    assert followup.sought_help is False and followup.occupation == "studies"
    page = client.get(reverse("followup:followup", args=[followup.pk])).content.decode()
    assert "Jag har fått ett jobb." in page and "Lasting improvement" in page
    again = client.post(reverse("followup:followup", args=[followup.pk]), held(change="worse"))
    assert again.status_code == 302
    assert "already recorded" in [str(m) for m in get_messages(again.wsgi_request)][-1]
    followup.refresh_from_db()
    assert followup.change == Change.LASTING


def test_the_team_leader_may_record_it_too(leader, followup):
    assert (
        english(leader).post(reverse("followup:followup", args=[followup.pk]), held()).status_code
        == 302
    )


def test_held_in_the_future_is_refused_with_a_message(worker, followup):
    later = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = english(worker).post(
        reverse("followup:followup", args=[followup.pk]), held(held_on=later)
    )
    assert "The date cannot be in the future." in response.content.decode()
    assert "Jag har fått ett jobb." in response.content.decode()  # nothing lost
    followup.refresh_from_db()
    assert followup.state == State.DUE


def test_the_model_and_the_database_refuse_held_in_the_future(worker, followup):
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="cannot be recorded as held in the future"),
    ):
        services.followup_record(
            followup=followup,
            actor=worker,
            held_on=TODAY() + datetime.timedelta(days=2),
            channel="phone",
            change="none",
        )
    # Past the model: the database holds the day held to the day recorded.
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.filter(pk=followup.pk).update(
            state=State.HELD,
            held_on=TODAY() + datetime.timedelta(days=2),
            recorded_on=TODAY(),
            change="none",
            channel="phone",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.filter(pk=followup.pk).update(state=State.HELD)  # no date, no change


def test_the_change_must_be_counted(worker, followup):
    response = english(worker).post(
        reverse("followup:followup", args=[followup.pk]), held(change="")
    )
    assert response.status_code == 200
    assert FollowUp.objects.get(pk=followup.pk).state == State.DUE


def test_a_value_outside_the_life_scale_is_a_form_error(worker, followup):
    response = english(worker).post(
        reverse("followup:followup", args=[followup.pk]), held(life_self="11")
    )
    assert response.status_code == 200
    assert FollowUp.objects.get(pk=followup.pk).state == State.DUE


def test_not_reached_counts_every_try(worker, followup):
    client = english(worker)
    url = reverse("followup:attempt", args=[followup.pk])
    yesterday = (TODAY() - datetime.timedelta(days=1)).isoformat()
    client.post(url, {"tried_on": yesterday, "how": "phone", "note": "Inget svar"})
    followup.refresh_from_db()
    assert followup.state == State.DUE
    client.post(url, {"tried_on": TODAY().isoformat(), "how": "letter", "give_up": "on"})
    followup.refresh_from_db()
    assert followup.state == State.NOT_REACHED
    assert list(Attempt.objects.values_list("how", flat=True)) == ["phone", "letter"]
    page = client.get(reverse("followup:followup", args=[followup.pk])).content.decode()
    assert "Inget svar" in page


def test_a_try_in_the_future_is_refused(worker, followup):
    later = (TODAY() + datetime.timedelta(days=1)).isoformat()
    english(worker).post(
        reverse("followup:attempt", args=[followup.pk]), {"tried_on": later, "how": "phone"}
    )
    assert not Attempt.objects.exists()


def test_a_cancelled_follow_up_takes_nothing(worker, followup):
    FollowUp.objects.filter(pk=followup.pk).update(state=State.CANCELLED, cancel_reason="reopened")
    client = english(worker)
    client.post(reverse("followup:followup", args=[followup.pk]), held())
    client.post(
        reverse("followup:attempt", args=[followup.pk]),
        {"tried_on": TODAY().isoformat(), "how": "phone"},
    )
    followup.refresh_from_db()
    assert followup.state == State.CANCELLED and not Attempt.objects.exists()


def test_a_colleague_gets_403_another_unit_404(colleague, outsider, followup):
    for user, status in ((colleague, 403), (outsider, 404)):
        before = AccessLog.objects.count()
        for url_name in ("followup:followup", "followup:attempt", "followup:link_new"):
            response = client_for(user).post(reverse(url_name, args=[followup.pk]), held())
            assert response.status_code == status, url_name
        assert AccessLog.objects.count() == before
    followup.refresh_from_db()
    assert followup.state == State.DUE


# -- the due list ----------------------------------------------------------------------------


def test_due_lists_what_is_due_soon_or_overdue_for_the_worker_and_the_unit(
    worker, colleague, leader, unit, other_unit, outsider, django_assert_num_queries
):
    today = TODAY()
    overdue = closed_case(unit, worker, dates=[today - datetime.timedelta(days=190)], days_ago=200)
    soon = closed_case(unit, worker, dates=[today + datetime.timedelta(days=10)], days_ago=30)
    closed_case(unit, worker, dates=[today + datetime.timedelta(days=100)], days_ago=30)
    closed_case(unit, colleague, dates=[today - datetime.timedelta(days=1)], days_ago=30)
    closed_case(other_unit, outsider, dates=[today], days_ago=30)
    with django_assert_num_queries(1):
        mine = list(due(viewer=worker, today=today, worker=worker))
        assert [f.closing.case for f in mine] == [overdue, soon]
    assert mine[0].days_late(today) == 190
    units = list(due(viewer=leader, today=today, unit_ids=[unit.pk]))
    assert len(units) == 3


def test_due_leaves_out_a_protected_person_for_staff_not_named_on_them(worker, leader, unit):
    named = UserFactory.member(unit, Role.WORKER)
    person = PersonFactory(protected_identity=True)
    person.named_staff.add(named)
    closed_case(unit, named, person=person, dates=[TODAY()], days_ago=30)
    assert list(due(viewer=leader, today=TODAY(), unit_ids=[unit.pk])) == []
    assert len(due(viewer=named, today=TODAY(), worker=named)) == 1


def test_the_clients_page_counts_the_follow_ups_due(worker, unit):
    case = closed_case(unit, worker, dates=[TODAY() - datetime.timedelta(days=3)], days_ago=30)
    page = english(worker).get(reverse("clients:person", args=[case.person_id]))
    assert "1 follow-up due" in page.content.decode()
