"""The cases an extract covers (`scope`): one query reads each case in the order's units
and period with what the tables and k-anonymity need (tillit/extracts/produce.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from tillit.clients.models import Case
from tillit.extracts import anonymity, codebook
from tillit.extracts.models import Order
from tillit.extracts.pseudonyms import Pseudonyms
from tillit.lib import ids
from tillit.org.models import Unit, units_below

CASES_PER_QUERY = 5000


@dataclass
class CaseRow:
    pk: int
    code: str
    person: str
    opened: int  # the opening day's ordinal: a day is a date's ordinal less this


@dataclass
class Scope:
    order: Order
    units: list[Unit]
    cases: list[CaseRow]  # released, in the order of their codes
    suppressed: list[int]
    rows: list[list[Any]]  # the cases table, in the same order
    anonymity: dict[str, int]
    codes: Pseudonyms
    first: datetime.date
    last: datetime.date
    groups: list[str] = field(default_factory=list)


def _day(value: datetime.date | None, opened: int) -> int | None:
    return None if value is None else value.toordinal() - opened


def _age(born: datetime.date | None, on: datetime.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def scope(order: Order) -> Scope:
    """The cases of the order's units (and those below) open some time in its period,
    released through k-anonymity, with the rows of the cases table."""
    codes = Pseudonyms(order.secret)
    unit_ids = units_below(set(order.units.values_list("pk", flat=True)))
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("pk"))
    first, last = order.period_from, order.period_to
    rows = list(
        Case.objects.filter(unit_id__in=unit_ids, opened_on__lte=last, removed_on__isnull=True)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .order_by()
        .values_list(
            "pk",
            "person_id",
            "unit_id",
            "opened_on",
            "closed_on",
            "origin",
            "status",
            "previous_id",
            "assess",
            "assess_decided_on",
            "person__id_country",
            "person__id_number",
        )
    )
    demographics = "demographics" in order.groups
    quasi = []
    for _pk, person, unit, opened, *_case, country, number in rows:
        born = ids.birth_date(country, number) if demographics else None
        sex = ids.sex(country, number) if demographics else ""
        quasi.append(anonymity.Quasi(person, _age(born, opened), sex, unit, opened.year))
    released = anonymity.release(quasi, demographics=demographics)
    in_extract = {row[0] for row, out in zip(rows, released, strict=True) if out is not None}
    groups = order.groups
    table = codebook.TABLE["cases"]
    wanted = [c.name for c in table.columns_for(groups)]
    cases, case_rows, suppressed = [], [], []
    for row, out in zip(rows, released, strict=True):
        pk, person, unit, opened, closed, origin, status, previous, assess, assessed = row[:10]
        if out is None:
            suppressed.append(pk)
            continue
        begun = opened.toordinal()
        values = {
            "case": codes.case(pk),
            "person": codes.person(person),
            "unit": unit,
            "start_year": out.year,
            "age_band": out.age_band,
            "sex": out.sex,
            "generalised": out.level,
            "origin": origin,
            "status": status,
            "previous_case": codes.case(previous) if previous in in_extract else None,
            "assess": assess,
            "assess_day": _day(assessed, begun),
            "closed_day": _day(closed, begun),
        }
        cases.append(CaseRow(pk, codes.case(pk), codes.person(person), begun))
        case_rows.append([values[name] for name in wanted])
    order_of = sorted(range(len(cases)), key=lambda i: cases[i].code)
    return Scope(
        order=order,
        units=units,
        cases=[cases[i] for i in order_of],
        suppressed=sorted(suppressed),
        rows=[case_rows[i] for i in order_of],
        anonymity=anonymity.summary(released),
        codes=codes,
        first=first,
        last=last,
        groups=list(groups),
    )
