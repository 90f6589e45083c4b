"""The read side of follow-up: what is due for a worker or a unit, and the follow-up table
per unit and year as Bjuv counted it (*Den Bästa Vägen*: of 54 clients, 18 reached, 16
with lasting and 2 with temporary improvement)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import ExtractYear

from tillit.clients.access import shown_to
from tillit.clients.models import Assignment
from tillit.followup.models import Change, Closing, FollowUp, State
from tillit.lib.tables import shown
from tillit.org.models import User

# How far ahead a follow-up shows on a due list: time to book it.
AHEAD_DAYS = 14


def due(
    *,
    viewer: User,
    today: datetime.date,
    worker: User | None = None,
    unit_ids: Iterable[int] | None = None,
    ahead_days: int = AHEAD_DAYS,
) -> QuerySet[FollowUp]:
    """Follow-ups still to be held that are due within `ahead_days` of `today` or overdue,
    oldest first, with their case, person and unit (one query): for `worker`, those of
    the closed cases they are still assigned to (the former contact person); for
    `unit_ids`, those of the units' cases. A protected person's only for staff named on
    them (`viewer`). `FollowUp.days_late(today)` says by how much one is overdue."""
    rows = FollowUp.objects.filter(
        state=State.DUE,
        due_on__lte=today + datetime.timedelta(days=ahead_days),
        closing__case__removed_on__isnull=True,
    ).filter(shown_to(viewer, "closing__case__person"))
    if worker is not None:
        mine = Assignment.objects.current().filter(worker=worker).values("case_id")
        rows = rows.filter(closing__case_id__in=mine)
    if unit_ids is not None:
        rows = rows.filter(closing__case__unit_id__in=list(unit_ids))
    return rows.select_related("closing__case__person", "closing__case__unit").order_by(
        "due_on", "pk"
    )


# -- the follow-up table -------------------------------------------------------------------


@dataclass
class Row:
    """One unit's closings of one year, counted per case: followed up is tried (held or
    not reached), reached is held at least once, and the change is the latest held
    follow-up's (12 months tells more than 6 whether an improvement lasted)."""

    year: int
    closed: int = 0
    followed_up: int = 0
    reached: int = 0
    lasting: int = 0
    temporary: int = 0
    no_change: int = 0
    worse: int = 0
    not_reached: int = 0

    def cells(self) -> dict[str, int | None]:
        return suppress(self)


COLUMNS = [f.name for f in fields(Row) if f.name != "year"]
CHANGE_COLUMN = {
    Change.LASTING: "lasting",
    Change.TEMPORARY: "temporary",
    Change.NONE: "no_change",
    Change.WORSE: "worse",
}
# Cells that add up to another cell: showing all but one of them would give the hidden one
# away by subtraction.
SUMS = [
    ("followed_up", ("reached", "not_reached")),
    ("reached", ("lasting", "temporary", "no_change", "worse")),
]


def suppress(row: Row) -> dict[str, int | None]:
    """The row's cells as they may be published: a count under five is hidden
    (`tables.shown`), and so is the next smallest cell of a sum where only one would be
    hidden, until no hidden cell can be worked out from the others."""
    cells = {name: shown(getattr(row, name)) for name in COLUMNS}
    changed = True
    while changed:
        changed = False
        for total, parts in SUMS:
            group = (total, *parts)
            hidden = [name for name in group if cells[name] is None]
            if len(hidden) == 1:
                smallest = min(
                    (name for name in group if cells[name] is not None),
                    key=lambda name: (getattr(row, name), name),
                )
                cells[smallest] = None
                changed = True
    return cells


def table(unit_id: int) -> list[Row]:
    """The unit's follow-up table, a row per year of closing, oldest first (one query)."""
    followups = FollowUp.objects.filter(closing=OuterRef("pk"))
    held = followups.filter(state=State.HELD)
    latest = held.order_by("-held_on", "-due_on", "-pk").values("change")[:1]
    counted = (
        Closing.objects.filter(case__unit_id=unit_id)
        .annotate(
            year=ExtractYear("closed_on"),
            reached=Exists(held),
            tried=Exists(followups.filter(state__in=[State.HELD, State.NOT_REACHED])),
            latest_change=Subquery(latest),
        )
        .values("year", "reached", "tried", "latest_change")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows: dict[int, Row] = {}
    for group in counted:
        row = rows.setdefault(group["year"], Row(group["year"]))
        n = group["n"]
        row.closed += n
        if group["tried"]:
            row.followed_up += n
        if group["reached"]:
            row.reached += n
            change = CHANGE_COLUMN.get(group["latest_change"])
            if change:
                setattr(row, change, getattr(row, change) + n)
        elif group["tried"]:
            row.not_reached += n
    return [rows[year] for year in sorted(rows)]
