"""Visits to services without needs assessment, counted per unit, service and month of a
year: visits, and persons (a group's visit counts as many persons as came). Counts only:
no visit and no person leaves this module. Two queries whatever the size."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth

from tillit.lib.tables import shown
from tillit.outcomes.models import LowThresholdService, Visit

MONTHS = range(1, 13)
YEAR = 0  # the column of the year's total
TOTAL = 0  # the row of the unit's services together


@dataclass
class Row:
    service: LowThresholdService
    visits: dict[int, int] = field(default_factory=lambda: dict.fromkeys(MONTHS, 0))
    persons: dict[int, int] = field(default_factory=lambda: dict.fromkeys(MONTHS, 0))


def count(year: int, unit_ids: Iterable[int]) -> list[Row]:
    """A row per service of the units (by unit and name) that is offered now or had a
    visit in the year, with its visits and persons per month."""
    unit_ids = list(unit_ids)
    in_year = Visit.objects.filter(service__unit_id__in=unit_ids, day__year=year).order_by()
    services = (
        LowThresholdService.objects.filter(unit_id__in=unit_ids)
        .filter(Q(active=True) | Q(pk__in=in_year.values("service_id")))
        .select_related("unit")
        .order_by("unit__name", "name", "pk")
    )
    rows = {s.pk: Row(s) for s in services}
    counted = (
        in_year.annotate(month=ExtractMonth("day"))
        .values("service_id", "month")
        .annotate(visits=Count("pk"), persons=Sum("persons"))
    )
    for found in counted:
        row = rows[found["service_id"]]
        row.visits[found["month"]] = found["visits"]
        row.persons[found["month"]] = found["persons"]
    return list(rows.values())


Cell = tuple[int, int]  # (service's key or TOTAL, month or YEAR)


def grid(rows: list[Row], measure: str) -> dict[Cell, int]:
    """The rows' `measure` ("visits" or "persons") per month with the margins: each
    service's year, and the services together per month and for the year."""
    cells: dict[Cell, int] = {}
    for row in rows:
        months = getattr(row, measure)
        for month in MONTHS:
            cells[row.service.pk, month] = months[month]
        cells[row.service.pk, YEAR] = sum(months.values())
    for column in (*MONTHS, YEAR):
        cells[TOTAL, column] = sum(cells[row.service.pk, column] for row in rows)
    return cells


def suppress(rows: list[Row], cells: dict[Cell, int]) -> dict[Cell, int | None]:
    """The cells as they may be shown: a count under five is hidden (`tables.shown`), and
    so is the next smallest cell of a sum (a row with its year, a month with its
    services) where only one would be hidden, until no hidden count can be worked out
    from the others by subtraction."""
    keys = [row.service.pk for row in rows]
    sums = [((key, YEAR), [(key, m) for m in MONTHS]) for key in (*keys, TOTAL)]
    sums += [((TOTAL, column), [(key, column) for key in keys]) for column in (*MONTHS, YEAR)]
    out: dict[Cell, int | None] = {cell: shown(n) for cell, n in cells.items()}
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            group = [total, *parts]
            hidden = [cell for cell in group if out[cell] is None]
            visible = [cell for cell in group if out[cell] is not None]
            if len(hidden) == 1 and visible:
                out[min(visible, key=lambda cell: cells[cell])] = None
                changed = True
    return out
