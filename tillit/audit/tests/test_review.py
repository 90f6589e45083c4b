"""Each month a reproducible random sample of a unit's ordinary accesses is put before its
team leader in log review (tillit/audit/review.py, audit.views.sample_mark)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tillit.audit import review
from tillit.audit.models import AccessLog, Action, Listed, Sample, SampleItem
from tillit.conftest import client_for
from tillit.factories import AssignmentFactory, CaseFactory, PersonFactory, UserFactory
from tillit.org.models import Role

MONTH = review.last_month()


def at(day: int, month: datetime.date = MONTH) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(month.replace(day=day), datetime.time(12)))


def look(user, case, *, day=3, **kw) -> AccessLog:  # type: ignore[no-untyped-def]
    values = {
        "role": "assigned",
        "unit": case.unit,
        "person": case.person,
        "case": case,
        "action": Action.READ,
        "at": at(day),
    }
    return AccessLog.objects.create(user=user, **(values | kw))


@pytest.fixture
def month_of_looks(worker, case, other_unit, emergency_case):
    ordinary = [look(worker, case, day=1 + i % 27) for i in range(25)]
    # Not ordinary, or not this unit's month: never drawn.
    look(worker, case, role="self")
    look(worker, case, action=Action.REVIEW)
    look(worker, case, emergency=emergency_case)
    look(worker, case, unit=other_unit)
    AccessLog.objects.create(user=worker, at=at(5), action=Action.LOGIN_FAILED, unit=case.unit)
    look(worker, case, at=at(1) - datetime.timedelta(days=3))  # the month before
    return ordinary


@pytest.fixture
def emergency_case(colleague, person):
    from tillit.clients import services

    return services.emergency_access_open(
        actor=colleague, person=person, category="contact", reason="Called at night in crisis"
    )


def test_a_sample_is_drawn_once_and_again_from_its_seed(unit, month_of_looks):
    sample = review.sample_draw(unit.pk, MONTH)
    assert sample is not None and sample.population == 25
    keys = sorted(sample.items.values_list("log_id", flat=True))
    assert len(keys) == review.SIZE
    assert set(keys) <= {r.pk for r in month_of_looks}
    assert review.sample_rows(unit.pk, MONTH, sample.seed) == keys
    assert review.sample_draw(unit.pk, MONTH) == sample  # drawn once
    assert review.population(unit.pk, MONTH).filter(role="self").count() == 0
    with pytest.raises(ValueError, match="ended"):
        review.sample_draw(unit.pk, timezone.localdate())


def test_the_command_draws_each_led_units_month(unit, leader, month_of_looks, capsys):
    call_command("audit_sample", "--month", f"{MONTH:%Y-%m}")
    call_command("audit_sample", "--month", f"{MONTH:%Y-%m}")
    assert Sample.objects.get().unit == unit
    assert f"unit {unit.pk} {MONTH:%Y-%m}: {review.SIZE} of 25" in capsys.readouterr().out


def test_the_leader_marks_each_access_and_the_review_is_logged(unit, leader, month_of_looks):
    client = client_for(leader)
    client.post(reverse("audit:sample_draw"))
    sample = Sample.objects.get()
    page = client.get(reverse("audit:review")).content.decode()
    assert str(sample.seed) in page
    first, second = sample.items.order_by("log_id")[:2]
    assert set(
        Listed.objects.filter(log=AccessLog.objects.latest("id")).values_list("person", flat=True)
    ) == {first.log.person_id}

    before = AccessLog.objects.count()
    client.post(reverse("audit:sample_mark", args=[second.pk]), {"verdict": "raised"})
    second.refresh_from_db()
    assert second.verdict == "" and AccessLog.objects.count() == before  # a note is needed

    client.post(reverse("audit:sample_mark", args=[first.pk]), {"verdict": "expected"})
    client.post(
        reverse("audit:sample_mark", args=[second.pk]),
        {"verdict": "raised", "note": "Not her case that week."},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.verdict, first.reviewed_by) == ("expected", leader)
    assert (second.verdict, second.note) == ("raised", "Not her case that week.")
    rows = AccessLog.objects.filter(action=Action.REVIEW, user=leader).order_by("id")
    assert [r.detail.get("verdict") for r in rows] == [None, "expected", "raised"]
    assert rows.last().person == second.log.person  # type: ignore[union-attr]


def test_a_leader_does_not_review_their_own_access(unit, leader, case):
    own = look(leader, case, role="team_leader")
    sample = Sample.objects.create(unit=unit, month=MONTH, seed=1, size=10, population=1)
    item = SampleItem.objects.create(sample=sample, log=own)
    response = client_for(leader).post(
        reverse("audit:sample_mark", args=[item.pk]), {"verdict": "expected"}
    )
    assert response.status_code == 403


def test_a_protected_client_is_sampled_but_shown_only_to_leaders_named_on_them(unit, leader):
    named_leader = UserFactory.member(unit, Role.TEAM_LEADER, username="named_leader")
    worker = UserFactory.member(unit, Role.WORKER, username="w2")
    secret = PersonFactory(
        first_name="Hemligsdotter", last_name="Skyddadsson", protected_identity=True
    )
    secret.named_staff.add(named_leader, worker)
    case = CaseFactory(person=secret, unit=unit)
    AssignmentFactory(case=case, worker=worker)
    sample = Sample.objects.create(unit=unit, month=MONTH, seed=1, size=10, population=1)
    item = SampleItem.objects.create(sample=sample, log=look(worker, case))

    assert "Hemligsdotter" not in client_for(leader).get(reverse("audit:review")).content.decode()
    mark = reverse("audit:sample_mark", args=[item.pk])
    assert client_for(leader).post(mark, {"verdict": "expected"}).status_code == 404
    assert "Hemligsdotter" in client_for(named_leader).get(reverse("audit:review")).content.decode()
    assert client_for(named_leader).post(mark, {"verdict": "expected"}).status_code == 302
