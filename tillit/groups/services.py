"""Writes for groups; the view's access helper has already applied the policy and
written the audit row."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.clients.models import Person
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
