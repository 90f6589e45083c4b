"""The alliance and outcome page: the relationship and life checks, follow-up,
unwanted effects and alerts, by unit, method, continuity band and organisation model."""

from __future__ import annotations

import datetime

from django.db.models import Case as If
from django.db.models import CharField, Count, F, Q, Sum, Value, When
from django.utils.translation import gettext as _

from tillit.evidence import organisation, stats
from tillit.evidence.figures import Column, Figure, Row, finish
from tillit.evidence.models import CaseFigures
from tillit.evidence.queries import (
    _ordered,
    band_labels,
    mean_of,
    model_labels,
    moments,
    share_of,
    unit_names,
)
from tillit.feedback.models import Alert, AlertResponse
from tillit.org.models import Method


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
