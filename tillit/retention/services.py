"""Retention (gallring): what is due, and removing it.

`plan(today)` reads what would go, in a handful of queries whatever the size (a dry run).
`remove(today)` removes it in batches of whole files, each in one transaction that first
locks the files' cases and decides again, and writes one `RetentionRecord` per case.

A *file* is a person's cases under one rule (the rule that names the case's unit, else
the country's default). It goes whole or not at all, and only when every case of it is
closed, none has an open alert, an unsigned plan or a legal hold, the person was not born
on one of the rule's research days, and the rule's time has passed since the file's last
entry (the latest of its journal entries' dates and its cases' opening and closing).

What is removed, and what is kept (docs/architecture.md, "Retention"):

- Everything that hangs off a removed case (journal entries signed or not, with their
  releases, comments, answers and alerts; assessments, plans, moments, conferences,
  meetings, interventions, assignments) is deleted, found by walking the models' foreign
  keys, so a model added later is removed with its case (or the transaction fails on its
  foreign key, and nothing goes).
- When a person has no case left, what hangs off the person goes as well (network,
  groups, tags, the portal account, whose login is closed).
- The access log is not touched: it must outlive the record it describes. Its rows point
  at the person and the case (on_delete=PROTECT), so those two rows are kept as
  tombstones: the case closed and emptied of its text, the person with no name, no
  number and no staff named on them. Emergency accesses are part of the log and kept.

Signed journal entries: the model refuses `delete()` on one (`SignedEntryError`), and the
database refuses to update one. Retention is the one path that deletes them: by SQL, in
`_delete_rows`, inside the transaction that writes the retention record, and nowhere else
(`tests/test_retention.py` checks that no other module deletes rows this way).
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import cast

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.audit.models import AccessLog, Listed
from tillit.clients.models import Case, CaseStatus, EmergencyAccess, JournalEntry, Origin, Person
from tillit.feedback.models import Alert
from tillit.lib import ids
from tillit.org.models import Session, User
from tillit.plans.models import Plan, PlanStatus
from tillit.portal.models import ClientAccount

from .models import LegalHold, RetentionRecord, RetentionRule, RetentionRun

log = logging.getLogger("tillit.security")

# What a tombstone person says instead of a number (the check constraint wants a reason).
REMOVED = "Removed by retention (gallrad)"

# Models whose rows retention never deletes: the access log and what it points at.
KEEP: set[type[models.Model]] = {
    Person,
    Case,
    EmergencyAccess,
    AccessLog,
    Listed,
    LegalHold,
    RetentionRecord,
    RetentionRun,
    RetentionRule,
}

# Apps none of whose rows retention deletes: the access log with its seals and reviews,
# and retention's own records.
KEEP_APPS = {"audit", "retention"}

# Why a file is kept, in the dry run's words.
KEPT = {
    "no_rule": _("no retention rule in force"),
    "forever": _("never removed under its rule"),
    "no_time": _("no retention time entered in the rule"),
    "open_case": _("a case of the file is open"),
    "hold": _("a legal hold"),
    "alert": _("an open alert"),
    "plan": _("an unsigned plan"),
    "young": _("younger than its rule"),
    "research": _("born on a research day"),
    "birth_unknown": _("date of birth unknown, so the research exception may apply"),
}

CHUNK = 500  # keys per IN (...) list


@dataclass(frozen=True)
class Due:
    """A case that is due to go."""

    case_id: int
    person_id: int
    unit_id: int
    rule: RetentionRule
    opened_on: datetime.date
    closed_on: datetime.date | None
    last_entry_on: datetime.date
    due_on: datetime.date
    entries: int

    @property
    def deadline(self) -> datetime.date:
        """The last day it may be kept: the end of the year after it fell due, if the rule
        says so, else the day it fell due."""
        if self.rule.by_end_of_next_year:
            return datetime.date(self.due_on.year + 1, 12, 31)
        return self.due_on


@dataclass
class Forecast:
    due: list[Due] = field(default_factory=list)
    # Cases kept, per reason (KEPT's keys).
    kept: Counter[str] = field(default_factory=Counter)
    # Persons none of whose cases would be left.
    persons_emptied: set[int] = field(default_factory=set)


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def birth_day(country: str, number: str) -> int | None:
    """The day of the month the person was born, from their identity number (a
    samordningsnummer adds 60 to it, a D-nummer 40), or None if there is none."""
    try:
        if country == ids.SWEDEN and len(number) >= 8:
            day = int(number[6:8])
            return day - 60 if day > 60 else day
        if country == ids.NORWAY and len(number) == 11:
            day = int(number[:2])
            return day - 40 if day > 40 else day
    except ValueError:
        return None
    return None


def _strength(rule: RetentionRule) -> tuple[int, int]:
    """Orders rules by how long they keep: where two could apply, the longer wins."""
    if rule.keep_forever:
        return (2, 0)
    if rule.years is None:
        return (1, 0)
    return (0, rule.years)


def rules_in_force() -> tuple[dict[int, RetentionRule], RetentionRule | None]:
    """The rule of each unit that a rule names, and the default for the rest."""
    by_unit: dict[int, RetentionRule] = {}
    default: RetentionRule | None = None
    for rule in RetentionRule.objects.filter(active=True).prefetch_related("units"):
        if rule.is_default and (default is None or _strength(rule) > _strength(default)):
            default = rule
        for unit in rule.units.all():
            if unit.pk not in by_unit or _strength(rule) > _strength(by_unit[unit.pk]):
                by_unit[unit.pk] = rule
    return by_unit, default


def _chunks(keys: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    keys = list(keys)
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def plan(today: datetime.date, person_ids: Iterable[int] | None = None) -> Forecast:
    """What would go on `today` (of the persons `person_ids`, or of everyone)."""
    result = Forecast()
    by_unit, default = rules_in_force()
    records = RetentionRecord.objects.order_by()
    cases = Case.objects.order_by()
    entries = JournalEntry.objects.order_by().filter(case__status=CaseStatus.CLOSED)
    if person_ids is not None:
        person_ids = list(person_ids)
        cases = cases.filter(person_id__in=person_ids)
        entries = entries.filter(case__person_id__in=person_ids)
        records = records.filter(person_id__in=person_ids)
    removed = set(records.values_list("case_id", flat=True))

    files: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    no_rule = 0
    for row in cases.values_list("pk", "person_id", "unit_id", "status", "opened_on", "closed_on"):
        if row[0] in removed:
            continue
        rule = by_unit.get(row[2], default)
        if rule is None:
            no_rule += 1
            continue
        files[(row[1], rule.pk)].append((*row, rule))
    if no_rule:
        result.kept["no_rule"] += no_rule

    last: dict[int, tuple[datetime.date, int]] = {}
    for case_id, happened, created, count in (
        entries.values("case_id")
        .annotate(Max("happened_at"), Max("created_at"), Count("pk"))
        .values_list("case_id", "happened_at__max", "created_at__max", "pk__count")
    ):
        day = max(timezone.localdate(happened), timezone.localdate(created))
        last[case_id] = (day, count)

    held = set(LegalHold.objects.filter(lifted_at__isnull=True).values_list("case_id", flat=True))
    alerts = set(Alert.objects.open().values_list("case_id", flat=True))
    plans = set(Plan.objects.exclude(status=PlanStatus.SIGNED).values_list("case_id", flat=True))

    candidates: list[tuple[RetentionRule, list[tuple], datetime.date]] = []
    for file in files.values():
        rule = file[0][-1]
        case_ids = {row[0] for row in file}
        reason = None
        if rule.keep_forever:
            reason = "forever"
        elif rule.years is None:
            reason = "no_time"
        elif any(row[3] != CaseStatus.CLOSED for row in file):
            reason = "open_case"
        elif case_ids & held:
            reason = "hold"
        elif case_ids & alerts:
            reason = "alert"
        elif case_ids & plans:
            reason = "plan"
        if reason:
            result.kept[reason] += len(file)
            continue
        latest = max(
            max(row[4], row[5] or row[4], last.get(row[0], (row[4], 0))[0]) for row in file
        )
        assert rule.years is not None
        if add_years(latest, rule.years) > today:
            result.kept["young"] += len(file)
            continue
        candidates.append((rule, file, latest))

    # The research exception needs the persons' numbers: read only for the candidates.
    born: dict[int, int | None] = {}
    wanted = {file[0][1] for rule, file, _latest in candidates if rule.birth_days()}
    for chunk in _chunks(wanted):
        for pk, country, number in Person.objects.filter(pk__in=chunk).values_list(
            "pk", "id_country", "id_number"
        ):
            born[pk] = birth_day(country, number)

    for rule, file, latest in candidates:
        person_id = file[0][1]
        days = rule.birth_days()
        if days:
            born_on = born.get(person_id)
            if born_on is None:
                result.kept["birth_unknown"] += len(file)
                continue
            if born_on in days:
                result.kept["research"] += len(file)
                continue
        assert rule.years is not None
        due_on = add_years(latest, rule.years)
        for case_id, _p, unit_id, _s, opened_on, closed_on, _r in file:
            result.due.append(
                Due(
                    case_id=case_id,
                    person_id=person_id,
                    unit_id=unit_id,
                    rule=rule,
                    opened_on=opened_on,
                    closed_on=closed_on,
                    last_entry_on=latest,
                    due_on=due_on,
                    entries=last.get(case_id, (None, 0))[1],
                )
            )

    # A person is emptied when every case they have left would go.
    going = Counter(due.person_id for due in result.due)
    if going:
        left = Counter(
            person_id
            for chunk in _chunks(going)
            for pk, person_id in Case.objects.filter(person_id__in=chunk).values_list(
                "pk", "person_id"
            )
            if pk not in removed
        )
        result.persons_emptied = {pk for pk, n in going.items() if left[pk] == n}
    return result


def _dependants(model: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """The models whose rows point at `model`'s, with the column that points."""
    found: list[tuple[type[models.Model], str]] = []
    for rel in model._meta.get_fields(include_hidden=True):
        if (rel.one_to_many or rel.one_to_one) and rel.auto_created and not rel.concrete:
            related = cast(type[models.Model], rel.related_model)
            found.append((related, rel.field.attname))  # type: ignore[union-attr]
    return found


