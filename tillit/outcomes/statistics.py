"""The Swedish count for 1 November (Socialstyrelsen), per unit, from the mapping in
`tillit.outcomes.mapping_se`: persons with an intervention on 1 November by category,
voluntary admissions during the year, and care days in voluntary institutional care.
Counts only: no person leaves this module. A fixed number of queries whatever the size."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise

from tillit.org.models import Unit
from tillit.outcomes import mapping_se
from tillit.outcomes.models import Intervention


@dataclass(frozen=True)
class Category:
    key: str
    report: str  # the report's own words, for the authority's file
    label: str | Promise
    q: Q


def _rule(rule: dict) -> Q:
    q = Q(kind=rule["kind"])
    if "placement_form" in rule:
        q &= Q(placement_form=rule["placement_form"])
    if "compulsory" in rule:
        compulsory = Q(placement_form="lvm") | Q(decision__law__key__in=mapping_se.COMPULSORY_LAWS)
        q &= compulsory if rule["compulsory"] else ~compulsory
    return q


def _category(data: dict) -> Category:
    q = Q(pk__in=[])
    for rule in data["match"]:
        q |= _rule(rule)
    return Category(data["key"], data["report"], data["label"], q)


PERSONS = [_category(c) for c in mapping_se.PERSONS_ON_1_NOVEMBER]
ADMISSIONS = [_category(c) for c in mapping_se.ADMISSIONS]
CARE_DAYS = _category(mapping_se.CARE_DAYS)
CATEGORIES = [*PERSONS, *ADMISSIONS, CARE_DAYS]
# What the report counts: needs-assessed interventions (see mapping_se).
NEEDS_ASSESSED = Q(decision__isnull=True) | Q(decision__law__needs_assessment=True)


@dataclass
class Row:
    unit: Unit | None  # None: all the units together
    counts: dict[str, int] = field(default_factory=dict)


def counting_day(year: int) -> datetime.date:
    return datetime.date(year, 11, 1)


def latest_year(today: datetime.date | None = None) -> int:
    """The last year whose 1 November has come."""
    today = today or timezone.localdate()
    return today.year if today >= counting_day(today.year) else today.year - 1


def count(year: int, unit_ids: Iterable[int]) -> list[Row]:
    """A row per unit (by name) and a last row for the units together (a person with
    interventions in two units is one person there). Five queries."""
    unit_ids = list(unit_ids)
    day = counting_day(year)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    mine = Intervention.objects.filter(NEEDS_ASSESSED, case__unit_id__in=unit_ids).order_by()
    on_day = mine.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day), started_on__lte=day)
    persons = {c.key: Count("case__person_id", distinct=True, filter=c.q) for c in PERSONS}
    admitted = {
        c.key: Count("pk", filter=c.q & Q(started_on__gte=first, started_on__lte=last))
        for c in ADMISSIONS
    }
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids).order_by("name", "pk")}
    rows = {pk: Row(unit) for pk, unit in units.items()}
    total = Row(None)
    for row in rows.values():
        row.counts = dict.fromkeys([c.key for c in CATEGORIES], 0)
    total.counts = dict.fromkeys([c.key for c in CATEGORIES], 0)
    for found in on_day.values("case__unit_id").annotate(**persons):
        rows[found["case__unit_id"]].counts.update({k: found[k] for k in persons})
    total.counts.update(on_day.aggregate(**persons))
    for found in mine.values("case__unit_id").annotate(**admitted):
        for key in admitted:
            rows[found["case__unit_id"]].counts[key] = found[key]
            total.counts[key] += found[key]
    end = min(last, timezone.localdate())
    placed = mine.filter(
        CARE_DAYS.q, Q(ended_on__isnull=True) | Q(ended_on__gte=first), started_on__lte=end
    ).values_list("case__unit_id", "started_on", "ended_on")
    for unit_id, started_on, ended_on in placed:
        days = (min(ended_on or end, end) - max(started_on, first)).days + 1
        rows[unit_id].counts[CARE_DAYS.key] += days
        total.counts[CARE_DAYS.key] += days
    return [*rows.values(), total]
