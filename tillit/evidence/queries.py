"""The figures of each evidence page, aggregated in the database: a fixed number of
queries per page whatever the number of cases (asserted in tests/test_pages.py).

Each mean is read as n, Σx and Σx² and each share as a count of successes over n, per
group, in one GROUP BY; stats.py makes the estimate and its interval and hides the
groups under 5."""

from __future__ import annotations

import datetime
import statistics as pystats
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Case as If
from django.db.models import CharField, Count, Exists, F, FloatField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.clients.models import Assignment, AssignmentRole, EntryStatus, JournalEntry
from tillit.clients.models import Case as ClientCase
from tillit.clients.views import FEEDBACK_KINDS
from tillit.evidence import organisation, stats
from tillit.evidence.figures import Column, Figure, Row, finish
from tillit.evidence.models import CaseFigures, CaseYear, WorkerMonth
from tillit.evidence.stats import Estimate
from tillit.feedback.models import Alert, AlertResponse, Response
from tillit.lib.tables import shown
from tillit.org.models import Membership, Method, Role, Unit

MONTHS_SHOWN = 24


def model_labels() -> dict[str, str]:
    return {
        organisation.INTEGRATED: _("Integrated (assesses and treats)"),
        organisation.SPECIALISED: _("Specialised (one step of the chain)"),
        organisation.UNMARKED: _("No functions marked"),
        "": _("No functions marked"),
    }


def band_labels() -> dict[str, str]:
    return {
        "one": _("1 contact person"),
        "two": _("2 contact persons"),
        "three_or_more": _("3 or more contact persons"),
        "none": _("No contact person"),
    }


def moments(prefix: str, expression, filter: Q | None = None) -> dict:
    """n, Σx and Σx² of `expression` (a field name or an expression), nulls left out."""
    value = F(expression) if isinstance(expression, str) else expression
    return {
        f"{prefix}_n": Count(value, filter=filter),
        f"{prefix}_s": Sum(value, filter=filter, output_field=FloatField()),
        f"{prefix}_ss": Sum(value * value, filter=filter, output_field=FloatField()),
    }


def mean_of(row: dict, prefix: str) -> Estimate:
    return stats.mean(
        row[f"{prefix}_n"] or 0, row[f"{prefix}_s"] or 0.0, row[f"{prefix}_ss"] or 0.0
    )


def share_of(row: dict, successes: str, n: str) -> Estimate:
    return stats.share(row[successes] or 0, row[n] or 0)


def _ordered(rows: dict, labels: dict, order: Iterable) -> list[tuple[str, dict]]:
    return [(labels.get(key, str(key)), rows[key]) for key in order if key in rows]


def unit_names(units: set[int]) -> dict[int, str]:
    return dict(Unit.objects.filter(pk__in=units).order_by("name").values_list("pk", "name"))


# -- continuity ----------------------------------------------------------------------------


def _continuity_columns() -> list[Column]:
    return [
        Column("cases", _("Cases"), "count"),
        Column("contact_persons", _("Contact persons per case"), digits=2),
        Column("changes", _("Changes of contact person per case"), digits=2),
        Column("handovers", _("Hand-overs between units per case"), digits=2),
        Column("same_days", _("Days with the same contact person"), digits=0),
        Column("upc", _("UPC"), digits=2),
        Column("coc", _("COC"), digits=2),
    ]


CONTINUITY_AGGREGATES = {
    "cases": Count("pk"),
    **moments("contact_persons", "contact_persons"),
    **moments("changes", "changes"),
    **moments("handovers", "handovers"),
    **moments("same_days", "same_days"),
    **moments("upc", "upc"),
    **moments("coc", "coc"),
}


def _continuity_row(label: str, row: dict) -> Row:
    return Row(
        label,
        [
            stats.count(row["cases"]),
            *(
                mean_of(row, key)
                for key in ("contact_persons", "changes", "handovers", "same_days", "upc", "coc")
            ),
        ],
    )


