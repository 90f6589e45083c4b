"""The due list: what has a date coming up or passed, on the worker's caseload and the team
leader's unit page. It is computed from the records every time (plan reviews, decisions
whose period ends, granted decisions not yet carried out after three months, follow-ups
after closing), so there is no reminder table to keep in step and nothing to broker.

Access is the caller's: each source is narrowed to the cases the page may show (a worker's
assigned cases, or the units a team leader leads) and to the persons `shown_to` the
viewer, and the page records the persons it lists."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from tillit.clients.access import shown_to
from tillit.clients.models import Case, CaseStatus
from tillit.decisions.models import GRANTING, Decision
from tillit.decisions.queries import months_after, waiting
from tillit.followup import queries
from tillit.org.models import Role, User
from tillit.plans.models import Plan, Review

# How far ahead an item shows: time to book the meeting. Behind: how long a decision that
# has ended stays on the list, for the new decision or the closing it calls for.
AHEAD_DAYS = 14
ENDED_DAYS = 30


@dataclass(frozen=True)
class Due:
    what: str
    case: Case
    on: datetime.date
    url: str
    late: int  # days past `on`; 0 or less is not late

    @property
    def person(self):
        return self.case.person


def _due(what: str, case: Case, on: datetime.date, url: str, today: datetime.date) -> Due:
    return Due(what, case, on, url, (today - on).days)


def due_list(
    viewer: User,
    today: datetime.date,
    *,
    worker: User | None = None,
    unit_ids: Iterable[int] | None = None,
) -> list[Due]:
    """What is due for `worker` (on the cases they are assigned to) or in `unit_ids` (on
    the units' cases), oldest first: one query per kind of item."""
    units = list(unit_ids) if unit_ids is not None else None
    # A worker's cases are in the units they work in (a hand-over ends the old unit's).
    worker_units = worker.unit_ids(Role.WORKER, Role.TEAM_LEADER) if worker else set()
    cases = Case.objects.filter(shown_to(viewer, "person"), removed_on__isnull=True)
    if worker is not None:
        cases = cases.filter(assignments__worker=worker, assignments__ended_on__isnull=True)
    if units is not None:
        cases = cases.filter(unit_id__in=units)
    open_cases = cases.exclude(status=CaseStatus.CLOSED).values("pk")
    horizon = today + datetime.timedelta(days=AHEAD_DAYS)
    items = [
        *_reviews(open_cases, horizon, today),
        *_decisions_ending(open_cases, today, horizon),
        *_not_carried_out(cases.values("pk"), units or worker_units, today),
    ]
    for follow_up in queries.due(viewer=viewer, today=today, worker=worker, unit_ids=units):
        case = follow_up.closing.case
        url = reverse("followup:followup", args=[follow_up.pk])
        items.append(_due(_("Follow-up after closing"), case, follow_up.due_on, url, today))
    return sorted(items, key=lambda item: (item.on, item.case.pk))


def persons(items: list[Due]) -> set[int]:
    return {item.case.person_id for item in items}


def _reviews(cases: QuerySet, horizon: datetime.date, today: datetime.date) -> list[Due]:
    """Plans in force whose next review (the latest review's, else the plan's own) is near."""
    latest = Review.objects.filter(plan=OuterRef("pk"), next_on__isnull=False).order_by(
        "-held_on", "-pk"
    )
    plans = (
        Plan.objects.filter(case__in=cases, replaced_by__isnull=True)
        .annotate(review_due=Coalesce(Subquery(latest.values("next_on")[:1]), "review_on"))
        .filter(review_due__lte=horizon)
        .select_related("case__person")
    )
    return [
        _due(
            _("Plan review"),
            plan.case,
            plan.review_due,  # type: ignore[attr-defined]
            reverse("plans:plan", args=[plan.pk]),
            today,
        )
        for plan in plans
    ]


def _decisions_ending(cases: QuerySet, today: datetime.date, horizon: datetime.date) -> list[Due]:
    """Granted decisions in force whose period ends soon or ended lately."""
    since = today - datetime.timedelta(days=ENDED_DAYS)
    decisions = (
        Decision.objects.in_force()
        .filter(case__in=cases, outcome__in=GRANTING, ends_on__range=(since, horizon))
        .select_related("case__person")
    )
    return [
        _due(
            _("Decision ends: %(what)s") % {"what": decision.what},
            decision.case,
            decision.ends_on or today,  # the filter leaves none without an end
            reverse("decisions:decision", args=[decision.pk]),
            today,
        )
        for decision in decisions
    ]


def _not_carried_out(cases: QuerySet, units: Iterable[int], today: datetime.date) -> list[Due]:
    """Granted decisions not carried out three months after the clock started: due the day
    the three months ran out (decisions.queries.waiting)."""
    rows = waiting(units, today).filter(case__in=cases).select_related("case__person")
    return [
        _due(
            _("Not carried out: %(what)s") % {"what": decision.what},
            decision.case,
            months_after(decision.clock_from),  # type: ignore[attr-defined]
            reverse("decisions:decision", args=[decision.pk]),
            today,
        )
        for decision in rows
    ]