def collect(model: type[models.Model], keys: set[int]) -> dict[type[models.Model], set[int]]:
    """Every row that hangs off `model`'s rows `keys`, through any chain of foreign keys,
    short of the models in KEEP."""
    found: dict[type[models.Model], set[int]] = defaultdict(set)
    todo = [(model, keys)]
    while todo:
        parent, parent_keys = todo.pop()
        for related, column in _dependants(parent):
            if related in KEEP or related._meta.app_label in KEEP_APPS:
                continue
            new: set[int] = set()
            for chunk in _chunks(parent_keys):
                rows = related._base_manager.filter(**{f"{column}__in": chunk}).order_by()
                new.update(rows.values_list("pk", flat=True))
            new -= found[related]
            if new:
                found[related] |= new
                todo.append((related, new))
    return found


def _delete_rows(found: dict[type[models.Model], set[int]]) -> dict[str, int]:
    """Delete the rows `collect` found, signed journal entries among them: the one place
    that does. Foreign keys are checked at commit (Django makes them deferrable on both
    engines), so the order within the transaction does not matter, and a row left
    pointing at a deleted one fails the whole batch."""
    assert transaction.get_connection().in_atomic_block, "retention deletes in a transaction"
    counts: dict[str, int] = {}
    for model, keys in found.items():
        if not keys:
            continue
        for chunk in _chunks(keys):
            model._base_manager.filter(pk__in=chunk).order_by()._raw_delete(model._base_manager.db)
        if not model._meta.auto_created:
            counts[model._meta.label] = counts.get(model._meta.label, 0) + len(keys)
    return counts


