"""The continuity page: contact persons, hand-overs and time with the same contact
person per case, and the UPC and COC indices, by unit and organisation model."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext as _

from tillit.evidence import organisation, stats
from tillit.evidence.figures import Column, Figure, Row, finish
from tillit.evidence.models import CaseYear
from tillit.evidence.queries import (
    _ordered,
    mean_of,
    model_labels,
    moments,
    unit_names,
)
from tillit.evidence.stats import Estimate


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
