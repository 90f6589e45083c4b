"""What the evidence pages share: the figures of each page (continuity.py, workload.py,
alliance.py, mine.py) are aggregated in the database, a fixed number of queries per page
whatever the number of cases (asserted in tests/test_pages.py).

Each mean is read as n, Σx and Σx² and each share as a count of successes over n, per
group, in one GROUP BY; stats.py makes the estimate and its interval and hides the
groups under 5."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, F, FloatField, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.evidence import organisation, stats
from tillit.evidence.stats import Estimate
from tillit.org.models import Unit

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


def month_label(month: datetime.date) -> str:
    return date_format(month, "Y-m")


def months_back(today: datetime.date, count: int = MONTHS_SHOWN) -> list[datetime.date]:
    first = today.replace(day=1)
    found = []
    for _i in range(count):
        found.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return found[::-1]