def _empty_persons(person_ids: set[int]) -> dict[str, int]:
    """Remove what hangs off the persons, close their portal logins and leave tombstones."""
    users = list(
        ClientAccount.objects.filter(person_id__in=person_ids).values_list("user_id", flat=True)
    )
    counts = _delete_rows(collect(Person, person_ids))
    if users:
        Session.objects.filter(user_id__in=users).delete()
        for pk in users:
            User.objects.filter(pk=pk).update(
                username=f"removed-{pk}",
                first_name="",
                last_name="",
                email="",
                is_active=False,
                password=make_password(None),
            )
    Person.objects.filter(pk__in=person_ids).update(
        first_name="", last_name="", id_country="", id_number="", no_id_reason=REMOVED
    )
    return counts


def _remove_batch(run: RetentionRun, today: datetime.date, person_ids: list[int]) -> int:
    with transaction.atomic():
        # Lock the files' cases, then decide again: nothing written since the plan escapes.
        list(Case.objects.select_for_update().filter(person_id__in=person_ids).values("pk"))
        fresh = plan(today, person_ids)
        case_ids = {due.case_id for due in fresh.due}
        if not case_ids:
            return 0
        per_case = {case_id: _delete_rows(collect(Case, {case_id})) for case_id in case_ids}
        Case.objects.filter(pk__in=case_ids).update(
            origin=Origin.OTHER, origin_text="", removed_on=today
        )
        person_counts = _empty_persons(fresh.persons_emptied) if fresh.persons_emptied else {}
        if connection.vendor == "postgresql":
            # Check the deferred foreign keys now, in this batch, not at some later commit.
            connection.check_constraints()
        RetentionRecord.objects.bulk_create(
            RetentionRecord(
                run=run,
                case_id=due.case_id,
                person_id=due.person_id,
                unit_id=due.unit_id,
                rule=due.rule,
                rule_key=due.rule.key,
                years=due.rule.years or 0,
                opened_on=due.opened_on,
                closed_on=due.closed_on,
                last_entry_on=due.last_entry_on,
                due_on=due.due_on,
                removed={
                    "case": per_case[due.case_id],
                    # What went with the person is written on each of their cases' records.
                    "person": person_counts if due.person_id in fresh.persons_emptied else {},
                },
                person_removed=due.person_id in fresh.persons_emptied,
            )
            for due in fresh.due
        )
        return len(case_ids)


def remove(today: datetime.date, *, batch_size: int = 200, run_by: str = "") -> RetentionRun | None:
    """Remove what is due, a batch of whole persons' files at a time. Returns the run, or
    None if nothing was due."""
    due = plan(today).due
    if not due:
        return None
    run = RetentionRun.objects.create(today=today, run_by=run_by)
    per_person = Counter(d.person_id for d in due)
    batch: list[int] = []
    size = 0
    for person_id, n in sorted(per_person.items()):
        batch.append(person_id)
        size += n
        if size >= batch_size:
            _remove_batch(run, today, batch)
            batch, size = [], 0
    if batch:
        _remove_batch(run, today, batch)
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    removed = list(run.records.values_list("removed", flat=True))
    entries = sum(r.get("case", {}).get(JournalEntry._meta.label, 0) for r in removed)
    log.warning(
        "retention run=%s by=%s removed cases=%d journal entries=%d (retention records kept)",
        run.pk,
        run_by or "-",
        len(removed),
        entries,
    )
    return run


def hold_place(case: Case, reason: str, by: str) -> LegalHold:
    return LegalHold.objects.create(case=case, reason=reason, placed_by=by)


def hold_lift(hold: LegalHold, by: str) -> None:
    LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=by
    )
