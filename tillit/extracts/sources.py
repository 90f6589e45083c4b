"""The tables of an extract: each reads one batch of cases in one query, as plain rows
(tillit/extracts/produce.py writes them)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Func, IntegerField, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from tillit.clients.models import Assignment, Handover
from tillit.decisions.models import Decision, Law
from tillit.extracts.pseudonyms import Pseudonyms
from tillit.extracts.scope import Scope
from tillit.feedback.models import Alert, Instrument, Response
from tillit.followup.models import Closing, FollowUp
from tillit.org.models import Method
from tillit.outcomes.models import Intervention, Provider

#
# A source is a query of one table's rows for a batch of cases: the case's key first, then
# the values of the codebook's columns after `case`, in order, each date already counted in
# days since the case opened (by the database: DaysSince). Keys that become codes or names
# (a person, a worker, an instrument, a method, a law, a provider) are turned into them a
# whole column at a time (`lookups`).


class DaysSince(Func):
    """Whole days from the case's opening to a date (None stays None), in the database."""

    output_field = IntegerField()
    arg_joiner = " - "
    template = "(%(expressions)s)"

    def __init__(self, day: str | Func, opened: str) -> None:
        super().__init__(day, F(opened))

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def _local(field: str) -> TruncDate:
    """The local day of a moment (an alert, a hand-over)."""
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def _overlapping(first: datetime.date, last: datetime.date) -> Q:
    return Q(started_on__lte=last) & (Q(ended_on__isnull=True) | Q(ended_on__gte=first))


class _Codes(dict):
    """Codes of one kind, each computed once per run."""

    def __init__(self, codes: Pseudonyms, kind: str) -> None:
        super().__init__()
        self.codes, self.kind = codes, kind

    def __missing__(self, pk: int) -> str:
        self[pk] = code = self.codes.code(self.kind, pk)
        return code

    def get(self, pk, default=None):
        return None if pk is None else self[pk]


@dataclass(frozen=True)
class Source:
    query: Callable[[Scope, list[int]], QuerySet]
    lookups: Callable[[Scope], dict[int, dict]] = lambda s: {}


def _handovers(s: Scope, batch: list[int]) -> QuerySet:
    return (
        Handover.objects.filter(case_id__in=batch, sent_at__date__range=(s.first, s.last))
        .annotate(
            sent_day=DaysSince(_local("sent_at"), "case__opened_on"),
            decided_day=DaysSince(_local("decided_at"), "case__opened_on"),
        )
        .order_by("case_id", "sent_at", "pk")
        .values_list("case_id", "from_unit_id", "to_unit_id", "state", "sent_day", "decided_day")
    )


def _assignments(s: Scope, batch: list[int]) -> QuerySet:
    return (
        Assignment.objects.filter(_overlapping(s.first, s.last), case_id__in=batch)
        .annotate(
            start_day=DaysSince("started_on", "case__opened_on"),
            end_day=DaysSince("ended_on", "case__opened_on"),
        )
        .order_by("case_id", "started_on", "pk")
        .values_list("case_id", "worker_id", "role", "start_day", "end_day")
    )


def _checks(s: Scope, batch: list[int]) -> QuerySet:
    return (
        Response.objects.filter(case_id__in=batch, given_on__range=(s.first, s.last))
        .annotate(day=DaysSince("given_on", "case__opened_on"))
        .order_by("case_id", "given_on", "pk")
        .values_list(
            "case_id", "person_id", "instrument_id", "day", "score", "channel", "worker_id"
        )
    )


def _alerts(s: Scope, batch: list[int]) -> QuerySet:
    return (
        Alert.objects.filter(case_id__in=batch, opened_at__date__range=(s.first, s.last))
        .annotate(
            opened_day=DaysSince(_local("opened_at"), "case__opened_on"),
            closed_day=DaysSince(_local("closed_at"), "case__opened_on"),
        )
        .order_by("case_id", "opened_at", "pk")
        .values_list("case_id", "rule", "opened_day", "closed_day", "response_kind")
    )


def _interventions(s: Scope, batch: list[int]) -> QuerySet:
    return (
        Intervention.objects.filter(_overlapping(s.first, s.last), case_id__in=batch)
        .annotate(
            start_day=DaysSince("started_on", "case__opened_on"),
            end_day=DaysSince("ended_on", "case__opened_on"),
        )
        .order_by("case_id", "started_on", "pk")
        .values_list(
            "case_id",
            "kind",
            "placement_form",
            "method_id",
            "purchased",
            "provider_id",
            "start_day",
            "end_day",
        )
    )


def _decisions(s: Scope, batch: list[int]) -> QuerySet:
    days = {
        f"{name}_day": DaysSince(field, "case__opened_on")
        for name, field in (
            ("decided", "decided_on"),
            ("starts", "starts_on"),
            ("ends", "ends_on"),
            ("told", "communicated_on"),
            ("carried_out", "carried_out_on"),
        )
    }
    return (
        Decision.objects.signed()
        .filter(case_id__in=batch, decided_on__range=(s.first, s.last))
        .annotate(**days)
        .order_by("case_id", "decided_on", "pk")
        .values_list("case_id", "kind", "origin", "outcome", "law_id", *days, "replaces_id")
    )


def _closings(s: Scope, batch: list[int]) -> QuerySet:
    return (
        Closing.objects.filter(case_id__in=batch, closed_on__range=(s.first, s.last))
        .annotate(day=DaysSince("closed_on", "case__opened_on"))
        .order_by("case_id", "pk")
        .values_list("case_id", "reason", "day")
    )


def _followups(s: Scope, batch: list[int]) -> QuerySet:
    opened = "closing__case__opened_on"
    return (
        FollowUp.objects.filter(closing__case_id__in=batch, due_on__range=(s.first, s.last))
        .annotate(due_day=DaysSince("due_on", opened), held_day=DaysSince("held_on", opened))
        .order_by("closing__case_id", "due_on", "pk")
        .values_list(
            "closing__case_id",
            "state",
            "due_day",
            "held_day",
            "channel",
            "change",
            "substance",
            "housing",
            "occupation",
            "sought_help",
        )
    )


def is_set(pk: int | None) -> bool:
    return pk is not None


SOURCES: dict[str, Source] = {
    "handovers": Source(_handovers),
    "assignments": Source(_assignments, lambda s: {0: _Codes(s.codes, "worker")}),
    "checks": Source(
        _checks,
        lambda s: {
            0: _Codes(s.codes, "person"),
            1: dict(Instrument.objects.values_list("pk", "key")),
            5: _Codes(s.codes, "worker"),
        },
    ),
    "alerts": Source(_alerts),
    "interventions": Source(
        _interventions,
        lambda s: {
            2: dict(Method.objects.values_list("pk", "key")),
            4: dict(Provider.objects.values_list("pk", "kind")),
        },
    ),
    "decisions": Source(_decisions, lambda s: {3: dict(Law.objects.values_list("pk", "key"))}),
    "closings": Source(_closings),
    "followups": Source(_followups),
}


def fetch(query: QuerySet) -> list[tuple]:
    """The rows of a values_list query, read through the database cursor: a batch is
    hundreds of thousands of rows at city scale, and the ORM's rows cost a few
    microseconds each that the plain tuples do not."""
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