def continuity(units: set[int], year: int) -> list[Figure]:
    names = unit_names(units)
    base = CaseYear.objects.filter(unit_id__in=units).order_by()
    in_year = base.filter(year=year)
    by_unit = {r["unit_id"]: r for r in in_year.values("unit_id").annotate(**CONTINUITY_AGGREGATES)}
    by_model = {r["model"]: r for r in in_year.values("model").annotate(**CONTINUITY_AGGREGATES)}
    models = model_labels()
    over_years: dict[int, dict[str, dict]] = defaultdict(dict)
    for r in base.values("year", "model").annotate(
        **moments("upc", "upc"), **moments("coc", "coc")
    ):
        over_years[r["year"]][r["model"]] = r
    shown_models = [m for m in organisation.MODELS if any(m in v for v in over_years.values())]
    about = _(
        "Cases open at some time in %(year)s, counted in the unit that holds them now. A "
        "meeting is a signed journal entry of a meeting, home visit, network meeting, drop-in, "
        "phone call or group session. UPC: the share of the client's meetings held by the "
        "worker they met most (1 = all with one). COC (Bice-Boxerman): how concentrated the "
        "meetings are on few workers, 0 to 1, for cases with at least 2 meetings. Means with "
        "95%% t intervals."
    ) % {"year": year}
    figures = [
        finish(
            Figure(
                "continuity_by_unit",
                _("Continuity by unit, %(year)s") % {"year": year},
                about,
                _("Unit"),
                _continuity_columns(),
                [_continuity_row(label, r) for label, r in _ordered(by_unit, names, names)],
                chart_column=5,
            )
        ),
        finish(
            Figure(
                "continuity_by_model",
                _("Continuity by organisation model, %(year)s") % {"year": year},
                about,
                _("Organisation model"),
                _continuity_columns(),
                [
                    _continuity_row(label, r)
                    for label, r in _ordered(by_model, models, organisation.MODELS)
                ],
                chart_column=5,
            )
        ),
        finish(
            Figure(
                "upc_over_years",
                _("UPC by organisation model, year by year"),
                _("The mean UPC of the cases open each year (95% t intervals)."),
                _("Year"),
                [Column(m, models[m], digits=2) for m in shown_models],
                [
                    Row(
                        str(y),
                        [
                            mean_of(over_years[y][m], "upc") if m in over_years[y] else Estimate(0)
                            for m in shown_models
                        ],
                    )
                    for y in sorted(over_years)
                ],
                over_time=True,
            )
        )
        if shown_models
        else None,
    ]
    return [f for f in figures if f]


# -- caseload ------------------------------------------------------------------------------


def _month_label(month: datetime.date) -> str:
    return date_format(month, "Y-m")


def months_back(today: datetime.date, count: int = MONTHS_SHOWN) -> list[datetime.date]:
    first = today.replace(day=1)
    found = []
    for _i in range(count):
        found.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return found[::-1]


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
                        _month_label(m),
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
                        _month_label(m),
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


# -- alliance and outcome ------------------------------------------------------------------


def _alliance_columns() -> list[Column]:
    return [
        Column("cases", _("Cases"), "count"),
        Column("rel_first", _("Relationship check, first"), digits=1),
        Column("rel_latest", _("Relationship check, latest"), digits=1),
        Column("rel_change", _("Relationship check, change"), digits=1),
        Column("life_change", _("Life check, change first to latest"), digits=1),
        Column("followup_change", _("Life check, change first to follow-up"), digits=1),
        Column("improved", _("Better at follow-up"), "share"),
        Column("unwanted", _("Reported that our contact made things harder"), "share"),
        Column("alerted", _("Cases with an alert"), "share"),
        Column("responded", _("Alerts responded to"), "share"),
    ]


