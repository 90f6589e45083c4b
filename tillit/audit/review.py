"""Systematic log review (HSLF-FS 2016:40, 4 kap. 9 §; in Norway Normen and
pasientjournalforskriften): besides emergency accesses, each month a random sample of a
unit's ordinary accesses is put before its team leader, who marks each as expected or
raises it with a note (audit.views.sample_mark, itself an access log row, action review).

A sample is drawn once per unit and month (`sample_draw`: by `manage.py audit_sample` on
the first of the month, or by a team leader from log review) with a seed stored beside it.
The month's population is every ordinary access to a client's data in the unit (not an
emergency access, not the client's own look, not a review), in key order; as the log is
append-only, `sample_rows` draws the same rows from the same seed at any later time.
"""

from __future__ import annotations

import datetime
import random
import secrets

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from tillit.audit.models import AccessLog, Action, Ground, Sample, SampleItem
from tillit.org.models import Membership, Role, units_below

SIZE = 10  # accesses per unit and month
CLIENT_DATA = [
    Action.READ,
    Action.CREATE,
    Action.UPDATE,
    Action.SIGN,
    Action.CORRECT,
    Action.ASSIGN,
    Action.PRINT,
    Action.EXPORT,
]


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def last_month(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return month_start(month_start(today) - datetime.timedelta(days=1))


def _bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    following = month_start(month + datetime.timedelta(days=32))
    start = timezone.make_aware(datetime.datetime.combine(month, datetime.time()))
    return start, timezone.make_aware(datetime.datetime.combine(following, datetime.time()))


def population(unit_id: int, month: datetime.date) -> QuerySet[AccessLog]:
    """The unit's ordinary accesses to clients' data in the month (local time), in order."""
    start, end = _bounds(month)
    return (
        AccessLog.objects.filter(
            unit_id=unit_id,
            at__gte=start,
            at__lt=end,
            person__isnull=False,
            emergency__isnull=True,
            action__in=CLIENT_DATA,
        )
        .exclude(role=Ground.SELF)
        .order_by("id")
    )


def sample_rows(unit_id: int, month: datetime.date, seed: int, size: int = SIZE) -> list[int]:
    """The keys of the rows a seed draws from the unit's month, in key order."""
    keys = list(population(unit_id, month).values_list("id", flat=True))
    return sorted(random.Random(seed).sample(keys, min(size, len(keys))))


def sample_draw(unit_id: int, month: datetime.date, *, seed: int | None = None) -> Sample | None:
    """Draw the unit's sample for `month` once: the one already drawn, or a new one (None
    for a month with no ordinary access). Only a closed month is drawn."""
    month = month_start(month)
    if month >= month_start(timezone.localdate()):
        raise ValueError("only a month that has ended is sampled")
    existing = Sample.objects.filter(unit_id=unit_id, month=month).first()
    if existing is not None:
        return existing
    seed = secrets.randbits(63) if seed is None else seed
    keys = sample_rows(unit_id, month, seed)
    if not keys:
        return None
    count = population(unit_id, month).count()
    try:
        with transaction.atomic():
            sample = Sample.objects.create(
                unit_id=unit_id, month=month, seed=seed, size=SIZE, population=count
            )
            SampleItem.objects.bulk_create(SampleItem(sample=sample, log_id=k) for k in keys)
    except IntegrityError:  # drawn at the same moment elsewhere
        return Sample.objects.get(unit_id=unit_id, month=month)
    return sample


def units_with_leaders() -> set[int]:
    """The units a team leader reviews (audit.views.reviewed_units: those led, and below)."""
    led = Membership.objects.filter(role=Role.TEAM_LEADER).values_list("unit_id", flat=True)
    return units_below(set(led))


def mark(item: SampleItem, *, by: object, verdict: str, note: str) -> SampleItem:
    item.verdict = verdict
    item.note = note
    item.reviewed_by = by  # type: ignore[assignment]
    item.reviewed_at = timezone.now()
    item.save(update_fields=["verdict", "note", "reviewed_by", "reviewed_at"])
    return item
