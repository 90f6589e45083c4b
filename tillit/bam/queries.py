"""The read side of BaM patterns: every number is counted in the database, in a fixed
number of queries whatever the number of moments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek
from django.utils import timezone

from tillit.bam.models import Kind, Moment, Source, Tag
from tillit.clients.models import EntryKind, JournalEntry
from tillit.lib.queries import count_per_row

ALTERNATIVES_SHOWN = 50


@dataclass
class Period:
    start: datetime.date
    label: str
    weak: int = 0
    strong: int = 0
    confidence: float | None = None


def _label(start: datetime.date, by: str) -> str:
    if by == "week":
        year, week, _day = start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{start:%Y-%m}"


def _next(start: datetime.date, by: str) -> datetime.date:
    if by == "week":
        return start + datetime.timedelta(days=7)
    return (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def periods(moments: QuerySet[Moment], by: str = "month") -> list[Period]:
    """Weak and strong moments and the mean confidence per week or month, in one query;
    weeks or months with no moment are filled in so the time axis is honest."""
    trunc = TruncWeek if by == "week" else TruncMonth
    rows = (
        moments.order_by()
        .annotate(period=trunc("happened_at", tzinfo=timezone.get_current_timezone()))
        .values("period")
        .annotate(
            weak=Count("pk", filter=Q(kind=Kind.WEAK)),
            strong=Count("pk", filter=Q(kind=Kind.STRONG)),
            confidence=Avg("confidence"),
        )
        .order_by("period")
    )
    found = {}
    for row in rows:
        start = row["period"]
        start = timezone.localtime(start).date() if isinstance(start, datetime.datetime) else start
        confidence = row["confidence"]
        found[start] = Period(
            start,
            _label(start, by),
            row["weak"],
            row["strong"],
            round(float(confidence), 1) if confidence is not None else None,
        )
    if not found:
        return []
    result, start, last = [], min(found), max(found)
    while start <= last:
        result.append(found.get(start) or Period(start, _label(start, by)))
        start = _next(start, by)
    return result


def tag_counts(moments: QuerySet[Moment]) -> list[dict]:
    """Each tag with how many weak and how many strong moments it was on, most weak first."""
    return list(
        Tag.objects.filter(moments__in=moments.order_by().values("pk"))
        .values("name")
        .annotate(
            weak=Count("moments", filter=Q(moments__kind=Kind.WEAK)),
            strong=Count("moments", filter=Q(moments__kind=Kind.STRONG)),
        )
        .order_by("-weak", "-strong", "name")
    )


def alternatives(moments: QuerySet[Moment]) -> list:
    """What the client has tried or wants to try: the latest texts, newest first."""
    return list(
        moments.filter(~Q(what_worked="") | ~Q(instead_next_time=""))
        .order_by("-happened_at", "-pk")
        .values("pk", "kind", "happened_at", "title", "what_worked", "instead_next_time")[
            :ALTERNATIVES_SHOWN
        ]
    )


def practised(staff_ids: list[int], since: datetime.datetime) -> dict[int, int]:
    """For the leaders' method page: BaM moments each staff member explored in meetings
    since `since`, counted in the database (no client data leaves this function)."""
    rows = (
        Moment.objects.filter(
            source=Source.MEETING, written_by_id__in=staff_ids, happened_at__gte=since
        )
        .order_by()
        .values("written_by_id")
        .annotate(n=Count("pk"))
    )
    return {row["written_by_id"]: row["n"] for row in rows}


def new_from_client(user: object) -> Coalesce:
    """Per case, the moments the client has written down since the case's last meeting
    (what the worker will want to explore at the next): for the client's navigation."""
    meetings = JournalEntry.objects.filter(
        case=OuterRef("case"),
        kind__in=[EntryKind.MEETING, EntryKind.HOME_VISIT, EntryKind.NETWORK_MEETING],
    ).order_by("-happened_at")
    last_meeting = Subquery(meetings.values("happened_at")[:1])
    since = Moment.objects.filter(source=Source.CLIENT).filter(
        Q(happened_at__gt=last_meeting) | ~Exists(meetings)
    )
    return count_per_row(since, "case")