def _alliance_aggregates() -> dict:
    answered = Q(rel_n__gte=1) | Q(life_n__gte=1)
    return {
        "cases": Count("pk"),
        **moments("rel_first", "rel_first", Q(rel_n__gte=1)),
        **moments("rel_latest", "rel_latest", Q(rel_n__gte=2)),
        **moments("rel_change", F("rel_latest") - F("rel_first"), Q(rel_n__gte=2)),
        **moments("life_change", F("life_latest") - F("life_first"), Q(life_n__gte=2)),
        **moments(
            "followup_change",
            F("followup_life") - F("life_first"),
            Q(followup_life__isnull=False, life_first__isnull=False),
        ),
        "followed_up": Count("pk", filter=~Q(followup_change="")),
        "improved": Count("pk", filter=Q(followup_change__in=["lasting", "temporary"])),
        "asked_unwanted": Count("pk", filter=Q(unwanted_n__gte=1)),
        "unwanted": Count("pk", filter=Q(unwanted_reported__gte=1)),
        "answered": Count("pk", filter=answered),
        "alerted": Count("pk", filter=answered & Q(alerts__gte=1)),
        "alerts": Sum("alerts"),
        "responded": Sum("alerts_responded"),
    }


def _alliance_row(label: str, r: dict) -> Row:
    return Row(
        label,
        [
            stats.count(r["cases"]),
            mean_of(r, "rel_first"),
            mean_of(r, "rel_latest"),
            mean_of(r, "rel_change"),
            mean_of(r, "life_change"),
            mean_of(r, "followup_change"),
            share_of(r, "improved", "followed_up"),
            share_of(r, "unwanted", "asked_unwanted"),
            share_of(r, "alerted", "answered"),
            share_of(r, "responded", "alerts"),
        ],
    )


