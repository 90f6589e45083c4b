"""Reads of decisions that other parts of Tillit ask: the periods still open on a case (a
case is not closed with one, tillit.followup), the execution clock (verkställighet: a
granted decision not carried out within three months, on the unit's page and in the
quarterly report to IVO) and the pseudo-identity that report names a client by.

Access is the caller's: these take the units or the case the policy has already given."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce, Greatest

from tillit.clients.models import Case, Person
from tillit.decisions.models import GRANTING, Decision
from tillit.lib import ids
from tillit.lib.dates import add_months

# The clock runs from the decision, or from the day the help was to begin if that is later.
CLOCK_STARTS = Greatest("decided_on", Coalesce("starts_on", "decided_on"))
MONTHS = 3


def months_before(day: datetime.date, months: int = MONTHS) -> datetime.date:
    return add_months(day, -months)


def months_after(day: datetime.date, months: int = MONTHS) -> datetime.date:
    return add_months(day, months)


def open_periods(case: Case, today: datetime.date) -> QuerySet[Decision]:
    """The decisions of `case` whose period is still open on `today`: signed, in force
    (not replaced by a signed decision), granted in whole or in part, with no end or an
    end on or after `today`. A case is not closed while there is one: end it first with
    a new decision with an earlier end."""
    return (
        Decision.objects.in_force()
        .filter(case=case, outcome__in=GRANTING)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    )


def waiting(unit_ids: Iterable[int], today: datetime.date) -> QuerySet[Decision]:
    """Granted decisions of the units' cases not carried out more than three months after
    the clock started (`clock_from`, annotated): signed, in force, with no intervention
    begun (`carried_out_on` empty). Oldest first."""
    return (
        Decision.objects.in_force()
        .filter(
            case__unit_id__in=list(unit_ids),
            case__removed_on__isnull=True,
            outcome__in=GRANTING,
            carried_out_on__isnull=True,
        )
        .annotate(clock_from=CLOCK_STARTS)
        .filter(clock_from__lt=months_before(today))
        .order_by("clock_from", "pk")
    )


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return (
        datetime.date(year, first_month, 1),
        datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def previous_quarter(today: datetime.date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


def ivo_report(
    unit_ids: Iterable[int], year: int, quarter: int, shown: Q | None = None
) -> list[Decision]:
    """What the quarter's report to IVO lists for the units: granted decisions not carried
    out three months after the clock started, as things stood at the quarter's end, and
    those carried out during the quarter after more than three months. Each has
    `clock_from`, `late` (carried out late in the quarter) and `days` (how long it waited:
    to the quarter's end, or until it was carried out). `shown`: the policy's filter of
    the clients the reader may know of (`access.shown_to(user, "case__person")`)."""
    first, last = quarter_bounds(year, quarter)
    units = list(unit_ids)
    signed = (
        Decision.objects.signed()
        .filter(case__unit_id__in=units, case__removed_on__isnull=True, outcome__in=GRANTING)
        .annotate(clock_from=CLOCK_STARTS)
        .select_related("case__person", "law")
    )
    if shown is not None:
        signed = signed.filter(shown)
    waiting_then = (
        signed.filter(Q(carried_out_on__isnull=True) | Q(carried_out_on__gt=last))
        .filter(clock_from__lt=months_before(last))
        .exclude(replaced_by__signed_at__isnull=False, replaced_by__decided_on__lte=last)
    )
    carried_in_quarter = signed.filter(carried_out_on__range=(first, last))
    rows: list[Decision] = []
    for decision in waiting_then:
        decision.late = False  # type: ignore[attr-defined]
        decision.days = (last - decision.clock_from).days  # type: ignore[attr-defined]
        rows.append(decision)
    for decision in carried_in_quarter:
        assert decision.carried_out_on is not None
        if decision.carried_out_on > months_after(decision.clock_from):  # type: ignore[attr-defined]
            decision.late = True  # type: ignore[attr-defined]
            decision.days = (decision.carried_out_on - decision.clock_from).days  # type: ignore[attr-defined]
            rows.append(decision)
    return sorted(rows, key=lambda d: (d.clock_from, d.pk))  # type: ignore[attr-defined]


def pseudo_identity(person: Person) -> str:
    """The client as IVO's report names them: the date of birth from the Swedish identity
    number, `-T`, and three digits of which the third tells the sex (even for women, odd
    for men, as the ninth digit of the personnummer does). The first two are the person's
    key's last two digits, so the same client keeps one pseudo-identity from quarter to
    quarter. No name, no number. Empty for a client without a Swedish number: IVO's
    instructions say how to write those by hand."""
    number = person.id_number
    if person.id_country != ids.SWEDEN or len(number) != 13:
        return ""
    day = int(number[6:8])
    if day > 60:  # a samordningsnummer: the day of birth plus 60
        day -= 60
    sex = "1" if int(number[-2]) % 2 else "2"
    return f"{number[:6]}{day:02d}-T{person.pk % 100:02d}{sex}"
