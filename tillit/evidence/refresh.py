"""Compute the evidence tables (tillit/evidence/models.py) from the records, whole, in one
transaction: `manage.py evidence_refresh`, nightly (docs/operations.md).

What is read, and how much, at any scale: the cases (one row each), the contact persons'
assignments, meetings counted per case, year and worker by the database (GROUP BY over the
journal, so 5 million entries come back as a few hundred thousand counts), accepted
hand-overs, and per case the first and latest answers of the checks, alerts, follow-up,
decisions (correlated subqueries on the indexes that lead with the case). The rest is
arithmetic in Python over those rows.

Definitions (also on the pages and in docs/evidence.md):
- a *meeting* is a signed journal entry of a kind the client can give feedback on
  (clients.views.FEEDBACK_KINDS: meeting, home visit, network meeting, drop-in, phone,
  group session), counted once however often it was corrected (its first version), and
  held by its author;
- a *contact person* is an assignment in the role contact person; a *change* is a new
  contact person who is not the one before; a *hand-over* is a hand-over between units
  that the receiving unit accepted;
- the case's unit and organisation model are those of the unit that holds it now.
"""

from __future__ import annotations

import datetime
import itertools
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from tillit.clients.models import (
    Assignment,
    AssignmentRole,
    Case,
    EntryStatus,
    Handover,
    HandoverState,
    JournalEntry,
)
from tillit.clients.views import FEEDBACK_KINDS
from tillit.decisions.models import GRANTING, Decision
from tillit.evidence import stats
from tillit.evidence.models import CaseFigures, CaseMethod, CaseYear, Refresh, WorkerMonth
from tillit.evidence.organisation import model_of
from tillit.feedback.models import Alert, Response
from tillit.followup.models import FollowUp, State
from tillit.org.models import Unit
from tillit.outcomes.models import Intervention

MONTHS = 36  # the caseload over time: the last three years, month by month
BATCH = 2000


@dataclass
class Period:
    """A contact person's assignment."""

    worker: int
    started: datetime.date
    ended: datetime.date | None


@dataclass
class CaseRow:
    pk: int
    unit: int
    opened: datetime.date
    closed: datetime.date | None
    periods: list[Period] = field(default_factory=list)
    handovers: list[int] = field(default_factory=list)  # years accepted
    meetings: dict[int, Counter] = field(default_factory=dict)  # year -> worker -> n


def contact_persons(periods: Sequence[Period]) -> int:
    return len({p.worker for p in periods})


def changes(periods: Sequence[Period]) -> list[datetime.date]:
    """The days a new contact person, not the one before, took over."""
    found = []
    for before, after in itertools.pairwise(periods):
        if after.worker != before.worker:
            found.append(after.started)
    return found


def same_days(periods: Sequence[Period], day: datetime.date) -> int | None:
    """Days the contact person on `day` had been it then (consecutive periods of the same
    worker counted as one); None if the case had no contact person that day."""
    current = None
    for i, p in enumerate(periods):
        if p.started <= day and (p.ended is None or p.ended >= day):
            current = i
    if current is None:
        return None
    first = current
    while first > 0 and periods[first - 1].worker == periods[current].worker:
        first -= 1
    return (day - periods[first].started).days


def year_figures(case: CaseRow, year: int, today: datetime.date) -> dict:
    """A case's continuity in one calendar year."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    last = min(end, case.closed or today, today)
    periods = [
        p for p in case.periods if p.started <= end and (p.ended is None or p.ended >= start)
    ]
    meetings = list(case.meetings.get(year, Counter()).values())
    return {
        "contact_persons": contact_persons(periods),
        "changes": sum(1 for d in changes(case.periods) if d.year == year),
        "handovers": sum(1 for y in case.handovers if y == year),
        "meetings": sum(meetings),
        "upc": stats.upc(meetings),
        "coc": stats.coc(meetings),
        "same_days": same_days(case.periods, last),
    }


def month_starts(today: datetime.date, months: int = MONTHS) -> list[datetime.date]:
    first = today.replace(day=1)
    found = []
    for _ in range(months):
        found.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return found[::-1]


def month_end(first: datetime.date, today: datetime.date) -> datetime.date:
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return min(following - datetime.timedelta(days=1), today)


def caseloads(
    cases: Iterable[CaseRow], today: datetime.date, months: int = MONTHS
) -> dict[tuple[int, int, datetime.date], int]:
    """(worker, unit, month) -> the open cases the worker was contact person for at the
    month's end (today for this month)."""
    ends = [(m, month_end(m, today)) for m in month_starts(today, months)]
    counts: Counter = Counter()
    for case in cases:
        for p in case.periods:
            for month, end in ends:
                if p.started > end:
                    continue
                if (p.ended is None or p.ended >= end) and (
                    case.closed is None or case.closed > end
                ):
                    counts[(p.worker, case.unit, month)] += 1
    return dict(counts)