def alliance(units: set[int], year: int) -> list[Figure]:
    names = unit_names(units)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    base = (
        CaseFigures.objects.filter(unit_id__in=units, opened_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .order_by()
    )
    aggregates = _alliance_aggregates()
    by_unit = {r["unit_id"]: r for r in base.values("unit_id").annotate(**aggregates)}
    by_model = {r["model"]: r for r in base.values("model").annotate(**aggregates)}
    band = If(
        When(contact_persons=0, then=Value("none")),
        When(contact_persons=1, then=Value("one")),
        When(contact_persons=2, then=Value("two")),
        default=Value("three_or_more"),
        output_field=CharField(),
    )
    by_band = {r["band"]: r for r in base.annotate(band=band).values("band").annotate(**aggregates)}
    by_method = {
        r["methods__method_id"]: r for r in base.values("methods__method_id").annotate(**aggregates)
    }
    methods = {
        m.pk: m.display_name for m in Method.objects.filter(pk__in=[k for k in by_method if k])
    }
    methods[None] = _("No method recorded")  # type: ignore[index]
    method_order = [*sorted((k for k in by_method if k), key=lambda k: methods[k]), None]

    alerts = (
        Alert.objects.filter(case__unit_id__in=units, opened_at__year=year)
        .order_by()
        .values_list("response_kind")
        .annotate(n=Count("pk"))
    )
    kinds = dict(alerts)
    total = sum(kinds.values())
    kind_labels: dict[str, str] = {
        "": _("No response recorded yet"),
        **{str(k): str(v) for k, v in AlertResponse.choices},
    }

    about = _(
        "Cases open at some time in %(year)s, over their whole course. Checks on a scale of "
        "0 to 10: the relationship check after meetings, the life check before them; the "
        "change is the latest answer less the first, for cases with at least two. Follow-up: "
        "the life check asked at the latest follow-up after closing, and whether the client "
        "was better (lasting or temporary improvement). Means with 95%% t intervals, shares "
        "with Wilson 95%% intervals."
    ) % {"year": year}
    bands = band_labels()
    models = model_labels()
    columns = _alliance_columns
    return [
        finish(
            Figure(
                "alliance_by_unit",
                _("Alliance and outcome by unit"),
                about,
                _("Unit"),
                columns(),
                [_alliance_row(label, r) for label, r in _ordered(by_unit, names, names)],
                chart_column=2,
            )
        ),
        finish(
            Figure(
                "alliance_by_method",
                _("Alliance and outcome by method"),
                about
                + " "
                + _("A case with interventions of several methods counts under each of them."),
                _("Method"),
                columns(),
                [_alliance_row(methods[k], by_method[k]) for k in method_order if k in by_method],
                chart_column=2,
            )
        ),
        finish(
            Figure(
                "alliance_by_band",
                _("Alliance and outcome by continuity"),
                about + " " + _("Contact persons over the whole case."),
                _("Continuity"),
                columns(),
                [_alliance_row(label, r) for label, r in _ordered(by_band, bands, stats.BANDS)],
                chart_column=2,
            )
        ),
        finish(
            Figure(
                "alliance_by_model",
                _("Alliance and outcome by organisation model"),
                about,
                _("Organisation model"),
                columns(),
                [
                    _alliance_row(label, r)
                    for label, r in _ordered(by_model, models, organisation.MODELS)
                ],
                chart_column=2,
            )
        ),
        finish(
            Figure(
                "alert_responses",
                _("How alerts raised in %(year)s were responded to") % {"year": year},
                _(
                    "Alerts raised in %(year)s in the units, by what was done "
                    "(Wilson 95%% intervals)."
                )
                % {"year": year},
                _("Response"),
                [Column("alerts", _("Alerts"), "count"), Column("share", _("Share"), "share")],
                [
                    Row(kind_labels[k], [stats.count(kinds[k]), stats.share(kinds[k], total)])
                    for k in kind_labels
                    if k in kinds
                ],
                chart_column=1,
            )
        ),
    ]


# -- a worker's own ------------------------------------------------------------------------


def mine(user_id: int, year: int) -> list[Figure]:
    today = timezone.localdate()
    months = months_back(today, 12)
    load = dict(
        WorkerMonth.objects.filter(worker_id=user_id, month__gte=months[0])
        .order_by()
        .values_list("month")
        .annotate(n=Sum("cases"))
    )
    meetings = dict(
        JournalEntry.objects.filter(
            author_id=user_id,
            status=EntryStatus.SIGNED,
            version=1,
            kind__in=list(FEEDBACK_KINDS),
            happened_at__date__gte=months[0],
        )
        .annotate(m=TruncMonth("happened_at"))
        .order_by()
        .values_list("m")
        .annotate(n=Count("pk"))
    )
    meetings = {
        (m.date() if isinstance(m, datetime.datetime) else m): n for m, n in meetings.items()
    }
    checks = {
        r["m"]: r
        for r in Response.objects.filter(
            worker_id=user_id, instrument__key="relationship", given_on__gte=months[0]
        )
        .annotate(m=TruncMonth("given_on"))
        .order_by()
        .values("m")
        .annotate(**moments("score", "score"))
    }
    own = [
        Column("cases", _("Your open cases"), "own"),
        Column("meetings", _("Your meetings"), "own"),
    ]
    return [
        finish(
            Figure(
                "my_caseload",
                _("Your caseload and meetings, month by month"),
                _(
                    "The open cases you were contact person for at the end of each month, and "
                    "the meetings you signed."
                ),
                _("Month"),
                own,
                [
                    Row(
                        _month_label(m),
                        [
                            Estimate(load.get(m, 0), float(load.get(m, 0)), kind="own"),
                            Estimate(meetings.get(m, 0), float(meetings.get(m, 0)), kind="own"),
                        ],
                    )
                    for m in months
                ],
                over_time=True,
            )
        ),
        finish(
            Figure(
                "my_relationship",
                _("The relationship check after your meetings"),
                _(
                    "The mean of your clients' answers to the relationship check (0 to 10) each "
                    "month, with 95% t intervals; a month with fewer than 5 answers is not shown."
                ),
                _("Month"),
                [Column("score", _("Relationship check"), digits=1)],
                [
                    Row(
                        _month_label(m),
                        [mean_of(checks[m], "score") if m in checks else Estimate(0)],
                    )
                    for m in months
                ],
                over_time=True,
            )
        ),
    ]
