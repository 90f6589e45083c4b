"""The survey's results per unit and year: the share of positive answers per question,
with n, the previous year and the municipality beside it, response counts and the
response rate. Counts only; no answer leaves as itself except free text, and that only
from a unit with enough answers.

The rules, as the Norwegian national user survey reports (from 10 answers):
- A unit with fewer than MIN_ANSWERS answers in the year shows nothing but its number of
  answers: no share, no count per question, no free text.
- A question with fewer than MIN_ANSWERS answers on its four steps shows its n but no share.
- The share is positive answers (the top two of four steps) over the answers on the four
  steps: "don't know" and "I have not received any help" are left out of the denominator.
- The municipality is every unit whose figure for the question is shown: adding in a
  hidden unit would let anyone who sees the other units work its share out."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from tillit.clients.models import Case
from tillit.org.models import Unit
from tillit.survey.models import (
    DONT_KNOW,
    NO_HELP,
    POSITIVE,
    STEPS,
    Answer,
    Period,
    Question,
    Response,
)

MIN_ANSWERS = 10


@dataclass(frozen=True)
class Share:
    """One question's answers in one unit (or all) and year."""

    positive: int = 0
    counted: int = 0  # answers on the four steps: the denominator
    dont_know: int = 0
    no_help: int = 0

    @classmethod
    def of(cls, values: Counter[int]) -> Share:
        return cls(
            positive=sum(values[v] for v in POSITIVE),
            counted=sum(values[v] for v in STEPS),
            dont_know=values[DONT_KNOW],
            no_help=values[NO_HELP],
        )

    def __add__(self, other: Share) -> Share:
        return Share(
            self.positive + other.positive,
            self.counted + other.counted,
            self.dont_know + other.dont_know,
            self.no_help + other.no_help,
        )

    @property
    def shown(self) -> bool:
        return self.counted >= MIN_ANSWERS

    @property
    def percent(self) -> int | None:
        """The share of positive answers in whole percent, or None if too few to show."""
        if not self.shown:
            return None
        return round(100 * self.positive / self.counted)


NOTHING = Share()


@dataclass
class Row:
    question: Question
    share: Share | None  # None: the unit is hidden (too few answers in all)
    last_year: int | None
    municipality: int | None

    @property
    def percent(self) -> int | None:
        return self.share.percent if self.share else None


@dataclass
class UnitYear:
    unit: Unit
    year: int
    responses: int
    clients: int | None  # persons with an open case in the unit during its periods
    rows: list[Row] = field(default_factory=list)
    free_texts: list[str] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.responses >= MIN_ANSWERS

    @property
    def rate(self) -> int | None:
        if not self.clients:
            return None
        return round(100 * self.responses / self.clients)


def _values(year: int, before: datetime.date) -> dict[tuple[int, int], Counter[int]]:
    """{(unit, question): Counter of values} for every unit's answers in `year`, in the
    periods that ended before `before`: one query."""
    found: dict[tuple[int, int], Counter[int]] = defaultdict(Counter)
    rows = (
        Answer.objects.filter(
            response__period__starts_on__year=year, response__period__ends_on__lt=before
        )
        .values_list("response__period__unit_id", "question_id", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit_id, question_id, value, n in rows:
        found[unit_id, question_id][value] += n
    return found


def _responses(year: int, before: datetime.date) -> dict[int, int]:
    """{unit: answers in `year`, in the periods that ended before `before`}."""
    rows = (
        Period.objects.filter(starts_on__year=year, ends_on__lt=before)
        .values_list("unit_id")
        .annotate(n=Count("responses"))
        .order_by()
    )
    found: dict[int, int] = defaultdict(int)
    for unit_id, n in rows:
        found[unit_id] += n
    return found


def clients_in(unit_id: int, periods: list[tuple[datetime.date, datetime.date]]) -> int:
    """The number of persons with a case open in the unit on any day of the periods: the
    response rate's denominator. Only the number is read."""
    if not periods:
        return 0
    during = Q()
    for first, last in periods:
        during |= Q(opened_on__lte=last) & (Q(closed_on__isnull=True) | Q(closed_on__gte=first))
    return Case.objects.filter(during, unit_id=unit_id).values("person_id").distinct().count()


def _published(
    values: dict[tuple[int, int], Counter[int]], responses: dict[int, int]
) -> dict[tuple[int, int], Share]:
    """The shares that may be shown: units with enough answers, questions with enough."""
    shares = {}
    for (unit_id, question_id), counted in values.items():
        share = Share.of(counted)
        if responses.get(unit_id, 0) >= MIN_ANSWERS and share.shown:
            shares[unit_id, question_id] = share
    return shares


def municipality(published: dict[tuple[int, int], Share]) -> dict[int, Share]:
    """{question: the shares of every unit shown, added up}."""
    total: dict[int, Share] = defaultdict(Share)
    for (_unit_id, question_id), share in published.items():
        total[question_id] = total[question_id] + share
    return total


@dataclass
class Year:
    """Everything the results page and its CSV need for one year."""

    year: int
    units: list[UnitYear]
    municipality: dict[int, Share]
    responses: int  # every unit's answers, hidden units too


def year_results(
    year: int, units: list[Unit], questions: list[Question], *, before: datetime.date
) -> Year:
    """The results of `units` (those the reader may see) in `year`, each question beside
    the unit's previous year and the municipality. Only periods that ended before
    `before` count (see views._year)."""
    values, responses = _values(year, before), _responses(year, before)
    last_values, last_responses = _values(year - 1, before), _responses(year - 1, before)
    published = _published(values, responses)
    last = _published(last_values, last_responses)
    whole = municipality(published)
    periods: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    for unit_id, first, end in Period.objects.filter(
        starts_on__year=year, ends_on__lt=before, unit__in=units
    ).values_list("unit_id", "starts_on", "ends_on"):
        periods[unit_id].append((first, end))
    shown_units = [u for u in units if responses.get(u.pk, 0) >= MIN_ANSWERS]
    texts: dict[int, list[str]] = defaultdict(list)
    for unit_id, text in (
        Response.objects.filter(
            period__starts_on__year=year, period__ends_on__lt=before, period__unit__in=shown_units
        )
        .exclude(free_text="")
        .values_list("period__unit_id", "free_text")
        .order_by("period__unit_id", "free_text")  # by content, never by arrival
    ):
        texts[unit_id].append(text)
    result = []
    for unit in units:
        n = responses.get(unit.pk, 0)
        unit_year = UnitYear(
            unit,
            year,
            responses=n,
            clients=clients_in(unit.pk, periods[unit.pk]) if periods[unit.pk] else None,
            free_texts=texts.get(unit.pk, []),
        )
        for question in questions:
            past = last.get((unit.pk, question.pk))
            unit_year.rows.append(
                Row(
                    question,
                    share=Share.of(values.get((unit.pk, question.pk), Counter()))
                    if n >= MIN_ANSWERS
                    else None,
                    last_year=past.percent if past else None,
                    municipality=whole[question.pk].percent if question.pk in whole else None,
                )
            )
        result.append(unit_year)
    return Year(year, result, whole, sum(responses.values()))
