"""Closing a case: why, in the client's words, every unsigned draft signed or discarded by
choice, the follow-ups planned; refused while a decision is in force or someone else's
draft is on the case; once, however often it is sent."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tillit.audit.models import AccessLog
from tillit.clients.models import CaseStatus, EntryStatus, JournalEntry
from tillit.conftest import client_for
from tillit.decisions.tests.data import decision
from tillit.factories import EntryFactory
from tillit.followup import services
from tillit.followup.models import Closing, FollowUp, State
from tillit.lib.dates import add_months

TODAY = timezone.localdate


def english(user):  # type: ignore[no-untyped-def]
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def close_data(**extra) -> dict:  # type: ignore[no-untyped-def]
    today = TODAY()
    first, second = services.default_dates(today)
    return {
        "reason": "goals_reached",
        "reason_text": "",
        "client_words": "Jag klarar mig själv nu.",
        "closed_on": today.isoformat(),
        "follow_up": "on",
        "first_on": first.isoformat(),
        "second_on": second.isoformat(),
        **extra,
    }


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2026, 1, 15), 6) == datetime.date(2026, 7, 15)
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 8, 31), 6) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 12, 1), 12) == datetime.date(2027, 12, 1)


def test_the_worker_closes_with_reason_words_and_two_follow_ups(worker, case, person):
    client = english(worker)
    page = client.get(reverse("followup:close", args=[case.pk])).content.decode()
    first, second = services.default_dates(TODAY())
    assert first.isoformat() in page and second.isoformat() in page  # 6 and 12 months

    response = client.post(reverse("followup:close", args=[case.pk]), close_data())

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on == TODAY()
    closing = Closing.objects.get(case=case)
    assert closing.reason == "goals_reached" and closing.closed_by == worker
    assert closing.client_words == "Jag klarar mig själv nu."
    assert [f.due_on for f in closing.followups.all()] == [first, second]
    assert {f.state for f in closing.followups.all()} == {State.DUE}
    # The contact person stays on the closed case, and reads it.
    assert case.assignments.current().filter(worker=worker).exists()
    page = client.get(reverse("followup:person", args=[person.pk])).content.decode()
    assert "Jag klarar mig själv nu." in page and "Reopen the case" in page


def test_follow_up_days_are_settable_or_none(worker, case):
    day = TODAY() + datetime.timedelta(days=90)
    english(worker).post(
        reverse("followup:close", args=[case.pk]),
        close_data(first_on=day.isoformat(), second_on=""),
    )
    assert list(FollowUp.objects.values_list("due_on", flat=True)) == [day]


def test_no_follow_up_if_not_chosen(worker, case):
    data = close_data()
    del data["follow_up"]
    english(worker).post(reverse("followup:close", args=[case.pk]), data)
    assert Closing.objects.get().followups.count() == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"reason": ""}, "This field is required."),
        ({"reason": "other"}, "Say in a few words why the case closes."),
        ({"reason": "died"}, "No follow-up is planned with a client who has died."),
        ({"first_on": "2000-01-01"}, "A follow-up is planned after the day the case closes."),
        ({"first_on": "", "second_on": ""}, "Give the day of at least one follow-up."),
        ({"closed_on": "2999-01-01"}, "The date cannot be in the future."),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_closed(worker, case, extra, message):
    response = english(worker).post(reverse("followup:close", args=[case.pk]), close_data(**extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Jag klarar mig själv nu." in response.content.decode()  # nothing lost
    case.refresh_from_db()
    assert case.is_open and not Closing.objects.exists()


def test_each_of_my_drafts_is_signed_or_discarded_as_chosen(worker, case):
    keep = EntryFactory(case=case, author=worker, text="Keep this one")
    drop = EntryFactory(case=case, author=worker, text="Throw this one")
    client = english(worker)
    page = client.get(reverse("followup:close", args=[case.pk])).content.decode()
    assert "Keep this one" in page and "Throw this one" in page

    # Not chosen for one: refused, nothing signed, nothing discarded.
    response = client.post(
        reverse("followup:close", args=[case.pk]), close_data(**{f"draft_{keep.pk}": "sign"})
    )
    assert "Choose whether this draft is signed or discarded." in response.content.decode()
    assert JournalEntry.objects.filter(status=EntryStatus.DRAFT).count() == 2

    client.post(
        reverse("followup:close", args=[case.pk]),
        close_data(**{f"draft_{keep.pk}": "sign", f"draft_{drop.pk}": "discard"}),
    )
    keep.refresh_from_db()
    assert keep.status == EntryStatus.SIGNED and keep.signed_by == worker
    assert not JournalEntry.objects.filter(pk=drop.pk).exists()
    closing = Closing.objects.get()
    assert [d["done"] for d in closing.drafts] == ["sign", "discard"]


def test_a_colleagues_draft_blocks_closing_and_names_them(worker, leader, case, colleague):
    EntryFactory(case=case, author=worker, text="The worker's draft")
    client = english(leader)
    page = client.get(reverse("followup:close", args=[case.pk])).content.decode()
    assert str(worker) in page and "The worker's draft" not in page  # a draft is its author's

    response = client.post(reverse("followup:close", args=[case.pk]), close_data())
    assert f"There are unsigned drafts on the case by {worker}." in response.content.decode()
    case.refresh_from_db()
    assert case.is_open and not Closing.objects.exists()


def test_a_draft_written_in_another_tab_since_is_not_left_behind(worker, case):
    client = english(worker)
    EntryFactory(case=case, author=worker)
    with pytest.raises(ValidationError) as refused:
        services.case_close(
            actor=worker,
            case=case,
            reason="moved",
            closed_on=TODAY(),
            drafts={},
            follow_up_on=[],
        )
    assert refused.value.code == "drafts"
    assert case.journal_entries.filter(status=EntryStatus.DRAFT).count() == 1
    assert client.get(reverse("followup:close", args=[case.pk])).status_code == 200


def test_a_decision_in_force_blocks_closing(worker, case):
    granted = decision(case, worker, state="signed", what="Boendestöd")
    client = english(worker)
    page = client.get(reverse("followup:close", args=[case.pk])).content.decode()
    assert "A granted decision is still in force (Boendestöd" in page

    response = client.post(reverse("followup:close", args=[case.pk]), close_data())
    assert "A granted decision is still in force" in response.content.decode()
    case.refresh_from_db()
    assert case.is_open and not Closing.objects.exists()
    assert granted.pk  # stays


def test_a_decision_that_has_ended_does_not_block(worker, case):
    decision(
        case,
        worker,
        state="signed",
        starts_on=TODAY() - datetime.timedelta(days=60),
        ends_on=TODAY() - datetime.timedelta(days=1),
    )
    english(worker).post(reverse("followup:close", args=[case.pk]), close_data())
    assert Closing.objects.filter(case=case).exists()


def test_the_refusal_is_in_swedish_and_norwegian(worker, case):
    decision(case, worker, state="signed")
    for language, words in (("sv", "beslut"), ("nb", "vedtak")):
        client = client_for(worker)
        client.cookies["django_language"] = language
        response = client.post(reverse("followup:close", args=[case.pk]), close_data())
        assert words in response.content.decode()


def test_sent_twice_closes_once_and_says_so(worker, case):
    client = english(worker)
    client.post(reverse("followup:close", args=[case.pk]), close_data())
    again = client.post(reverse("followup:close", args=[case.pk]), close_data())
    assert again.status_code == 302
    assert [str(m) for m in get_messages(again.wsgi_request)][-1] == "The case is already closed."
    assert Closing.objects.count() == 1 and FollowUp.objects.count() == 2


def test_the_service_refuses_a_second_closing_on_a_stale_case(worker, case):
    stale = type(case).objects.get(pk=case.pk)
    services.case_close(
        actor=worker, case=case, reason="moved", closed_on=TODAY(), drafts={}, follow_up_on=[]
    )
    with pytest.raises(ValidationError) as refused:
        services.case_close(
            actor=worker, case=stale, reason="moved", closed_on=TODAY(), drafts={}, follow_up_on=[]
        )
    assert refused.value.code == "closed"
    assert Closing.objects.count() == 1


def test_a_colleague_gets_403_and_another_unit_404(worker, colleague, outsider, case):
    for user, status in ((colleague, 403), (outsider, 404)):
        before = AccessLog.objects.count()
        response = client_for(user).post(reverse("followup:close", args=[case.pk]), close_data())
        assert response.status_code == status
        assert AccessLog.objects.count() == before
    case.refresh_from_db()
    assert case.is_open


def test_emergency_access_reads_but_does_not_close(worker, colleague, case, person):
    from tillit.clients.services import emergency_access_open

    emergency_access_open(
        actor=colleague, person=person, category="contact", reason="Called at night in crisis"
    )
    client = client_for(colleague)
    assert client.get(reverse("followup:person", args=[person.pk])).status_code == 200
    assert client.get(reverse("followup:close", args=[case.pk])).status_code == 403
    assert client.post(reverse("followup:close", args=[case.pk]), close_data()).status_code == 403


def test_a_get_on_a_post_only_view_is_refused(worker, case):
    assert client_for(worker).get(reverse("followup:attempt", args=[1])).status_code == 405
