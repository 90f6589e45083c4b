"""Closed cases and follow-ups for tests, made with the real services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tillit.factories import AssignmentFactory, CaseFactory, PersonFactory
from tillit.followup import services
from tillit.followup.models import Closing, FollowUp


def closed_case(unit, worker, *, days_ago=200, dates=None, reason="goals_reached", person=None):  # type: ignore[no-untyped-def]
    """A case of `unit` with `worker` as contact person, closed `days_ago` days ago with
    follow-ups on `dates` (by default 6 and 12 months after closing)."""
    today = timezone.localdate()
    closed_on = today - datetime.timedelta(days=days_ago)
    case = CaseFactory(
        person=person or PersonFactory(),
        unit=unit,
        opened_on=closed_on - datetime.timedelta(days=300),
    )
    AssignmentFactory(case=case, worker=worker, started_on=case.opened_on)
    services.case_close(
        actor=worker,
        case=case,
        reason=reason,
        closed_on=closed_on,
        drafts={},
        follow_up_on=services.default_dates(closed_on) if dates is None else dates,
    )
    return case


def url_objects(unit, worker) -> dict:  # type: ignore[no-untyped-def]
    """What the URL walk (tillit/tests/test_urls.py) opens: a closed case of another client
    of the unit, with `worker` still its contact person, and its first follow-up, due."""
    case = closed_case(
        unit, worker, person=PersonFactory(first_name="Avslutad", last_name="Klient")
    )
    closing = Closing.objects.get(case=case)
    return {"closed_case": case, "followup": FollowUp.objects.filter(closing=closing).first()}
