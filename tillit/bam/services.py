"""Writes on moments that span several rows: the moment, its tags, its board notes.

Services take no request: the view's access helper has already applied the policy and
written the audit row (docs/architecture.md).
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable
from typing import Required, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tillit.bam.models import Column, Moment, MomentNote, Source, Tag
from tillit.clients.models import Case, JournalEntry, Person
from tillit.lib.revisions import save_at_revision
from tillit.org.models import User

TEXT_FIELDS = (
    "title",
    "antecedent",
    "behaviour",
    "consequences",
    "what_worked",
    "instead_next_time",
)


def tag_names(raw: str | Iterable[str]) -> list[str]:
    """Clean tag names: comma-separated or a list, trimmed, lower-cased, no repeats."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    seen: list[str] = []
    for part in parts:
        name = " ".join(part.split()).lower()[:60]
        if name and name not in seen:
            seen.append(name)
    return seen


def _set_tags(moment: Moment, names: Iterable[str]) -> None:
    wanted = tag_names(names)
    existing = {t.name: t for t in Tag.objects.filter(person_id=moment.person_id, name__in=wanted)}
    missing = [Tag(person_id=moment.person_id, name=n) for n in wanted if n not in existing]
    for tag in missing:
        tag.save()
        existing[tag.name] = tag
    moment.tags.set([existing[n] for n in wanted])


def _save(moment: Moment, tags: Iterable[str]) -> Moment:
    # The foreign keys come from the access helper and the form, already checked.
    moment.full_clean(exclude=["person", "case", "written_by", "entry"])
    with transaction.atomic():
        moment.save()
        _set_tags(moment, tags)
    return moment


class MomentText(TypedDict, total=False):
    """What a moment says, in the client's words (the fields of `Moment` with the same
    names); the kind and the time are required."""

    kind: Required[str]
    happened_at: Required[datetime.datetime]
    title: str
    antecedent: str
    behaviour: str
    consequences: str
    what_worked: str
    instead_next_time: str
    confidence: int | None


def moment_record(
    *,
    actor: User,
    person: Person,
    case: Case,
    tags: Iterable[str] = (),
    entry: JournalEntry | None = None,
    **text: Unpack[MomentText],
) -> Moment:
    """Record a moment explored with the client, written down by `actor` as secretary.

    Raises ValidationError (translated, per field) for an empty moment, a moment in the
    future, a confidence outside 0-10, or a meeting from another case.
    """
    moment = _new(person, case, text, entry=entry, source=Source.MEETING, written_by=actor)
    return _save(moment, tags)


def moment_record_by_client(
    *, person: Person, case: Case, tags: Iterable[str] = (), **text: Unpack[MomentText]
) -> Moment:
    """Record a moment the client wrote themselves between meetings (for the client's
    own pages). Stored as the client's words, with no staff writer and no meeting."""
    moment = _new(person, case, text, source=Source.CLIENT, written_by=None)
    return _save(moment, tags)


def _new(person: Person, case: Case, text: MomentText, **origin) -> Moment:
    if case.person_id != person.pk:
        raise ValueError("the case belongs to another person")
    return Moment(person=person, case=case, **text, **origin)


def moment_update(
    *,
    moment: Moment,
    revision: int | None = None,
    tags: Iterable[str] | None = None,
    **fields,
) -> Moment:
    """Change what was written on a moment (the client may say it better next time), if
    nobody saved it since `revision` was read (by default the revision `moment` was
    loaded at); otherwise raise Conflict and change nothing (`tillit.lib.revisions`).
    The tags are set with the text; tags alone never make a conflict."""
    allowed = {*TEXT_FIELDS, "kind", "happened_at", "confidence", "entry"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"not fields of a moment: {sorted(unknown)}")
    changed = copy.copy(moment)
    for name, value in fields.items():
        setattr(changed, name, value)
    changed.full_clean(exclude=["person", "case", "written_by", "entry", "revision"])
    values = {name: getattr(changed, name) for name in fields if name != "entry"}
    if "entry" in fields:
        values["entry_id"] = changed.entry_id
    read = moment.revision if revision is None else revision
    with transaction.atomic():
        saved = save_at_revision(moment, read, values)
        if tags is not None:
            _set_tags(saved, tags)
    if "entry" in fields and saved is moment:
        moment.entry = changed.entry
    return saved


def note_add(*, actor: User, moment: Moment, column: str, text: str) -> MomentNote:
    """Add one short note at the end of a column of the board."""
    text = text.strip()
    if column not in Column.values:
        raise ValidationError({"column": _("Choose one of the three columns.")})
    if not text:
        raise ValidationError({"text": _("Write the note first.")})
    with transaction.atomic():
        last = MomentNote.objects.filter(moment=moment, column=column).aggregate(n=Max("order"))
        note = MomentNote(
            moment=moment,
            column=column,
            text=text,
            order=(last["n"] or 0) + 1,
            written_by=actor,
        )
        note.full_clean()
        note.save()
    return note
