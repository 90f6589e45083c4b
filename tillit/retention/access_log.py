"""Retention of the access log: kept at least five years, and never less than the record
it describes (docs/architecture.md, "Retention").

A row goes when all of these hold:

- it is older than the minimum (ACCESS_LOG_YEARS, five; `manage.py retention
  --log-years` may keep it longer, never shorter), counted from the start of the day;
- its day is sealed (tillit/audit/chain.py): rows leave only through the access log's one
  gate, `tillit.audit.removal.remove`, which keeps a tombstone of each in its day's seal,
  so `audit_verify` still passes;
- every record it names is gone, as a retention record says: its case, if it has one,
  was removed; else its person, if it has one, has no case left (`person_removed`); and so
  has every client it listed (`audit.Listed`). A row that names no record (a failed login,
  a session ended, a list that showed no one) has only the minimum to wait.

So the log of a record kept for ever (paternity, adoption, a research birth day) is kept
for ever too, and the log of a file removed after twelve years goes five years after
each look, the older looks with the file.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from tillit.audit import chain, removal
from tillit.audit.models import AccessLog, Listed, Seal

from .models import RetentionRecord
from .services import Forecast, _chunks, add_years

log = logging.getLogger("tillit.security")

ACCESS_LOG_YEARS = 5
BATCH = 2000  # rows per removal (one transaction each)


def cutoff(today: datetime.date, years: int) -> datetime.datetime:
    """Rows written before this are `years` old or more on `today`."""
    if years < ACCESS_LOG_YEARS:
        raise ValueError(f"the access log is kept at least {ACCESS_LOG_YEARS} years")
    day = add_years(today, -years)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def old(today: datetime.date, years: int) -> QuerySet[AccessLog]:
    """Rows past the minimum whose day is sealed."""
    last = Seal.objects.aggregate(day=Max("day"))["day"]
    if last is None:
        return AccessLog.objects.none()
    until = min(cutoff(today, years), chain.day_bounds(last)[1])
    return AccessLog.objects.filter(at__lt=until)


def _emptied(person: str) -> Exists:
    return Exists(RetentionRecord.objects.filter(person_id=OuterRef(person), person_removed=True))


def due(rows: QuerySet[AccessLog]) -> QuerySet[AccessLog]:
    """Those of `rows` every record of which is gone."""
    case_gone = Exists(RetentionRecord.objects.filter(case_id=OuterRef("case_id")))
    listed_left = Listed.objects.filter(log_id=OuterRef("pk")).exclude(_emptied("person_id"))
    return rows.filter(
        Q(case__isnull=True) | case_gone,
        Q(case__isnull=False) | Q(person__isnull=True) | _emptied("person_id"),
        ~Exists(listed_left),
    )


@dataclass
class LogForecast:
    due: int = 0
    oldest: datetime.datetime | None = None
    # Rows past the minimum kept: their record is kept; their day is not sealed yet.
    record_kept: int = 0
    not_sealed: int = 0


def plan(today: datetime.date, years: int, forecast: Forecast | None = None) -> LogForecast:
    """What a run on `today` would remove of the log: after the files of `forecast` (the
    same run's) are removed, as the run removes those first."""
    result = LogForecast()
    past = AccessLog.objects.filter(at__lt=cutoff(today, years))
    sealed = old(today, years)
    now = due(sealed)
    result.due = now.count()
    result.oldest = now.aggregate(at=Min("at"))["at"]
    extra = _going_with(sealed, forecast) if forecast and forecast.due else []
    result.due += len(extra)
    if extra:
        first = min(at for _pk, at in extra)
        result.oldest = min(result.oldest or first, first)
    old_rows = sealed.count()
    result.record_kept = old_rows - result.due
    result.not_sealed = past.count() - old_rows
    return result


def _going_with(
    sealed: QuerySet[AccessLog], forecast: Forecast
) -> list[tuple[int, datetime.datetime]]:
    """The rows that become due when the forecast's files go: those that name one of its
    cases or emptied persons, decided again in Python against every record gone by then."""
    cases = {d.case_id for d in forecast.due}
    persons = set(forecast.persons_emptied)
    records = RetentionRecord.objects.order_by()
    gone_cases = cases | set(records.values_list("case_id", flat=True))
    gone_persons = persons | set(
        records.filter(person_removed=True).values_list("person_id", flat=True)
    )
    found: set[int] = set()
    for chunk in _chunks(cases):
        found |= set(sealed.filter(case_id__in=chunk).values_list("pk", flat=True))
    for chunk in _chunks(persons):
        found |= set(
            sealed.filter(case__isnull=True, person_id__in=chunk).values_list("pk", flat=True)
        )
        found |= set(
            Listed.objects.filter(person_id__in=chunk, log__in=sealed.values("pk")).values_list(
                "log_id", flat=True
            )
        )
    going = []
    for chunk in _chunks(found):
        listed: dict[int, set[int]] = {}
        for log_id, person_id in Listed.objects.filter(log_id__in=chunk).values_list(
            "log_id", "person_id"
        ):
            listed.setdefault(log_id, set()).add(person_id)
        for pk, case_id, person_id, at in AccessLog.objects.filter(pk__in=chunk).values_list(
            "pk", "case_id", "person_id", "at"
        ):
            if case_id is not None:
                named = case_id in gone_cases
            else:
                named = person_id is None or person_id in gone_persons
            if named and listed.get(pk, set()) <= gone_persons:
                going.append((pk, at))
    return going


def remove(today: datetime.date, years: int = ACCESS_LOG_YEARS, *, batch_size: int = BATCH) -> int:
    """Remove what is due of the log, `batch_size` rows per removal (each one transaction,
    with its tombstones and a line in the security log). Returns how many rows went."""
    reason = f"retention: access log older than {years} years whose records are gone"
    total = 0
    after = 0
    while True:
        rows = due(old(today, years)).filter(pk__gt=after).order_by("pk")
        ids = list(rows.values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        total += removal.remove(ids, reason=reason).rows
        after = max(ids)
    if total:
        log.warning("retention access log rows removed=%d years=%d", total, years)
    return total
