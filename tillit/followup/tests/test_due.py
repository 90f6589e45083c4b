"""The due list on the caseload and the unit page: plan reviews, decisions that end or wait
to be carried out, and follow-ups after closing, each on the right page and no one else's,
overdue ones with their days."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tillit.audit.models import AccessLog
from tillit.clients.models import Case
from tillit.conftest import client_for
from tillit.decisions.models import Decision, Law
from tillit.decisions.queries import months_after
from tillit.factories import AssignmentFactory, CaseFactory, PersonFactory
from tillit.followup.due import due_list
from tillit.followup.models import Closing, FollowUp
from tillit.plans.models import Plan, Review

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def decision(case, user, **values) -> Decision:
    defaults = {
        "kind": "outpatient",
        "what": "Outpatient treatment",
        "outcome": "granted",
        "law": Law.objects.first(),
        "decided_by": user,
        "grounds": "Needs it.",
        "appeal_info": "Appeal within three weeks.",
        "signed_at": timezone.now(),
    }
    return Decision.objects.create(case=case, **(defaults | values))


def closed_with_follow_up(case, user, due_on) -> FollowUp:
    Case.objects.filter(pk=case.pk).update(status="closed", closed_on=days(-180))
    closing = Closing.objects.create(
        case=case, reason="goals_reached", closed_on=days(-180), closed_by=user
    )
    return FollowUp.objects.create(closing=closing, due_on=due_on)


@pytest.fixture
def items(case, worker, unit):
    plan = Plan.objects.create(case=case, kind="care", review_on=days(30), created_by=worker)
    Review.objects.create(
        plan=plan, held_on=days(-20), happened="x", next_on=days(-3), author=worker
    )
    ending = decision(case, worker, what="Housing support", ends_on=days(10), starts_on=days(-100))
    waiting = decision(case, worker, what="Treatment home", decided_on=days(-120))
    closed = CaseFactory(unit=unit)
    AssignmentFactory(case=closed, worker=worker)
    follow_up = closed_with_follow_up(closed, worker, days(-5))
    return {"plan": plan, "ending": ending, "waiting": waiting, "follow_up": follow_up}


def test_a_workers_due_list_has_each_kind_oldest_first(worker, items):
    three_months_on = months_after(days(-120))
    with translation.override("en"):
        listed = due_list(worker, TODAY, worker=worker)
    assert [(i.what, i.on, i.late) for i in listed] == [
        ("Not carried out: Treatment home", three_months_on, (TODAY - three_months_on).days),
        ("Follow-up after closing", days(-5), 5),
        ("Plan review", days(-3), 3),  # the latest review's date, not the plan's own
        ("Decision ends: Housing support", days(10), -10),
    ]


def test_what_is_not_due_or_not_in_force_is_not_listed(worker, case, items):
    Review.objects.create(
        plan=items["plan"], held_on=days(-1), happened="y", next_on=days(40), author=worker
    )
    replacement = decision(case, worker, what="Housing support", replaces=items["ending"])
    items["waiting"].carried_out_on = days(-1)
    items["waiting"].save()
    FollowUp.objects.filter(pk=items["follow_up"].pk).update(
        state="cancelled", cancel_reason="reopened"
    )
    assert replacement.ends_on is None
    assert due_list(worker, TODAY, worker=worker) == []


def test_the_unit_page_and_the_caseload_show_the_items_and_record_whom(worker, leader, unit, items):
    page = client_for(leader).get(reverse("clients:unit", args=[unit.pk]))
    assert page.context["due"] == due_list(leader, TODAY, unit_ids=[unit.pk])
    assert len(page.context["due"]) == 4
    listed = set(AccessLog.objects.latest("pk").listed.values_list("person_id", flat=True))
    assert items["follow_up"].closing.case.person_id in listed  # a closed case's client too

    client = client_for(worker)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("clients:caseload"))
    assert "5 days overdue" in page.text and "3 days overdue" in page.text
    assert reverse("followup:followup", args=[items["follow_up"].pk]) in page.text
    listed = set(AccessLog.objects.latest("pk").listed.values_list("person_id", flat=True))
    assert items["follow_up"].closing.case.person_id in listed


def test_no_one_sees_anothers_items(colleague, other_leader, other_unit, items):
    assert due_list(colleague, TODAY, worker=colleague) == []
    assert due_list(other_leader, TODAY, unit_ids=[other_unit.pk]) == []


def test_a_protected_persons_items_only_for_staff_named_on_them(worker, leader, unit):
    person = PersonFactory(protected_identity=True)
    person.named_staff.add(worker)
    case = CaseFactory(unit=unit, person=person)
    AssignmentFactory(case=case, worker=worker)
    decision(case, worker, decided_on=days(-200))
    assert len(due_list(worker, TODAY, worker=worker)) == 1
    assert due_list(leader, TODAY, unit_ids=[unit.pk]) == []


def test_the_daily_digest_counts_without_naming_a_client(
    worker, leader, colleague, items, mailoutbox, settings
):
    from django.core.management import call_command

    settings.LANGUAGE_CODE = "en"
    for user in (worker, leader, colleague):
        user.email = f"{user.username}@example.se"
        user.save()
    call_command("due_digest")
    mails = {m.to[0]: m for m in mailoutbox}
    assert set(mails) == {"worker@example.se", "leader@example.se"}  # the colleague has none
    body = mails["worker@example.se"].body
    assert mails["worker@example.se"].subject == "Tillit: 4 items due"
    assert "3 of them are overdue." in body and "http://127.0.0.1:8000/" in body
    for case in Case.objects.all():
        assert case.person.first_name not in body and case.person.last_name not in body
        assert case.person.id_number not in body
