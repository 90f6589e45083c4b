"""Writes for groups; the view's access helper has already applied the policy and
written the audit row."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tillit.clients.models import Case, EntryKind, JournalEntry, Person
from tillit.clients.services import entry_create
from tillit.groups.models import Agreement, Attendance, Group, GroupMember, Session
from tillit.org.models import Unit, User


def group_create(
    *, actor: User, unit: Unit, name: str, kind: str, started_on: datetime.date
) -> Group:
    return Group.objects.create(
        unit=unit, name=name, kind=kind, started_on=started_on, created_by=actor
    )


def agreement_record(*, actor: User, group: Group, text: str, written_by: str) -> Agreement:
    """The group's own agreement, in the members' words."""
    return Agreement.objects.create(
        group=group, text=text, written_by=written_by, recorded_by=actor
    )


def member_join(*, group: Group, person: Person, on: datetime.date) -> GroupMember:
    already = ValidationError(_("%(name)s is already in the group.") % {"name": person})
    if GroupMember.objects.filter(group=group, person=person, left_on__isnull=True).exists():
        raise already
    try:
        with transaction.atomic():
            return GroupMember.objects.create(group=group, person=person, joined_on=on)
    except IntegrityError:  # added meanwhile, by a second tab or another worker
        raise already from None


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
    worker completes and signs), made once: the group check is answered on it. The row is
    locked first, so that two clicks make one entry, not two."""
    entry_id = (
        Attendance.objects.select_for_update()
        .filter(pk=attendance.pk)
        .values_list("entry_id", flat=True)
        .first()
    )
    if entry_id:
        return JournalEntry.objects.get(pk=entry_id)
    if not attendance.present:
        raise ValidationError(_("Only a member who was present can answer the group check."))
    session = attendance.session
    noon = datetime.datetime.combine(session.held_on, datetime.time(12))
    entry = entry_create(
        actor=actor,
        case=case,
        happened_at=timezone.make_aware(noon),
        kind=EntryKind.GROUP_SESSION,
        text=_("Took part in the group session of %(group)s.") % {"group": session.group.name}
        + (f" {session.theme}" if session.theme else ""),
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
    """A session with attendance for each of `members` (present or not); one per group and
    day, so a session recorded again (a double click, another worker) is refused."""
    already = ValidationError(
        _("A session on %(date)s is already recorded for this group.")
        % {"date": formats.date_format(held_on, "SHORT_DATE_FORMAT")},
        code="duplicate",
    )
    if Session.objects.filter(group=group, held_on=held_on).exists():
        raise already
    try:
        with transaction.atomic():
            session = Session.objects.create(
                group=group, held_on=held_on, theme=theme, recorded_by=actor
            )
    except IntegrityError:  # recorded meanwhile
        raise already from None
    Attendance.objects.bulk_create(
        Attendance(session=session, member=m, present=m.pk in present) for m in members
    )
    return session
