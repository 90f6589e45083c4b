"""The caseload and workload page: open cases per worker, new and closed cases per
month, waiting times, cases without a contact person, contact persons who left."""

from __future__ import annotations

import datetime
import statistics as pystats
from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.clients.models import Assignment, AssignmentRole
from tillit.clients.models import Case as ClientCase
from tillit.evidence import stats
from tillit.evidence.figures import Column, Figure, Row, finish
from tillit.evidence.models import CaseFigures, WorkerMonth
from tillit.evidence.queries import (
    _ordered,
    mean_of,
    moments,
    month_label,
    months_back,
    share_of,
    unit_names,
)
from tillit.evidence.stats import Estimate
from tillit.lib.tables import shown
from tillit.org.models import Membership, Role


def median_estimate(values: list[int]) -> Estimate:
    """The median and quartiles of workers' caseloads; nothing when fewer than 5 workers
    (a distribution of so few tells each one's caseload)."""
    if shown(len(values)) is None:
        return Estimate(len(values), kind="median")
    ordered = sorted(values)
    quartiles = pystats.quantiles(ordered, n=4, method="inclusive")
    return Estimate(
        len(values), float(pystats.median(ordered)), quartiles[0], quartiles[2], "median"
    )


def caseload(units: set[int], year: int) -> list[Figure]:
    names = unit_names(units)
    today = timezone.localdate()
    months = months_back(today)
    loads: dict[tuple[int, datetime.date], list[int]] = defaultdict(list)
    for unit, month, held in WorkerMonth.objects.filter(
        unit_id__in=units, month__gte=months[0]
    ).values_list("unit_id", "month", "cases"):
        loads[(unit, month)].append(held)
    load_units = [u for u in names if any((u, m) in loads for m in months)]

    cases = ClientCase.objects.filter(unit_id__in=units, removed_on__isnull=True).order_by()
    opened = dict(
        cases.filter(opened_on__gte=months[0])
        .annotate(m=TruncMonth("opened_on"))
        .values_list("m")
        .annotate(n=Count("pk"))
    )
    closed = dict(
        cases.filter(closed_on__gte=months[0])
        .annotate(m=TruncMonth("closed_on"))
        .values_list("m")
        .annotate(n=Count("pk"))
    )

    per_case = CaseFigures.objects.filter(unit_id__in=units).order_by()
    waits = {
        r["unit_id"]: r
        for r in per_case.values("unit_id").annotate(
            **moments("assess", "assess_days", Q(assess_year=year)),
            **moments("decision", "decision_days", Q(decision_year=year)),
            **moments("start", "start_days", Q(start_year=year)),
        )
    }

    open_cases = cases.exclude(status="closed")
    open_n = dict(open_cases.values_list("unit_id").annotate(n=Count("pk")))
    with_contact = dict(
        Assignment.objects.current()
        .filter(role=AssignmentRole.CONTACT_PERSON, case__in=open_cases)
        .order_by()
        .values_list("case__unit_id")
        .annotate(n=Count("case_id", distinct=True))
    )

    ended = (
        Assignment.objects.filter(
            role=AssignmentRole.CONTACT_PERSON,
            case__unit_id__in=units,
            ended_on__year=year,
        )
        .filter(Q(case__closed_on__isnull=True) | Q(ended_on__lt=F("case__closed_on")))
        .order_by()
    )
    still_there = Membership.objects.filter(
        user=OuterRef("worker"), unit=OuterRef("case__unit"), role=Role.WORKER
    )
    left = {
        r["case__unit_id"]: r
        for r in ended.values("case__unit_id").annotate(
            n=Count("pk"),
            left=Count("pk", filter=Q(worker__is_active=False) | ~Q(Exists(still_there))),
        )
    }

    figures = [
        finish(
            Figure(
                "caseload_per_worker",
                _("Open cases per worker, month by month"),
                _(
                    "For each unit, the median number of open cases a worker was contact person "
                    "for at the end of each month, with the quartiles; no worker is named. A "
                    "month of a unit with fewer than 5 workers is not shown."
                ),
                _("Month"),
                [Column(str(u), names[u], "median", 0) for u in load_units],
                [
                    Row(
                        month_label(m),
                        [median_estimate(loads.get((u, m), [])) for u in load_units],
                    )
                    for m in months
                ],
                over_time=True,
            )
        )
        if load_units
        else None,
        finish(
            Figure(
                "new_and_closed",
                _("New and closed cases, month by month"),
                _("Cases opened and closed in the units each month; under 5 is shown as <5."),
                _("Month"),
                [
                    Column("new", _("New cases"), "count"),
                    Column("closed", _("Closed cases"), "count"),
                ],
                [
                    Row(
                        month_label(m),
                        [stats.count(opened.get(m, 0)), stats.count(closed.get(m, 0))],
                    )
                    for m in months
                ],
                over_time=True,
            )
        ),
        finish(
            Figure(
                "waiting",
                _("Waiting times, %(year)s") % {"year": year},
                _(
                    "Days from the inquiry to the decision whether to assess, and to the first "
                    "signed decision on help, for decisions made in %(year)s; days from a granted "
                    "decision to its first intervention, for interventions begun in %(year)s. "
                    "Means with 95%% t intervals."
                )
                % {"year": year},
                _("Unit"),
                [
                    Column("assess", _("Days to the decision to assess"), digits=0),
                    Column("decision", _("Days to the first decision on help"), digits=0),
                    Column("start", _("Days from decision to intervention"), digits=0),
                ],
                [
                    Row(label, [mean_of(r, "assess"), mean_of(r, "decision"), mean_of(r, "start")])
                    for label, r in _ordered(waits, names, names)
                ],
                chart_column=2,
            )
        ),
        finish(
            Figure(
                "without_contact",
                _("Open cases without a contact person, now"),
                _(
                    "The share of the units' open cases that have no contact person today "
                    "(Wilson 95% interval)."
                ),
                _("Unit"),
                [
                    Column("open", _("Open cases"), "count"),
                    Column("without", _("Without a contact person"), "share"),
                ],
                [
                    Row(
                        names[u],
                        [
                            stats.count(open_n[u]),
                            stats.share(open_n[u] - with_contact.get(u, 0), open_n[u]),
                        ],
                    )
                    for u in names
                    if u in open_n
                ],
                chart_column=1,
            )
        ),
        finish(
            Figure(
                "worker_left",
                _("Contact persons who left, %(year)s") % {"year": year},
                _(
                    "Of the contact-person assignments that ended in %(year)s while the case "
                    "stayed open, the share whose worker has left: their account is closed, or "
                    "they are no longer a worker in the case's unit. Tillit does not date when "
                    "someone left, so this reads who has left by now (Wilson 95%% interval)."
                )
                % {"year": year},
                _("Unit"),
                [
                    Column("ended", _("Assignments ended"), "count"),
                    Column("left", _("Ended because the worker left"), "share"),
                ],
                [
                    Row(label, [stats.count(r["n"]), share_of(r, "left", "n")])
                    for label, r in _ordered(left, names, names)
                ],
                chart_column=1,
            )
        ),
    ]
    return [f for f in figures if f]