def _first(qs, column: str) -> Subquery:
    return Subquery(qs.values(column)[:1])


def _case_rows(today: datetime.date) -> dict[int, CaseRow]:
    rows = {
        pk: CaseRow(pk, unit, opened, closed)
        for pk, unit, opened, closed in Case.objects.filter(removed_on__isnull=True)
        .order_by()
        .values_list("pk", "unit_id", "opened_on", "closed_on")
    }
    for case_id, worker, started, ended in (
        Assignment.objects.filter(role=AssignmentRole.CONTACT_PERSON)
        .order_by("case_id", "started_on", "pk")
        .values_list("case_id", "worker_id", "started_on", "ended_on")
    ):
        if case_id in rows:
            rows[case_id].periods.append(Period(worker, started, ended))
    for case_id, decided_at in Handover.objects.filter(state=HandoverState.ACCEPTED).values_list(
        "case_id", "decided_at"
    ):
        if case_id in rows and decided_at:
            rows[case_id].handovers.append(timezone.localtime(decided_at).year)
    meetings = (
        JournalEntry.objects.filter(
            status=EntryStatus.SIGNED, version=1, kind__in=list(FEEDBACK_KINDS)
        )
        .annotate(year=ExtractYear("happened_at"))
        .values_list("case_id", "year", "author_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for case_id, year, author, n in meetings:
        if case_id in rows:
            rows[case_id].meetings.setdefault(year, Counter())[author] += n
    return rows


def _per_case() -> dict[int, dict]:
    """The checks, alerts, follow-up and decisions of every case, one row each."""
    responses = Response.objects.filter(case=OuterRef("pk"))

    def check(key: str, latest: bool) -> Subquery:
        order: tuple[str, ...] = ("given_on", "created_at", "pk")
        if latest:
            order = tuple(f"-{column}" for column in order)
        return _first(responses.filter(instrument__key=key).order_by(*order), "score")

    def counted(qs) -> Coalesce:
        return Coalesce(
            Subquery(
                qs.order_by().values("case").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        )

    held = FollowUp.objects.filter(closing__case=OuterRef("pk"), state=State.HELD).order_by(
        "-held_on", "-pk"
    )
    signed = Decision.objects.filter(case=OuterRef("pk"), signed_at__isnull=False).order_by(
        "decided_on", "pk"
    )
    started = signed.filter(outcome__in=GRANTING, carried_out_on__isnull=False)
    alerts = Alert.objects.filter(case=OuterRef("pk"))
    query = (
        Case.objects.filter(removed_on__isnull=True)
        .order_by()
        .annotate(
            rel_n=counted(responses.filter(instrument__key="relationship")),
            rel_first=check("relationship", False),
            rel_latest=check("relationship", True),
            life_n=counted(responses.filter(instrument__key="life")),
            life_first=check("life", False),
            life_latest=check("life", True),
            unwanted_n=counted(responses.filter(instrument__key="unwanted")),
            unwanted_reported=counted(responses.filter(instrument__key="unwanted", score__gte=1)),
            alerts_n=counted(alerts),
            alerts_responded=counted(
                alerts.filter(closed_at__isnull=False).exclude(response_kind="")
            ),
            followup_change=_first(held, "change"),
            followup_life=_first(held, "life"),
            first_decided=_first(signed, "decided_on"),
            start_decided=_first(started, "decided_on"),
            start_on=_first(started, "carried_out_on"),
        )
        .values(
            "pk",
            "assess_decided_on",
            "rel_n",
            "rel_first",
            "rel_latest",
            "life_n",
            "life_first",
            "life_latest",
            "unwanted_n",
            "unwanted_reported",
            "alerts_n",
            "alerts_responded",
            "followup_change",
            "followup_life",
            "first_decided",
            "start_decided",
            "start_on",
        )
    )
    return {row["pk"]: row for row in query}


def _life_mean(values: object) -> float | None:
    if isinstance(values, str):  # a JSON column read through a subquery on some engines
        import json

        values = json.loads(values)
    if not isinstance(values, dict):
        return None
    numbers = [v for v in values.values() if isinstance(v, int | float)]
    return sum(numbers) / len(numbers) if numbers else None


def _days(later: datetime.date | None, earlier: datetime.date | None) -> int | None:
    return (later - earlier).days if later and earlier else None


@transaction.atomic
def refresh(today: datetime.date | None = None) -> Refresh:
    """Rebuild every evidence table from the records and record the run."""
    began, clock = timezone.now(), time.monotonic()
    today = today or timezone.localdate()
    models = {
        pk: model_of(does_intake=a, does_assessment=b, does_intervention=c, does_follow_up=d)
        for pk, a, b, c, d in Unit.objects.values_list(
            "pk", "does_intake", "does_assessment", "does_intervention", "does_follow_up"
        )
    }
    cases = _case_rows(today)
    per_case = _per_case()
    methods = set(
        Intervention.objects.filter(method__isnull=False)
        .order_by()
        .values_list("case_id", "method_id")
        .distinct()
    )
    CaseMethod.objects.all().delete()
    CaseYear.objects.all().delete()
    CaseFigures.objects.all().delete()
    WorkerMonth.objects.all().delete()

    figures, years = [], []
    for case in cases.values():
        extra = per_case.get(case.pk, {})
        total: Counter = Counter()
        for counts in case.meetings.values():
            total.update(counts)
        meetings = list(total.values())
        model = models.get(case.unit, "")
        opened_year = case.opened.year
        for year in range(opened_year, (case.closed or today).year + 1):
            years.append(
                CaseYear(
                    case_id=case.pk,
                    year=year,
                    unit_id=case.unit,
                    model=model,
                    **year_figures(case, year, today),
                )
            )
        assess_on = extra.get("assess_decided_on")
        first_decided = extra.get("first_decided")
        start_decided, start_on = extra.get("start_decided"), extra.get("start_on")
        figures.append(
            CaseFigures(
                case_id=case.pk,
                unit_id=case.unit,
                model=model,
                opened_on=case.opened,
                closed_on=case.closed,
                contact_persons=contact_persons(case.periods),
                changes=len(changes(case.periods)),
                handovers=len(case.handovers),
                meetings=sum(meetings),
                upc=stats.upc(meetings),
                coc=stats.coc(meetings),
                rel_n=extra.get("rel_n") or 0,
                rel_first=extra.get("rel_first"),
                rel_latest=extra.get("rel_latest"),
                life_n=extra.get("life_n") or 0,
                life_first=extra.get("life_first"),
                life_latest=extra.get("life_latest"),
                followup_life=_life_mean(extra.get("followup_life")),
                followup_change=extra.get("followup_change") or "",
                unwanted_n=extra.get("unwanted_n") or 0,
                unwanted_reported=extra.get("unwanted_reported") or 0,
                alerts=extra.get("alerts_n") or 0,
                alerts_responded=extra.get("alerts_responded") or 0,
                assess_days=_days(assess_on, case.opened),
                assess_year=assess_on.year if assess_on else None,
                decision_days=_days(first_decided, case.opened),
                decision_year=first_decided.year if first_decided else None,
                start_days=_days(start_on, start_decided),
                start_year=start_on.year if start_on else None,
            )
        )
    CaseFigures.objects.bulk_create(figures, batch_size=BATCH)
    CaseYear.objects.bulk_create(years, batch_size=BATCH)
    CaseMethod.objects.bulk_create(
        [CaseMethod(figures_id=c, method_id=m) for c, m in sorted(methods) if c in cases],
        batch_size=BATCH,
    )
    WorkerMonth.objects.bulk_create(
        [
            WorkerMonth(worker_id=w, unit_id=u, month=m, cases=n)
            for (w, u, m), n in caseloads(cases.values(), today).items()
        ],
        batch_size=BATCH,
    )
    return Refresh.objects.create(
        started_at=began,
        finished_at=timezone.now(),
        seconds=round(time.monotonic() - clock, 2),
        cases=len(figures),
    )


def latest() -> Refresh | None:
    return Refresh.objects.order_by("-finished_at").first()
