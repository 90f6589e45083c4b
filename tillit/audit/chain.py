"""Tamper evidence for the access log (docs/architecture.md, "The audit trail").

Two layers, so that writing a row costs one hash in Python and no read, no lock:

- Every row carries the SHA-256 of its own content (`content_hash`), computed as it is
  written (AccessLog.save), in the same INSERT.
- `seal` chains closed days (UTC): a day's digest is the hash of its rows' links in key
  order, a link being the row's key, its content hash and the clients it listed; the
  day's seal hashes the previous seal's hash with the day, the count and the digest.
  Days are sealed after they end (`manage.py audit_seal`, run hourly or daily), so
  concurrent writers never wait for each other and a rolled-back row leaves no gap.

`verify` walks the seals in order and every row, and returns the first broken link: a
row whose content no longer matches its hash, a day whose rows no longer make its digest
(a row changed and rehashed, removed, or added), a seal that does not follow the one
before, or a row written without a hash after the chain began.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from tillit.audit.models import AccessLog, Listed, RemovedRow, Seal

log = logging.getLogger("tillit.security")

GENESIS = "0" * 64
UTC = datetime.UTC


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _id(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def content(row: AccessLog) -> str:
    """The row's content in one canonical form (its key aside, which the database gives
    after the hash is made): the same text from the object written and the row read."""
    at = row.at if timezone.is_aware(row.at) else timezone.make_aware(row.at, UTC)
    return json.dumps(
        [
            at.astimezone(UTC).isoformat(),
            _id(row.user_id),
            row.role,
            _id(row.unit_id),
            _id(row.person_id),
            _id(row.case_id),
            str(row.action),
            _id(row.emergency_id),
            row.path,
            row.detail,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def content_hash(row: AccessLog) -> str:
    return _sha(content(row))


def link(log_id: int, row_hash: str, listed: list[int]) -> str:
    """A row's link in its day's digest: its key, its content hash and whom it listed."""
    return _sha(f"{log_id}|{row_hash}|{','.join(str(p) for p in sorted(listed))}")


def seal_hash(prev: str, day: datetime.date, rows: int, digest: str) -> str:
    return _sha(f"{prev}|{day.isoformat()}|{rows}|{digest}")


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=UTC)
    return start, start + datetime.timedelta(days=1)


def day_of(at: datetime.datetime) -> datetime.date:
    return at.astimezone(UTC).date()


@dataclass
class Broken:
    """The first broken link found."""

    what: str
    log_id: int | None = None
    day: datetime.date | None = None

    def __str__(self) -> str:
        where = [f"row {self.log_id}" if self.log_id else "", str(self.day or "")]
        return f"{self.what} ({', '.join(w for w in where if w)})"


def _rows_of(day: datetime.date) -> Iterator[tuple[AccessLog, list[int]]]:
    """The day's rows in key order, each with the clients it listed."""
    start, end = day_bounds(day)
    rows = AccessLog.objects.filter(at__gte=start, at__lt=end).order_by("id")
    listed: dict[int, list[int]] = {}
    for log_id, person_id in Listed.objects.filter(log__at__gte=start, log__at__lt=end).values_list(
        "log_id", "person_id"
    ):
        listed.setdefault(log_id, []).append(person_id)
    for row in rows.iterator(chunk_size=2000):
        yield row, listed.get(row.pk, [])


def _day_links(day: datetime.date) -> tuple[list[tuple[int, str]], Broken | None]:
    """The links of the day's rows and of those removed by retention, in key order, and
    the first row whose content no longer matches its hash."""
    links: list[tuple[int, str]] = []
    broken = None
    for row, listed in _rows_of(day):
        actual = content_hash(row)
        if row.hash and row.hash != actual and broken is None:
            broken = Broken("a row's content does not match its hash", row.pk, day)
        links.append((row.pk, link(row.pk, row.hash or actual, listed)))
    links += RemovedRow.objects.filter(day=day).values_list("log_id", "link")
    links.sort()
    return links, broken


def _digest(links: list[tuple[int, str]]) -> str:
    return _sha("\n".join(f"{pk}:{value}" for pk, value in links))


def sealable_until(now: datetime.datetime | None = None) -> datetime.date:
    """The last day that may be sealed: one that ended an hour ago, so that the rows of a
    request still running at midnight have committed."""
    now = now or timezone.now()
    return day_of(now - datetime.timedelta(hours=1)) - datetime.timedelta(days=1)


def seal(until: datetime.date | None = None) -> list[Seal]:
    """Seal every closed day not sealed yet, from the day after the last seal (or the
    first row's day) to `until` (by default the last closed day); each seal is logged to
    the security log, whose copy elsewhere anchors the chain."""
    until = min(until or sealable_until(), sealable_until())
    made = []
    with transaction.atomic():
        last = Seal.objects.select_for_update().order_by("-day").first()
        if last is not None:
            day, prev = last.day + datetime.timedelta(days=1), last.hash
        else:
            first = AccessLog.objects.aggregate(at=Min("at"))["at"]
            if first is None:
                return []
            day, prev = day_of(first), GENESIS
        while day <= until:
            links, _broken = _day_links(day)
            digest = _digest(links)
            value = seal_hash(prev, day, len(links), digest)
            made.append(
                Seal.objects.create(day=day, rows=len(links), digest=digest, prev=prev, hash=value)
            )
            log.info("access log sealed: day=%s rows=%d hash=%s", day, len(links), value)
            day, prev = day + datetime.timedelta(days=1), value
    return made


def verify() -> tuple[Broken | None, dict]:
    """Walk the chain; the first broken link (or None) and what was checked."""
    checked: dict[str, Any] = {"seals": 0, "rows": 0, "head": GENESIS}
    prev = GENESIS
    expected_day = None
    last_day = None
    for current in Seal.objects.order_by("day").iterator():
        if expected_day is not None and current.day != expected_day:
            return Broken("a day is missing from the seals", day=expected_day), checked
        if current.prev != prev or current.hash != seal_hash(
            prev, current.day, current.rows, current.digest
        ):
            return Broken("a seal does not follow the one before", day=current.day), checked
        links, broken = _day_links(current.day)
        if broken is not None:
            return broken, checked
        if len(links) != current.rows or _digest(links) != current.digest:
            return Broken("a sealed day's rows were changed", day=current.day), checked
        prev, last_day = current.hash, current.day
        expected_day = current.day + datetime.timedelta(days=1)
        checked["seals"] += 1
        checked["rows"] += len(links)
    checked["head"] = prev
    rows = AccessLog.objects.order_by("id")
    if last_day is not None:
        first_day = Seal.objects.order_by("day").values_list("day", flat=True)[0]
        before = rows.filter(at__lt=day_bounds(first_day)[0]).first()
        if before is not None:
            return Broken("a row is older than the chain", before.pk, day_of(before.at)), checked
        rows = rows.filter(at__gte=day_bounds(last_day)[1])
    first_hashed = AccessLog.objects.exclude(hash="").aggregate(pk=Min("pk"))["pk"]
    for row in rows.iterator(chunk_size=2000):
        if not row.hash:
            if first_hashed is not None and row.pk > first_hashed:
                return Broken("a row was written without a hash", row.pk), checked
        elif row.hash != content_hash(row):
            return Broken("a row's content does not match its hash", row.pk), checked
        checked["rows"] += 1
    return None, checked


def head() -> str:
    """The hash of the last seal."""
    last = Seal.objects.aggregate(day=Max("day"))["day"]
    return Seal.objects.get(day=last).hash if last else GENESIS
