"""Writes for groups; the view's access helper has already applied the policy and
written the audit row."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.clients.models import Case, EntryKind, JournalEntry, Person
from tillit.groups.models import Attendance, Group, GroupMember, Session
from tillit.org.models import User


def member_join(*, group: Group, person: Person, on: datetime.date) -> GroupMember:
    if GroupMember.objects.filter(group=group, person=person, left_on__isnull=True).exists():
        raise ValidationError(_("%(name)s is already in the group.") % {"name": person})
    return GroupMember.objects.create(group=group, person=person, joined_on=on)


def member_leave(*, member: GroupMember, on: datetime.date) -> None:
    if member.left_on is not None:
        raise ValidationError(_("This member has already left the group."))
    if on < member.joined_on:
        raise ValidationError(_("A member cannot leave before joining."))
    member.left_on = on
    member.save(update_fields=["left_on"])


@transaction.atomic
def attendance_entry(*, actor: User, attendance: Attendance, case: Case) -> JournalEntry:
    """The member's journal entry for a group session they attended (a draft note the
    worker completes and signs), made once: the group check is answered on it."""
    if attendance.entry_id:
        return attendance.entry  # type: ignore[return-value]
    if not attendance.present:
        raise ValidationError(_("Only a member who was present can answer the group check."))
    session = attendance.session
    noon = datetime.datetime.combine(session.held_on, datetime.time(12))
    entry = JournalEntry.objects.create(
        case=case,
        happened_at=timezone.make_aware(noon),
        kind=EntryKind.GROUP_SESSION,
        text=_("Took part in the group session of %(group)s.") % {"group": session.group.name}
        + (f" {session.theme}" if session.theme else ""),
        author=actor,
    )
    attendance.entry = entry
    attendance.save(update_fields=["entry"])
    return entry


def member_case(person: Person, group: Group) -> Case | None:
    """The case a group session is noted in: the member's open case in the group's unit,
    else their latest open case."""
    cases = Case.objects.open().filter(person=person).order_by("-opened_on", "-id")
    return cases.filter(unit_id=group.unit_id).first() or cases.first()


def session_record(
    *,
    actor: User,
    group: Group,
    held_on: datetime.date,
    theme: str,
    members: list[GroupMember],
    present: set[int],
) -> Session:
    """A session with attendance for each of `members` (present or not)."""
    session = Session.objects.create(group=group, held_on=held_on, theme=theme, recorded_by=actor)
    Attendance.objects.bulk_create(
        Attendance(session=session, member=m, present=m.pk in present) for m in members
    )
    return session
